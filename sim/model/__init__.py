"""Mesa orchestration: the model moves time and events, state agents ask `sim.game`."""

from sim.model.agent import StateAgent
from sim.model.model import RetaliationModel

__all__ = ["RetaliationModel", "StateAgent"]
