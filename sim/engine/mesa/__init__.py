"""The one-run driver with Mesa: a model that moves time over the shared rules of the day
(`sim.engine.day`), state agents that are views of the run's state, a DataCollector."""

from sim.engine.mesa.agents import StateAgent
from sim.engine.mesa.model import RetaliationModel

__all__ = ["RetaliationModel", "StateAgent"]
