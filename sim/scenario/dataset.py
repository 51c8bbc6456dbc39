"""The first-response data set (data/first_responses.csv, data/sources.csv): typed rows.

A pure reader - the csv module and dataclasses, no pandas - in the scenario layer, so the
engine and the analysis may use it and no rule can. Every malformed row raises one
``ScenarioError`` formatted ``FILE:LINE: FIELD: message``. ``split_of`` is the frozen
train/test rule of docs/data.md: it must never change once any fit has used the split.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sim.scenario.errors import ScenarioError

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
FIRST_RESPONSES = DATA_DIR / "first_responses.csv"
SOURCES = DATA_DIR / "sources.csv"

TEST_SHARE = 0.30
MOVE_TYPES = frozenset({"expel", "ceiling", "closure", "recall", "downgrade",
                        "accreditation_refused", "visa_ban", "local_hire_ban"})
RESPONSE_TYPES = MOVE_TYPES | {"none"}
STATUSES = frozenset({"accredited", "non_accredited", "disputed"})
POWER = frozenset({"initiator_stronger", "similar", "target_stronger"})
DEPENDENCE = frozenset({"none", "low", "high"})
STATEMENT_LEVELS = frozenset({"none", "spokesman", "minister", "leader"})
CATEGORIES = frozenset({"none", "smaller", "same", "larger"})
SPLITS = frozenset({"train", "test"})
LAST_DAY = dt.date(2023, 12, 31)
FIRST_DAY = dt.date(1945, 1, 1)

COLUMNS = (
    "response_id", "episode_id", "initiator", "target", "date", "move_type", "move_persons",
    "move_facilities", "move_ranks", "status", "initiator_staff_in_target",
    "target_staff_in_initiator", "power_asymmetry", "target_dependence", "leverage",
    "initiator_transition_pending", "target_transition_pending",
    "new_target_leader_seeking_better_relations", "summit_pending", "statement_level",
    "reassurance", "at_war", "coalition_size", "divided_initiator", "response_type",
    "response_persons", "response_facilities", "response_category", "response_date",
    "delay_days", "sources", "notes", "round", "split",
)
SOURCE_COLUMNS = ("source_id", "outlet", "date", "language", "title", "url")


def split_of(episode_id: str) -> str:
    """``test`` for about 30% of episodes, chosen by a stable hash of the episode id.

    int(sha256(id).hexdigest()[:8], 16) / 2**32 < 0.30 -> test. Frozen: do not change.
    """
    h = int(hashlib.sha256(episode_id.encode("utf-8")).hexdigest()[:8], 16)
    return "test" if h / 2**32 < TEST_SHARE else "train"


@dataclass(frozen=True, slots=True)
class FirstResponse:
    """One dyadic first response (codebook: docs/data.md). None = empty (unknown/not coded)."""

    response_id: str
    episode_id: str
    initiator: str
    target: str
    date: dt.date
    move_type: str
    move_persons: int | None
    move_facilities: int | None
    move_ranks: str
    status: str | None
    initiator_staff_in_target: int | None
    target_staff_in_initiator: int | None
    power_asymmetry: str | None
    target_dependence: str | None
    leverage: str
    initiator_transition_pending: bool | None
    target_transition_pending: bool | None
    new_target_leader_seeking_better_relations: bool | None
    summit_pending: bool | None
    statement_level: str | None
    reassurance: bool | None
    at_war: bool
    coalition_size: int
    divided_initiator: bool | None
    response_type: str
    response_persons: int | None
    response_facilities: int | None
    response_category: str | None
    response_date: dt.date | None
    delay_days: int | None
    sources: tuple[str, ...]
    notes: str
    round: int
    split: str

    @property
    def involves_russia_or_ussr(self) -> bool:
        return bool({"RUS", "SUN"} & {self.initiator, self.target})


@dataclass(frozen=True, slots=True)
class Source:
    source_id: str
    outlet: str
    date: str
    language: str
    title: str
    url: str


class _Row:
    """Field parsers for one CSV row that raise FILE:LINE: FIELD: message."""

    def __init__(self, raw: dict[str, str | None], file: str, line: int) -> None:
        self.raw, self.file, self.line = raw, file, line

    def fail(self, field: str, message: str) -> ScenarioError:
        return ScenarioError(message, file=self.file, line=self.line, field=field)

    def text(self, field: str, *, required: bool = False) -> str:
        value = self.raw.get(field)
        if value is None:
            raise self.fail(field, "missing (row has too few columns)")
        value = value.strip()
        if required and not value:
            raise self.fail(field, "must not be empty")
        return value

    def enum(self, field: str, allowed: frozenset[str], *, required: bool = False) -> str | None:
        value = self.text(field, required=required)
        if not value:
            return None
        if value not in allowed:
            raise self.fail(field, f"{value!r} is not one of {', '.join(sorted(allowed))}")
        return value

    def integer(self, field: str, *, required: bool = False) -> int | None:
        value = self.text(field, required=required)
        if not value:
            return None
        if not value.isdigit():
            raise self.fail(field, f"{value!r} is not a non-negative integer")
        return int(value)

    def yes_no(self, field: str, *, required: bool = False) -> bool | None:
        value = self.enum(field, frozenset({"yes", "no"}), required=required)
        return None if value is None else value == "yes"

    def date(self, field: str, *, required: bool = False) -> dt.date | None:
        value = self.text(field, required=required)
        if not value:
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise self.fail(field, f"{value!r} is not an ISO date YYYY-MM-DD") from None
        if not FIRST_DAY <= day <= LAST_DAY:
            raise self.fail(field, f"{value} is outside 1945-01-01..2023-12-31")
        return day


def _parse(row: _Row) -> FirstResponse:
    date = row.date("date", required=True)
    response_type = row.enum("response_type", RESPONSE_TYPES, required=True)
    response_date = row.date("response_date")
    delay = row.integer("delay_days")
    category = row.enum("response_category", CATEGORIES)
    assert date is not None and response_type is not None
    if response_date is not None:
        if response_date < date:
            raise row.fail("response_date", "is before the move's date")
        if delay != (response_date - date).days:
            raise row.fail("delay_days", f"{delay} is not response_date - date = "
                           f"{(response_date - date).days}")
    elif delay is not None:
        raise row.fail("delay_days", "given without a response_date")
    if (response_type == "none") != (category == "none"):
        raise row.fail("response_category", f"{category!r} does not fit response_type "
                       f"{response_type!r} (none goes with none)")
    episode_id = row.text("episode_id", required=True)
    split = row.enum("split", SPLITS, required=True)
    if split != split_of(episode_id):
        raise row.fail("split", f"{split!r} breaks the frozen rule, which gives "
                       f"{split_of(episode_id)!r}")
    sources = tuple(s.strip() for s in row.text("sources", required=True).split(";"))
    if not all(sources):
        raise row.fail("sources", "has an empty source id")
    round_ = row.integer("round", required=True)
    coalition = row.integer("coalition_size", required=True)
    at_war = row.yes_no("at_war", required=True)
    assert round_ is not None and coalition is not None and at_war is not None
    return FirstResponse(
        response_id=row.text("response_id", required=True),
        episode_id=episode_id,
        initiator=row.text("initiator", required=True),
        target=row.text("target", required=True),
        date=date,
        move_type=row.enum("move_type", MOVE_TYPES, required=True) or "",
        move_persons=row.integer("move_persons"),
        move_facilities=row.integer("move_facilities"),
        move_ranks=row.text("move_ranks"),
        status=row.enum("status", STATUSES),
        initiator_staff_in_target=row.integer("initiator_staff_in_target"),
        target_staff_in_initiator=row.integer("target_staff_in_initiator"),
        power_asymmetry=row.enum("power_asymmetry", POWER),
        target_dependence=row.enum("target_dependence", DEPENDENCE),
        leverage=row.text("leverage"),
        initiator_transition_pending=row.yes_no("initiator_transition_pending"),
        target_transition_pending=row.yes_no("target_transition_pending"),
        new_target_leader_seeking_better_relations=row.yes_no(
            "new_target_leader_seeking_better_relations"),
        summit_pending=row.yes_no("summit_pending"),
        statement_level=row.enum("statement_level", STATEMENT_LEVELS),
        reassurance=row.yes_no("reassurance"),
        at_war=at_war,
        coalition_size=coalition,
        divided_initiator=row.yes_no("divided_initiator"),
        response_type=response_type,
        response_persons=row.integer("response_persons"),
        response_facilities=row.integer("response_facilities"),
        response_category=category,
        response_date=response_date,
        delay_days=delay,
        sources=sources,
        notes=row.text("notes"),
        round=round_,
        split=split,
    )


def _read(path: Path, columns: tuple[str, ...]) -> list[_Row]:
    file = str(path)
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            header = tuple(reader.fieldnames or ())
            if header != columns:
                missing = [c for c in columns if c not in header]
                extra = [c for c in header if c not in columns]
                raise ScenarioError(f"header does not match the codebook (missing {missing}, "
                                    f"unexpected {extra})", file=file, line=1)
            rows = []
            for raw in reader:
                row = _Row(raw, file, reader.line_num)
                if None in raw:
                    raise row.fail("notes", "row has more columns than the header")
                rows.append(row)
            return rows
    except OSError as exc:
        raise ScenarioError(f"cannot read: {exc.strerror}", file=file) from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ScenarioError(f"not a valid UTF-8 CSV file: {exc}", file=file) from None


def load_first_responses(path: str | Path | None = None) -> list[FirstResponse]:
    """Every row of data/first_responses.csv (or ``path``), checked and typed."""
    rows = _read(Path(path) if path is not None else FIRST_RESPONSES, COLUMNS)
    out: list[FirstResponse] = []
    seen: set[str] = set()
    for row in rows:
        item = _parse(row)
        if item.response_id in seen:
            raise row.fail("response_id", f"{item.response_id!r} appears twice")
        seen.add(item.response_id)
        out.append(item)
    return out


def load_sources(path: str | Path | None = None) -> dict[str, Source]:
    """data/sources.csv (or ``path``) by source id."""
    out: dict[str, Source] = {}
    for row in _read(Path(path) if path is not None else SOURCES, SOURCE_COLUMNS):
        source = Source(*(row.text(c, required=c in ("source_id", "outlet", "url"))
                          for c in SOURCE_COLUMNS))
        if source.source_id in out:
            raise row.fail("source_id", f"{source.source_id!r} appears twice")
        out[source.source_id] = source
    return out
