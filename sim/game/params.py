"""Behaviour parameters of a state: what each means, its range and group; the values are data.

Every number that shapes *how* a state behaves (as opposed to the facts of an episode,
which live in scenario files) is a field of `Behaviour`. A scenario may override any
field for all states (top-level `behaviour:`) or for one state (`states.X.behaviour:`).
`docs/model.md` explains each term in the equations; the metadata of each field carries
its meaning, plausible range, group and source so that documentation and validation read
it from here rather than repeat it.

The default *values* are not written in this module but in the data file
`behaviour_defaults.yaml` beside it, read once, at import, with each value's source and,
for a value fitted by `python -m sim calibrate`, its provenance (date, data files,
objective, score). A calibration writes that file; no program ever rewrites Python source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

DEFAULTS_FILE = "behaviour_defaults.yaml"

# The kinds of parameter, in the order the documentation lists them. Each field names its
# group, so a table or a document can present the parameters by what they do.
GROUPS: dict[str, str] = {
    "utility": "utility terms: what retaliating, waiting and letting go are worth "
               "(docs/model.md sections 3-4)",
    "beliefs": "the reset prospect: how long it lasts and how its absence is learnt",
    "sizing": "how big an answer is, beyond the policy's own rule",
    "timing": "when a grievance is first weighed, waves are answered, a cap takes effect",
    "noise": "chance of misreading a signal or an answer; how sharply utilities decide",
    "context": "the circumstances of a move: its instrument, a pending summit, the target's "
               "leadership, leverage, a coalition, a divided initiator, the status of the "
               "expelled (docs/model.md section 4b)",
}


class DefaultsError(ValueError):
    """A defaults file that does not hold one well-formed value per parameter."""


def read_defaults(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """The entries of a defaults file (the packaged one if `path` is None), unchecked.

    Each entry maps a parameter name to at least ``value`` and ``source``, and, for a
    fitted value, ``fit`` (its provenance). `check_defaults` says whether they fit
    `Behaviour`; `defaults_from` turns a checked file into a `Behaviour`.
    """
    if path is None:
        text = resources.files(__package__).joinpath(DEFAULTS_FILE).read_text("utf-8")
        where = DEFAULTS_FILE
    else:
        text, where = Path(path).read_text("utf-8"), str(path)
    document = yaml.safe_load(text)
    entries = document.get("parameters") if isinstance(document, dict) else None
    if not isinstance(entries, dict) or not all(isinstance(e, dict) and "value" in e
                                                for e in entries.values()):
        raise DefaultsError(f"{where}: expected 'parameters:' mapping each name to "
                            "a 'value' and a 'source'")
    return entries


# Read once, at import: the dataclass below takes its defaults from these entries.
_ENTRIES = read_defaults()


def _param(name: str, doc: str, lo: float, hi: float, group: str) -> Any:
    """A field whose default is the packaged file's value for `name` (checked below)."""
    entry = _ENTRIES.get(name, {})
    return field(default=entry.get("value"),
                 metadata={"name": name, "doc": doc, "range": (lo, hi), "group": group,
                           "source": entry.get("source", ""), "fit": entry.get("fit")})


SKETCH = "episodes.md model sketch (plausible ranges)"


@dataclass(frozen=True)
class Behaviour:
    """How a state weighs retaliation. Utilities are in units of `reciprocity_value`."""

    reciprocity_value: float = _param(
        "reciprocity_value", "R: value of answering a grievance in full (the unit of utility)",
        0.0, 10.0, "utility",
    )
    reply_cost: float = _param(
        "reply_cost", "c: expected cost of the counterpart's reply, between equals, in units of R",
        0.0, 5.0, "utility",
    )
    power_elasticity: float = _param(
        "power_elasticity", "eta: how the reply cost grows with the counterpart's relative power",
        0.0, 2.0, "utility",
    )
    dependence_weight: float = _param(
        "dependence_weight", "w: how the reply cost grows with dependence on the counterpart",
        0.0, 10.0, "utility",
    )
    reset_value: float = _param(
        "reset_value", "V: value of a reset with an incoming administration, in units of R",
        0.0, 20.0, "utility",
    )
    spoil_share: float = _param(
        "spoil_share", "Delta: share of the reset chance that retaliating now destroys",
        0.0, 1.0, "utility",
    )
    audience_cost_spokesman: float = _param(
        "audience_cost_spokesman", "A for disowning a spokesman's announced threat, in units of R",
        0.0, 2.0, "utility",
    )
    audience_cost_minister: float = _param(
        "audience_cost_minister", "A for disowning a minister's announced threat, in units of R",
        0.0, 2.0, "utility",
    )
    audience_cost_leader: float = _param(
        "audience_cost_leader", "A for disowning the leader's own announced threat, in units of R",
        0.0, 5.0, "utility",
    )
    excuse_share: float = _param(
        "excuse_share", "j: share of the audience cost excused while a transition is pending",
        0.0, 1.0, "utility",
    )
    discount_rate: float = _param(
        "discount_rate",
        "r: daily discount rate; an answer W days later is worth (1 - r)^W of one now "
        "(delta = 1 - r)",
        0.0, 0.01, "utility",
    )
    late_loss: float = _param(
        "late_loss", "rho: share of a reprisal's value lost by answering late",
        0.0, 1.0, "utility",
    )
    honeymoon_days: int = _param(
        "honeymoon_days", "days after taking office during which a reset is still expected",
        0, 2000, "beliefs",
    )
    reset_hazard: float = _param(
        "reset_hazard",
        "lambda: daily chance that a free, accommodating administration in office shows a "
        "reset; each day without one is weak evidence against",
        0.0, 0.1, "beliefs",
    )
    reassured_share: float = _param(
        "reassured_share",
        "share of an in-kind answer given to an initiator that said it wants channels "
        "kept open",
        0.0, 1.0, "sizing",
    )
    answer_cost: float = _param(
        "answer_cost",
        "k: cost of an answer as a share of the counterpart's presence cut (cutting all of it "
        "costs k R): one's own channels, information and consular reach lost",
        0.0, 5.0, "sizing",
    )
    size_curvature: float = _param(
        "size_curvature",
        "a: value of an answer smaller than the offence, v(s) = R s^a (a token keeps much of "
        "the norm when a is small)",
        0.05, 1.0, "sizing",
    )
    beyond_value: float = _param(
        "beyond_value",
        "b: most that answering bigger than the offence adds, as a share of R",
        0.0, 1.0, "sizing",
    )
    parity_value: float = _param(
        "parity_value",
        "value of equal standing, in units of R, for an answer that brings the counterpart "
        "down to one's own presence where standing is claimed",
        0.0, 5.0, "sizing",
    )
    token_share: float = _param(
        "token_share", "share of the in-kind answer that a smaller (token) answer takes",
        0.05, 1.0, "sizing",
    )
    larger_ratio: float = _param(
        "larger_ratio", "how many times the in-kind answer a larger answer takes",
        1.0, 10.0, "sizing",
    )
    site_weight: float = _param(
        "site_weight", "staff equivalents of one facility, to compare answers that mix them",
        1.0, 100.0, "sizing",
    )
    wave_initiators: int = _param(
        "wave_initiators",
        "initiators within the wave window that make a wave (answers are then batched)",
        2, 50, "timing",
    )
    wave_window_days: int = _param(
        "wave_window_days", "days within which offences from several initiators count as one wave",
        1, 60, "timing",
    )
    wave_quiet_days: int = _param(
        "wave_quiet_days", "days without a new offence after which a wave is answered",
        0, 60, "timing",
    )
    war_quiet_days: int = _param(
        "war_quiet_days", "the same, for a state at war, which batches every answer",
        0, 120, "timing",
    )
    deliberation_days: int = _param(
        "deliberation_days", "days between a grievance and the first decision on it",
        0, 30, "timing",
    )
    cap_deadline_days: int = _param(
        "cap_deadline_days", "days a cap to parity gives the other side to withdraw staff",
        0, 120, "timing",
    )
    perception_noise: float = _param(
        "perception_noise",
        "epsilon: chance that a signal (likelihoods swapped) or an answer (taken for a "
        "fresh offence) is misread",
        0.0, 0.5, "noise",
    )
    precision: float = _param(
        "precision",
        "lambda: precision of the quantal (logit) response over the menu of answers, wait and "
        "let go, per unit of R; large values approach the argmax",
        0.1, 1000.0, "noise",
    )
    tremble: float = _param(
        "tremble",
        "epsilon: share of first responses the model does not explain, spread evenly over "
        "none, smaller, same and larger in every reported probability (a trembling hand); "
        "the most likely path is unchanged",
        0.0, 0.5, "noise",
    )

    # --- context (docs/model.md section 4b): each mechanism's parameters, all neutral
    # where a scenario does not state the fact they weigh ---
    severity_recall: float = _param(
        "severity_recall",
        "staff equivalents of recalling one's own ambassador or staff (a move that expels "
        "no one is weighed as this many staff expelled)",
        0.0, 50.0, "context",
    )
    severity_downgrade: float = _param(
        "severity_downgrade", "staff equivalents of downgrading diplomatic relations",
        0.0, 50.0, "context",
    )
    severity_accreditation_refused: float = _param(
        "severity_accreditation_refused",
        "staff equivalents of refusing accreditation to a diplomat (an ambassador-designate)",
        0.0, 50.0, "context",
    )
    severity_visa_ban: float = _param(
        "severity_visa_ban", "staff equivalents of a visa ban on the other's officials",
        0.0, 50.0, "context",
    )
    severity_local_hire_ban: float = _param(
        "severity_local_hire_ban",
        "staff equivalents of banning the other's mission from hiring local staff",
        0.0, 50.0, "context",
    )
    summit_stake: float = _param(
        "summit_stake",
        "sigma: value of a pending summit or negotiation with the counterpart that answering "
        "before it puts at risk, in units of R (value times the chance answering loses it)",
        0.0, 5.0, "context",
    )
    summit_share: float = _param(
        "summit_share",
        "share of the answer given while a summit or negotiation with the counterpart is "
        "pending",
        0.0, 1.0, "context",
    )
    relationship_value: float = _param(
        "relationship_value",
        "L: value, in units of R, of letting a move go for a leader who seeks better "
        "relations with its author",
        0.0, 5.0, "context",
    )
    leverage_weight: float = _param(
        "leverage_weight",
        "w_L: how the reply cost grows with the summed shares of the counterpart's leverage "
        "items (arms, students, energy, aid...)",
        0.0, 10.0, "context",
    )
    coalition_cost: float = _param(
        "coalition_cost",
        "kappa: how answering one member of a coalition of n costs more: reply cost times "
        "1 + kappa ln n",
        0.0, 2.0, "context",
    )
    divided_discount: float = _param(
        "divided_discount",
        "share of R lost when the initiator's own leader disowns the move",
        0.0, 1.0, "context",
    )
    non_accredited_discount: float = _param(
        "non_accredited_discount",
        "share of R lost when the expelled were not accredited diplomats",
        0.0, 1.0, "context",
    )
    disputed_discount: float = _param(
        "disputed_discount",
        "share of R lost when the status of the expelled is disputed",
        0.0, 1.0, "context",
    )

    def updated(self, overrides: Mapping[str, float | int]) -> Behaviour:
        """Return a copy with some fields replaced (scenario or command-line overrides)."""
        # The scenario schema has checked each value's kind and range against its field.
        changes: dict[str, Any] = dict(overrides)
        return replace(self, **changes)


def check_defaults(entries: Mapping[str, Mapping[str, Any]], where: str) -> dict[str, float | int]:
    """The values of a defaults file, if it holds exactly one per parameter, each of the
    field's kind (a whole number for a count of days, a number with a point otherwise),
    within the documented range and with a stated source; else `DefaultsError` naming
    every problem. A file that would change a default silently (a typo in a name, a
    float where days are counted) is refused rather than half read."""
    problems = []
    known = {f.name: f for f in fields(Behaviour)}
    problems += [f"unknown parameter {n!r}" for n in entries if n not in known]
    values: dict[str, float | int] = {}
    for name, f in known.items():
        if f.metadata["name"] != name or f.metadata["group"] not in GROUPS:
            problems.append(f"field {name}: declared as {f.metadata['name']!r} in group "
                            f"{f.metadata['group']!r}")  # a slip in the declarations above
        if name not in entries:
            problems.append(f"{name}: missing")
            continue
        value, kind = entries[name]["value"], int if f.type in (int, "int") else float
        lo, hi = f.metadata["range"]
        if type(value) is not kind:
            problems.append(f"{name}: {value!r} is not a {kind.__name__}")
        elif not lo <= value <= hi:
            problems.append(f"{name}: {value!r} is outside its range {lo} to {hi}")
        if not str(entries[name].get("source") or "").strip():
            problems.append(f"{name}: no source")
        values[name] = value
    if problems:
        raise DefaultsError(f"{where}: " + "; ".join(problems))
    return values


def packaged_defaults() -> Path:
    """Where the packaged defaults file is on disk (what `calibrate --write` replaces)."""
    return Path(__file__).with_name(DEFAULTS_FILE)


def defaults_from(path: Path) -> Behaviour:
    """A `Behaviour` whose defaults are those of another defaults file (e.g. a copy a
    calibration wrote), for comparing or testing without touching the packaged one."""
    values: dict[str, Any] = check_defaults(read_defaults(path), str(path))  # kinds checked
    return Behaviour(**values)


check_defaults(_ENTRIES, DEFAULTS_FILE)
DEFAULTS = Behaviour()

# Who can announce a threat, from the least to the most binding: the order in which a
# standing threat is replaced by a higher one, and the audience_cost_* field of each.
THREAT_LEVELS: tuple[str, ...] = ("spokesman", "minister", "leader")


def threat_rank(level: str | None) -> int:
    """0 for no threat, then 1, 2, 3 from spokesman to leader."""
    return 0 if level is None else THREAT_LEVELS.index(level) + 1


def parameter_names() -> tuple[str, ...]:
    """Names of every behaviour parameter, in declaration order."""
    return tuple(f.name for f in fields(Behaviour))


def parameter_table() -> list[dict[str, Any]]:
    """Name, group, default, meaning, range, source and (if fitted) the fit's provenance of
    every parameter (for docs and checks)."""
    return [
        {
            "name": f.name,
            "group": f.metadata["group"],
            "default": getattr(DEFAULTS, f.name),
            "doc": f.metadata["doc"],
            "range": f.metadata["range"],
            "source": f.metadata["source"],
            "fit": f.metadata["fit"],
        }
        for f in fields(Behaviour)
    ]
