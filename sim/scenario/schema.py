"""The scenario format, as pydantic models: the structure and the types of every field.

`docs/scenarios.md` documents each field; this module enforces their types and ranges.
Checks that relate fields to each other (an event naming an unknown state, a date outside
the scenario, priors that do not sum to 1...) live in `checks`, which runs after this
structural validation and reports the same way: file, line, field, what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import fields
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from sim.game.params import Behaviour

StateId = Annotated[str, Field(
    pattern=r"^[A-Z]{3,8}$",
    description="ISO 3166 alpha-3 code for a state (USA); an upper-case acronym for an "
    "international organisation (NATO)",
)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
# Staff and sites of a mission: the largest real mission is a few thousand. Unbounded,
# 10**30 or 2**63 passed validation and overflowed numpy's integers mid-run.
MAX_COUNT = 1_000_000
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
# Seeds: what numpy's SeedSequence and every runner take without overflow.
MAX_SEED = 2**32 - 1
Seed = Annotated[int, Field(ge=0, le=MAX_SEED)]
# A state's power enters the reply cost as a ratio raised to a power of up to 2: bounded
# so that the ratio of any two stays a finite float.
MIN_POWER, MAX_POWER = 1e-6, 1e6
MAX_NAME = 100  # a scenario's name becomes a folder name (255 bytes at most)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _calendar_date(value: Any) -> Any:
    """Only a date or a YYYY-MM-DD string: lax pydantic would read a number, or a string
    of digits, as a Unix timestamp, so a typo such as 20170101 or 1483228800 would
    silently become a date in 1970 or 2017."""
    if isinstance(value, str) and not ISO_DATE.fullmatch(value.strip()):
        raise ValueError("expected a date written YYYY-MM-DD")
    if isinstance(value, bool | int | float):
        raise ValueError("expected a date written YYYY-MM-DD, not a number")
    return value


Date = Annotated[dt.date, Field(strict=False), BeforeValidator(_calendar_date)]
Level = Literal["spokesman", "minister", "leader"]


class Strict(BaseModel):
    """Base: unknown fields are errors; no value is coerced from another type (but dates)."""

    # allow_inf_nan=False: `.inf` and `.nan` are YAML floats, and an infinite power gave
    # "worth -inf"; no field of a scenario is meaningful at infinity.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def _behaviour_overrides() -> type[BaseModel]:
    """A model with one optional field per behaviour parameter, bounded by its range."""
    spec: dict[str, Any] = {}
    for f in fields(Behaviour):
        lo, hi = f.metadata["range"]
        kind = int if f.type in (int, "int") else float
        spec[f.name] = (kind | None, Field(default=None, ge=lo, le=hi,
                                          description=f.metadata["doc"]))
    return create_model("BehaviourOverrides", __base__=Strict, **spec)


BehaviourOverrides = _behaviour_overrides()


class TypePrior(Strict):
    """Prior belief of the other states over an administration's type; sums to 1."""

    accommodating: Probability
    hawkish: Probability


class Administration(Strict):
    leader: str
    start: Date
    end: Date
    prior: TypePrior | None = None
    freedom: Probability = 1.0
    note: str | None = None


class Period(Strict):
    """A span of time; an open end runs past the scenario."""

    start: Date
    end: Date | None = None
    note: str | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class PolicySpec(Strict):
    name: str
    ratio: float | None = Field(default=None, gt=0.0, le=10.0)
    share: Probability | None = None
    forgiveness: Probability | None = None

    def params(self) -> dict[str, float]:
        return {k: v for k, v in self.model_dump(exclude={"name"}).items() if v is not None}


class Summit(Strict):
    """A summit or negotiation pending between the state and `counterpart` from `start`
    (when it is agreed or announced) to `end` (the day it is held or concluded).
    It binds the pair both ways, whichever of the two lists it (docs/model.md 4b)."""

    counterpart: StateId
    start: Date
    end: Date
    note: str | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class Transition(Period):
    """A change of the state's own leadership, pending or just made, from `start` to
    `end` (open: past the scenario): its audience cost for not answering is partly
    excused meanwhile, and a leader who seeks better relations with the states listed in
    `seeks_better_relations_with` gains by letting their moves go (docs/model.md 4b)."""

    seeks_better_relations_with: list[StateId] = Field(default_factory=list)


LeverageItem = Literal["trade", "arms", "students", "energy", "aid", "workers",
                       "investment", "other"]


class Leverage(Strict):
    """One hold the counterpart has over the state: what it is and the share of the
    state's stake it bears on (e.g. 0.4 of its gas supply), a judgement from a source."""

    item: LeverageItem
    share: Probability
    note: str | None = None


class State(Strict):
    name: str
    power: float = Field(default=1.0, ge=MIN_POWER, le=MAX_POWER)
    dependence: dict[StateId, Probability] = Field(default_factory=dict)
    missions: dict[StateId, Count] = Field(default_factory=dict)
    facilities: dict[StateId, Count] = Field(default_factory=dict)
    policy: str | PolicySpec = "best_response"
    behaviour: BehaviourOverrides = Field(default_factory=BehaviourOverrides)  # type: ignore[valid-type]
    administrations: dict[str, Administration] = Field(default_factory=dict)
    wars: list[Period] = Field(default_factory=list)
    # --- the circumstances of moves (docs/model.md section 4b); empty: neutral ---
    summits: list[Summit] = Field(default_factory=list)
    transitions: list[Transition] = Field(default_factory=list)
    leverage: dict[StateId, list[Leverage]] = Field(default_factory=dict)
    note: str | None = None

    def policy_spec(self) -> PolicySpec:
        return PolicySpec(name=self.policy) if isinstance(self.policy, str) else self.policy


class _Event(Strict):
    date: Date
    note: str | None = None


Status = Literal["accredited", "non_accredited", "disputed"]
MAX_COALITION = 200  # states taking one move together: more than the world has


class Expel(_Event):
    """An initiating move: the actor's `type` of measure against the target.

    `expel`: `persons` of the target's staff leave and `facilities` of its sites close;
    `cap`: a ceiling on the target's staff, `persons` to leave by `deadline`; `close`:
    `facilities` closed (offices, consulates); `recall` (its own ambassador or staff),
    `downgrade`, `accreditation_refused`, `visa_ban`, `local_hire_ban`: instruments that
    need touch no staff, weighed as their severity in staff expelled
    (`sim.game.context.staff_equivalents`). `status` of the expelled, the `coalition` of
    states taking the move together (counting the actor) and a `divided` initiator
    (its own leader disowns the move) change what answering is worth (docs/model.md 4b).
    """

    type: Literal["expel", "cap", "close", "recall", "downgrade", "accreditation_refused",
                  "visa_ban", "local_hire_ban"]
    actor: StateId
    target: StateId
    persons: Count = 0
    facilities: Count = 0
    deadline: Date | None = None
    ranks: str | None = Field(default=None, max_length=200)
    status: Status = "accredited"
    coalition: int = Field(default=1, ge=1, le=MAX_COALITION)
    divided: bool = False


class Statement(_Event):
    """A public statement by the actor towards the target: a threat of retaliation, or a
    reassurance that it wants channels kept open."""

    type: Literal["statement"]
    actor: StateId
    target: StateId
    level: Level
    kind: Literal["threat", "reassurance"] = "threat"
    by: str | None = None


class Signal(_Event):
    """Evidence about a state's administration: its likelihood under each type or freedom."""

    type: Literal["signal"]
    about: StateId
    administration: str | None = None
    likelihood: dict[str, Probability]
    uncertainty: Probability = 0.0
    observers: list[StateId] | None = None
    by: str | None = None


class Legislation(_Event):
    """A law passed in the actor's state against the target; it may bind the executive.

    A law passed with majorities that can override a veto (`veto_proof`) binds: the
    executive cannot undo it alone, so the administration it bears on is no longer free to
    reset relations with the target. That is a fact of the law, not evidence to be
    weighed, so a binding law takes no likelihood (docs/model.md section 2); any other
    law is evidence about freedom or type, with a likelihood like a signal's."""

    type: Literal["legislation"]
    actor: StateId
    target: StateId
    veto_proof: bool = False
    hostile: bool = True
    administration: str | None = None
    likelihood: dict[str, Probability] = Field(default_factory=dict)
    uncertainty: Probability = 0.0

    @property
    def binds(self) -> bool:
        """Whether the law removes the administration's freedom to reset (veto-proof)."""
        return self.veto_proof


Event = Annotated[Expel | Statement | Signal | Legislation, Field(discriminator="type")]

Category = Literal["none", "smaller", "same", "larger"]


class RecordedResponse(Strict):
    """A recorded first response of `actor` to a move by `target` on `trigger_date`."""

    actor: StateId
    target: StateId
    trigger_date: Date
    trigger_persons: Count | None = None
    date: Date | None = None
    action: Literal["none", "expel", "cap", "close", "recall", "downgrade",
                    "accreditation_refused", "visa_ban", "local_hire_ban"]
    persons: Count = 0
    facilities: Count = 0
    category: Category
    note: str | None = None


class History(Strict):
    responses: list[RecordedResponse]
    sources: list[str] = Field(default_factory=list)


class Scenario(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=MAX_NAME)
    title: str
    description: str = ""
    start: Date
    end: Date
    seed: Seed = 0
    behaviour: BehaviourOverrides = Field(default_factory=BehaviourOverrides)  # type: ignore[valid-type]
    states: dict[StateId, State]
    events: list[Event] = Field(default_factory=list)
    history: History | None = None

    def behaviour_of(self, state_id: str) -> Behaviour:
        """Defaults, then scenario-wide overrides, then the state's own."""
        merged = _given(self.behaviour)
        merged.update(_given(self.states[state_id].behaviour))
        return Behaviour().updated(merged)


def _given(overrides: BaseModel) -> dict[str, Any]:
    """The behaviour values a scenario sets (the others are None). Typed as BaseModel: the
    overrides model is built at run time from `Behaviour`'s fields, which a type checker
    cannot follow."""
    return {k: v for k, v in overrides.model_dump().items() if v is not None}


def check_seed(seed: object, where: str | None = None) -> int:
    """A seed given to a run (`sim.run(..., seed=)`, --seed): a whole number from 0 to
    MAX_SEED. A float such as 1.5 was silently truncated to 1; now it is refused."""
    from sim.scenario.errors import ScenarioError

    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ScenarioError(f"seed must be a whole number, got {seed!r}", file=where)
    if not 0 <= seed <= MAX_SEED:
        raise ScenarioError(f"seed must be between 0 and {MAX_SEED:,}, got {seed}", file=where)
    return seed
