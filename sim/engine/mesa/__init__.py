"""Mesa orchestration: the model moves time and events, state agents ask `sim.game`."""

from sim.engine.mesa.agents import StateAgent
from sim.engine.mesa.model import RetaliationModel

__all__ = ["RetaliationModel", "StateAgent"]
