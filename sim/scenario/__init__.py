"""Scenario files: the format (`schema`), safe reading (`yamlsafe`), overrides (`overrides`),
consistency checks (`checks`) and loading with clear errors (`load`)."""

from sim.scenario.errors import ScenarioError
from sim.scenario.load import LoadedScenario, Origin, load
from sim.scenario.schema import Scenario

__all__ = ["LoadedScenario", "Origin", "Scenario", "ScenarioError", "load"]
