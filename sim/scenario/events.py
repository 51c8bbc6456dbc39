"""Machine-coded event data (ICEWS, GDELT 1.0 and 2.0, POLECAT) read into episode skeletons.

The first-response data set (`sim.scenario.dataset`) is hand-coded and small; event data
sets are machine-coded and large: millions of rows a year, a few of which are diplomatic
expulsions. This module reads such a file row by row (the csv module, never the whole file
in memory), keeps the expulsions of diplomats, and groups them into *skeletons*: for an
ordered pair of states, the first expulsion and whether, and after how many days, the
target expelled in return. A skeleton has no staff counts, mission sizes or leaders:
event data record none of them (docs/data.md, "Event data").

Layouts, told apart by the first line (`detect_layout`):

- ICEWS: tab-separated with a header ("Event Date", "Source Country", "CAMEO Code",
  "Target Country", ...); countries are named in words.
- GDELT 1.0 (57 fields; 58 in the daily files from April 2013, which add SOURCEURL) and
  GDELT 2.0 (61 fields): raw files are tab-separated without a header; a header row (tab
  or comma separated, as database exports write it) is also read. Countries are CAMEO
  three-letter codes.
- POLECAT: tab-separated with a header ("Event Date", "Event Type", "Event Mode",
  "Actor Country", "Recipient Country", ...); event types are PLOVER categories.

The filter (`is_diplomat_expulsion`), because the codes alone are noisy: CAMEO 161 ("reduce
or break diplomatic relations") also covers recalls, downgrades and severed ties, so a 161
is kept only when its text or actors mention diplomats, an embassy or an expulsion; CAMEO
174 ("expel or deport individuals") is mostly deportations of migrants or suspects, so it
is kept only when they mention diplomats. POLECAT's PLOVER categories stand in for the two
codes: SANCTION with mode "expel" for 161, COERCE with mode "deport" for 174.

Every problem is one `ScenarioError`, ``FILE:LINE: FIELD: message``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from sim.scenario.countries import iso3
from sim.scenario.errors import ScenarioError

DEFAULT_CODES: tuple[str, ...] = ("161", "174")
DEFAULT_WINDOW = 60
LAYOUTS = ("icews", "gdelt1", "gdelt2", "polecat")
FIRST_LINE_LIMIT = 1 << 20  # a header or a GDELT row is a few kB; a longer line is not one
EPISODE_COLUMNS = ("initiator", "target", "first_date", "answered", "answer_date",
                   "delay_days", "events", "source_layout", "codes")

# --- the columns of each layout ---------------------------------------------------------

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code")


def _geo(prefix: str, adm2: bool) -> list[str]:
    parts = ["Type", "FullName", "CountryCode", "ADM1Code", *(["ADM2Code"] if adm2 else []),
             "Lat", "Long", "FeatureID"]
    return [f"{prefix}Geo_{p}" for p in parts]


def _gdelt_columns(version: int) -> tuple[str, ...]:
    """The GDELT event table's fields in file order (codebooks V1.03 and V2.0): 2.0 adds
    an ADM2 code to each of the three places and the SOURCEURL."""
    adm2 = version == 2
    return (
        "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
        *(f"Actor1{a}" for a in _ACTOR), *(f"Actor2{a}" for a in _ACTOR),
        "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
        "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
        *_geo("Actor1", adm2), *_geo("Actor2", adm2), *_geo("Action", adm2),
        "DATEADDED", *(["SOURCEURL"] if adm2 else []),
    )


GDELT1_COLUMNS = _gdelt_columns(1)  # 57: the historical backfile, 1979 - March 2013
GDELT1_DAILY_COLUMNS = (*GDELT1_COLUMNS, "SOURCEURL")  # 58: daily files from April 2013
GDELT2_COLUMNS = _gdelt_columns(2)  # 61
assert (len(GDELT1_COLUMNS), len(GDELT2_COLUMNS)) == (57, 61)

# CAMEO's regional and non-state "country" codes: an event between them has no state pair.
CAMEO_REGIONS = frozenset({
    "AFR", "ASA", "BLK", "CRB", "CAU", "CFR", "CAS", "CEU", "EIN", "EAF", "EEU", "EUR",
    "LAM", "MEA", "MDT", "NAF", "NMR", "PGS", "SCN", "SAM", "SAS", "SEA", "SAF", "WAF",
    "WST",
})

# --- the filter ---------------------------------------------------------------------------

# Matched on text lower-cased with every run of punctuation turned into one space, so that
# a GDELT address such as .../russia-expels_diplomats.html reads "russia expels diplomats".
# "diplomatic" alone is left out on purpose: "diplomatic relations" is the wording of code
# 161 itself, and the noise this filter is for.
DIPLOMATS = re.compile(
    r"\b(diplomats?|diplomatic (staff|personnel|mission|missions|corps|officials?|agents?)"
    r"|embass(y|ies)|ambassadors?|envoys?|consuls?|consulates?|consular"
    r"|attach(e|es|é|és)|charg(e|é)s? d affaires|persona non grata)\b")
EXPULSION = re.compile(r"\b(expels?|expelled|expelling|expulsions?|persona non grata"
                       r"|ordered to leave|kick(s|ed)? out)\b")
_PUNCTUATION = re.compile(r"[\W_]+")


def normalise_text(text: str) -> str:
    """Lower case, punctuation and underscores to single spaces (see DIPLOMATS)."""
    return _PUNCTUATION.sub(" ", text.casefold()).strip()


def is_diplomat_expulsion(code: str, text: str) -> bool:
    """The noise filter, on a CAMEO-class code ("161" or "174") and the row's text.

    161 is kept when the text mentions diplomats, an embassy or an expulsion; 174 only when
    it mentions diplomats (or an embassy, envoy, consulate...). Any other code: False.
    """
    words = normalise_text(text)
    if code == "161":
        return bool(DIPLOMATS.search(words) or EXPULSION.search(words))
    if code == "174":
        return bool(DIPLOMATS.search(words))
    return False


# --- rows ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Event:
    """One expulsion of diplomats, normalised: who expelled whom, when, under which code.

    `code` is the layout's own ("161", "174"; "SANCTION/expel", "COERCE/deport" for
    POLECAT), `cameo` the CAMEO class it stands for ("161" or "174"), `line` its line in
    the file.
    """

    line: int
    date: dt.date
    source: str
    target: str
    code: str
    cameo: str
    text: str


@dataclass
class ReadStats:
    """What reading a file found: every row is counted once, in the first bin it fails."""

    layout: str = ""
    rows: int = 0
    coded: int = 0          # rows with one of the wanted codes
    no_state: int = 0       # ... of which a side is not a state (empty, a region, unknown)
    same_state: int = 0     # ... of which both sides are the same state
    not_diplomats: int = 0  # ... of which the text does not pass the filter
    kept: int = 0           # expulsion events kept (a row with compound actors may give more)
    unknown_names: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    """How to read one file: its kind, whether line 1 is a header, the delimiter, and the
    index of every column by name."""

    name: str
    header: bool
    delimiter: str
    columns: dict[str, int]

    def has(self, column: str) -> bool:
        return column in self.columns


def _fold(name: str) -> str:
    return name.strip().lstrip("\ufeff").casefold()


ICEWS_REQUIRED = ("Event Date", "Source Country", "CAMEO Code", "Target Country")
ICEWS_TEXT = ("Source Name", "Source Sectors", "Target Name", "Target Sectors")
POLECAT_REQUIRED = ("Event Date", "Event Type", "Actor Country", "Recipient Country")
POLECAT_TEXT = ("Actor Name", "Actor Title", "Actor Sectors", "Actor Name Raw",
                "Recipient Name", "Recipient Title", "Recipient Sectors",
                "Recipient Name Raw", "Headline", "Event Text")
GDELT_REQUIRED = ("EventCode", "Actor1CountryCode", "Actor2CountryCode")


def detect_layout(first_line: str, file: str = "<events>") -> Layout:
    """The layout of a file from its first line (see the module's docstring).

    A header is recognised by its column names; a header-less GDELT row by its number of
    tab-separated fields (57 or 58: 1.0; 61: 2.0) and a numeric event id and date.
    """
    line = first_line.rstrip("\r\n").lstrip("\ufeff")
    delimiter = "\t" if "\t" in line else ","
    names = next(csv.reader([line], delimiter=delimiter))
    folded = {_fold(n): i for i, n in enumerate(names)}

    def index(required: Sequence[str], optional: Sequence[str] = ()) -> dict[str, int]:
        missing = [c for c in required if _fold(c) not in folded]
        if missing:
            raise ScenarioError(f"the header lacks {', '.join(repr(m) for m in missing)}",
                                file=file, line=1, field="header")
        return {c: folded[_fold(c)] for c in (*required, *optional) if _fold(c) in folded}

    if {_fold(c) for c in ("CAMEO Code", "Source Country")} <= folded.keys():
        return Layout("icews", True, delimiter, index(ICEWS_REQUIRED, ICEWS_TEXT))
    if {_fold(c) for c in ("Event Type", "Recipient Country")} <= folded.keys():
        columns = index(POLECAT_REQUIRED, (*POLECAT_TEXT, "Event Mode", "Contexts"))
        return Layout("polecat", True, delimiter, columns)
    if {_fold(c) for c in GDELT_REQUIRED} <= folded.keys():
        date = "SQLDATE" if "sqldate" in folded else "Day"
        columns = index((date, *GDELT_REQUIRED), ("Actor1Name", "Actor2Name", "SOURCEURL"))
        columns["SQLDATE"] = columns.pop(date)
        version = "gdelt2" if "actor1geo_adm2code" in folded else "gdelt1"
        return Layout(version, True, delimiter, columns)
    fields = line.split("\t")
    numeric = len(fields) > 1 and fields[0].strip().isdigit() and fields[1].strip().isdigit()
    if numeric and len(fields) in (57, 58, 61):
        names_ = {57: GDELT1_COLUMNS, 58: GDELT1_DAILY_COLUMNS, 61: GDELT2_COLUMNS}[len(fields)]
        return Layout("gdelt2" if len(fields) == 61 else "gdelt1", False, "\t",
                      {n: i for i, n in enumerate(names_)})
    count = f"{len(fields)} tab-separated fields" if "\t" in line else "no tab"
    raise ScenarioError(
        f"unknown layout ({count}): expected an ICEWS or POLECAT header, a GDELT header, "
        "or a header-less GDELT row of 57 or 58 (1.0) or 61 (2.0) tab-separated fields",
        file=file, line=1, field="layout")


def _date(text: str, layout: str, file: str, line: int, column: str) -> dt.date:
    """The event's day: GDELT writes YYYYMMDD, ICEWS and POLECAT YYYY-MM-DD (POLECAT at
    times with a time after it, which is dropped)."""
    value = text.strip()
    try:
        if layout.startswith("gdelt"):
            if not re.fullmatch(r"\d{8}", value):
                raise ValueError
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        day = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ])", value)
        if day is None:
            raise ValueError
        return dt.date(int(day[1]), int(day[2]), int(day[3]))
    except ValueError:
        shape = "YYYYMMDD" if layout.startswith("gdelt") else "YYYY-MM-DD"
        raise ScenarioError(f"{value!r} is not a date written {shape}", file=file,
                            line=line, field=column) from None


def _states(value: str, layout: str, stats: ReadStats) -> list[str]:
    """The alpha-3 codes a country field names: GDELT gives CAMEO codes (regions are not
    states), ICEWS names, POLECAT codes or names, several joined by ';' for a compound
    actor. Empty, "None", a region or an unknown name give no state."""
    found: list[str] = []
    for part in value.split(";") if layout == "polecat" else [value]:
        part = part.strip()
        if not part or part.casefold() in ("none", "nan", "null"):
            continue
        if re.fullmatch(r"[A-Z]{3}", part) and layout != "icews":
            if part not in CAMEO_REGIONS:
                found.append(part)
            continue
        code = iso3(part)
        if code is None:
            stats.unknown_names[part] = stats.unknown_names.get(part, 0) + 1
        else:
            found.append(code)
    return found


def _polecat_class(event_type: str, mode: str, wanted: frozenset[str]) -> str | None:
    """The CAMEO class a PLOVER category stands for (PLOVER's CAMEO crosswalk): SANCTION
    with mode expel for 161, COERCE with mode deport for 174; None for anything else."""
    pair = (event_type.strip().casefold(), mode.strip().casefold())
    cameo = {("sanction", "expel"): "161", ("coerce", "deport"): "174"}.get(pair)
    return cameo if cameo in wanted else None


def read_events(path: str | Path, codes: Iterable[str] = DEFAULT_CODES,
                stats: ReadStats | None = None) -> Iterator[Event]:
    """Stream the diplomat expulsions of an event file, one `Event` at a time.

    Only rows with a wanted code are parsed beyond their number of fields: a malformed
    date on a row of another code is not looked at. `stats`, if given, is filled as the
    file is read (the counts are final once the iterator is exhausted).
    """
    wanted = frozenset(_code(c) for c in codes)
    stats = stats if stats is not None else ReadStats()
    file = str(path)
    try:
        handle = open(path, encoding="utf-8", errors="replace", newline="")  # noqa: SIM115
    except OSError as exc:
        raise ScenarioError(f"cannot read the file: {exc.strerror or exc}", file=file) from None
    with handle:
        first = handle.readline(FIRST_LINE_LIMIT)
        if len(first) == FIRST_LINE_LIMIT and not first.endswith("\n"):
            raise ScenarioError(f"the first line is longer than {FIRST_LINE_LIMIT} characters: "
                                "not an event file", file=file, line=1, field="layout")
        if not first.strip():
            raise ScenarioError("the file is empty", file=file, line=1, field="layout")
        layout = detect_layout(first, file)
        stats.layout = layout.name
        if not layout.header:
            handle.seek(0)
        yield from _rows(handle, layout, wanted, stats, file)


def _rows(handle: TextIO, layout: Layout, wanted: frozenset[str], stats: ReadStats,
          file: str) -> Iterator[Event]:
    # Tab-separated event files are not quoted: a stray quote mark is text, not the start
    # of a field running over lines. Comma-separated exports quote as csv does.
    reader = (csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
              if layout.delimiter == "\t" else csv.reader(handle))
    offset = 1 if layout.header else 0
    width = max(layout.columns.values()) + 1
    exact = None if layout.header else len(layout.columns)
    normalise = _NORMALISERS[layout.name]
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ScenarioError(str(exc), file=file, line=reader.line_num + offset,
                                field="row") from None
        line = reader.line_num + offset
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        stats.rows += 1
        if (exact is not None and len(row) != exact) or len(row) < width:
            expected = exact if exact is not None else f"at least {width}"
            raise ScenarioError(f"expected {expected} fields ({layout.name}), found {len(row)}",
                                file=file, line=line, field="row")
        yield from normalise(row, layout, wanted, stats, file, line)


def _code(text: str) -> str:
    """A CAMEO code as a string of at least three digits: ICEWS drops leading zeros."""
    value = text.strip()
    return value.zfill(3) if value.isdigit() else value


def _get(row: Sequence[str], layout: Layout, column: str) -> str:
    i = layout.columns.get(column)
    return row[i] if i is not None and i < len(row) else ""


def _emit(row: Sequence[str], layout: Layout, stats: ReadStats, file: str, line: int,
          *, date_column: str, sources: str, targets: str, code: str, cameo: str,
          text: str, passes: bool) -> Iterator[Event]:
    """Count the row in its bin and yield its events (several for compound actors)."""
    stats.coded += 1
    date = _date(_get(row, layout, date_column), layout.name, file, line, date_column)
    src = _states(sources, layout.name, stats)
    tgt = _states(targets, layout.name, stats)
    if not src or not tgt:
        stats.no_state += 1
        return
    pairs = [(s, t) for s in dict.fromkeys(src) for t in dict.fromkeys(tgt) if s != t]
    if not pairs:
        stats.same_state += 1
        return
    if not passes:
        stats.not_diplomats += 1
        return
    for s, t in pairs:
        stats.kept += 1
        yield Event(line, date, s, t, code, cameo, text)


def _icews(row: Sequence[str], layout: Layout, wanted: frozenset[str], stats: ReadStats,
           file: str, line: int) -> Iterator[Event]:
    """ICEWS: the text is the actors' names and sectors; "Event Text" is the label of the
    CAMEO code ("Reduce or break diplomatic relations"), not the story, so it is not read."""
    code = _code(_get(row, layout, "CAMEO Code"))
    if code not in wanted:
        return
    text = " | ".join(_get(row, layout, c) for c in ICEWS_TEXT)
    yield from _emit(row, layout, stats, file, line, date_column="Event Date",
                     sources=_get(row, layout, "Source Country"),
                     targets=_get(row, layout, "Target Country"), code=code, cameo=code,
                     text=text, passes=is_diplomat_expulsion(code, text))


def _gdelt(row: Sequence[str], layout: Layout, wanted: frozenset[str], stats: ReadStats,
           file: str, line: int) -> Iterator[Event]:
    """GDELT: the text is the two actor names and, from April 2013, the article's address
    (its words often carry the headline)."""
    code = _get(row, layout, "EventCode").strip()
    if code not in wanted:
        return
    text = " | ".join(_get(row, layout, c) for c in ("Actor1Name", "Actor2Name", "SOURCEURL"))
    yield from _emit(row, layout, stats, file, line, date_column="SQLDATE",
                     sources=_get(row, layout, "Actor1CountryCode"),
                     targets=_get(row, layout, "Actor2CountryCode"), code=code, cameo=code,
                     text=text, passes=is_diplomat_expulsion(code, text))


def _polecat(row: Sequence[str], layout: Layout, wanted: frozenset[str], stats: ReadStats,
             file: str, line: int) -> Iterator[Event]:
    """POLECAT: SANCTION/expel and COERCE/deport, with the actors' names, titles and
    sectors (and the headline where the file has one) as the text. A SANCTION/expel also
    passes with the context "diplomatic": PLOVER puts expelled diplomats there."""
    kind, mode = _get(row, layout, "Event Type"), _get(row, layout, "Event Mode")
    cameo = _polecat_class(kind, mode, wanted)
    if cameo is None:
        return
    text = " | ".join(_get(row, layout, c) for c in POLECAT_TEXT)
    contexts = {c.strip().casefold() for c in re.split(r"[;,]", _get(row, layout, "Contexts"))}
    passes = bool(DIPLOMATS.search(normalise_text(text))) or (
        cameo == "161" and "diplomatic" in contexts)
    yield from _emit(row, layout, stats, file, line, date_column="Event Date",
                     sources=_get(row, layout, "Actor Country"),
                     targets=_get(row, layout, "Recipient Country"),
                     code=f"{kind.strip().upper()}/{mode.strip().casefold()}", cameo=cameo,
                     text=text, passes=passes)


_Normaliser = Callable[[Sequence[str], Layout, frozenset[str], ReadStats, str, int],
                       Iterator[Event]]
_NORMALISERS: dict[str, _Normaliser] = {"icews": _icews, "gdelt1": _gdelt, "gdelt2": _gdelt,
                                        "polecat": _polecat}

# --- skeletons -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Skeleton:
    """An episode as event data can give it: who expelled whom first, and whether (and
    after how many days) the target expelled in return within the window.

    `events` counts the kept rows from initiator to target in the whole file (duplicated
    reports of one day included), `codes` the codes they carried.
    """

    initiator: str
    target: str
    first_date: dt.date
    answer_date: dt.date | None
    events: int
    source_layout: str
    codes: tuple[str, ...]

    @property
    def answered(self) -> bool:
        return self.answer_date is not None

    @property
    def delay_days(self) -> int | None:
        return None if self.answer_date is None else (self.answer_date - self.first_date).days

    def as_row(self) -> dict[str, str]:
        """The row of episodes.csv (EPISODE_COLUMNS); empty means no answer."""
        return {
            "initiator": self.initiator, "target": self.target,
            "first_date": self.first_date.isoformat(),
            "answered": "yes" if self.answered else "no",
            "answer_date": self.answer_date.isoformat() if self.answer_date else "",
            "delay_days": "" if self.delay_days is None else str(self.delay_days),
            "events": str(self.events), "source_layout": self.source_layout,
            "codes": ";".join(self.codes),
        }


@dataclass
class _PairLog:
    dates: set[dt.date] = field(default_factory=set)
    count: int = 0
    codes: set[str] = field(default_factory=set)


def skeletons(events: Iterable[Event], window: int = DEFAULT_WINDOW,
              layout: str = "") -> list[Skeleton]:
    """Group expulsions into skeletons, one per ordered pair that opened an exchange.

    The earliest expulsion between two states opens; the target's first expulsion of the
    initiator on the same day or up to `window` days later is the answer. An expulsion that
    answers does not open a skeleton of its own for the reverse pair; one outside the
    window does. Same-day expulsions both ways: the pair first in alphabetical order opens
    (the direction is then arbitrary). Only the days and counts of each pair are kept in
    memory, never the rows.
    """
    if window < 0:
        raise ValueError("the window must be 0 days or more")
    logs: dict[tuple[str, str], _PairLog] = {}
    for ev in events:
        log = logs.setdefault((ev.source, ev.target), _PairLog())
        log.dates.add(ev.date)
        log.count += 1
        log.codes.add(ev.code)
    first = {pair: min(log.dates) for pair, log in logs.items()}
    answers: set[tuple[str, str]] = set()
    out: list[Skeleton] = []
    for pair in sorted(logs, key=lambda p: (first[p], p)):
        if pair in answers:
            continue
        initiator, target = pair
        start, reverse = first[pair], logs.get((target, initiator))
        limit = start + dt.timedelta(days=window)
        answer = min((d for d in reverse.dates if start <= d <= limit),
                     default=None) if reverse else None
        if answer is not None and answer == first[(target, initiator)]:
            answers.add((target, initiator))
        log = logs[pair]
        out.append(Skeleton(initiator, target, start, answer, log.count, layout,
                            tuple(sorted(log.codes))))
    return out


@dataclass(frozen=True)
class EventImport:
    """A file read into skeletons, with what reading it found."""

    stats: ReadStats
    skeletons: list[Skeleton]
    window: int
    codes: tuple[str, ...]

    @property
    def answered_share(self) -> float:
        n = len(self.skeletons)
        return sum(s.answered for s in self.skeletons) / n if n else float("nan")

    @property
    def median_delay(self) -> float | None:
        delays = sorted(s.delay_days for s in self.skeletons if s.delay_days is not None)
        if not delays:
            return None
        mid = len(delays) // 2
        return float(delays[mid]) if len(delays) % 2 else (delays[mid - 1] + delays[mid]) / 2


def import_events(path: str | Path, *, window: int = DEFAULT_WINDOW,
                  codes: Iterable[str] = DEFAULT_CODES) -> EventImport:
    """Read an event file (any layout) into skeletons; memory grows with the expulsions
    kept, not with the file."""
    codes = tuple(dict.fromkeys(_code(c) for c in codes))
    unknown = [c for c in codes if c not in DEFAULT_CODES]
    if unknown:
        raise ScenarioError(f"only CAMEO 161 and 174 can be read as expulsions, not "
                            f"{', '.join(unknown)}", field="codes")
    stats = ReadStats()
    events = read_events(path, codes, stats)
    groups = skeletons(events, window)  # exhausts the stream: stats are final
    groups = [replace(s, source_layout=stats.layout) for s in groups]
    return EventImport(stats, groups, window, codes)


def read_skeletons(path: str | Path) -> list[Skeleton]:
    """Read an episodes.csv written by ``python -m sim import events`` back (for
    ``validate --events``), checking every row."""
    file = str(path)
    try:
        handle = open(path, encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise ScenarioError(f"cannot read the file: {exc.strerror or exc}", file=file) from None
    out: list[Skeleton] = []
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in EPISODE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ScenarioError(f"missing column(s) {', '.join(missing)}: not an episodes.csv "
                                "of `python -m sim import events`", file=file, line=1,
                                field="header")
        for row in reader:
            out.append(_skeleton(row, file, reader.line_num))
    return out


def _skeleton(row: dict[str, str], file: str, line: int) -> Skeleton:
    def fail(column: str, message: str) -> ScenarioError:
        return ScenarioError(message, file=file, line=line, field=column)

    def day(column: str) -> dt.date:
        try:
            return dt.date.fromisoformat(row[column] or "")
        except ValueError:
            raise fail(column, f"{row[column]!r} is not a date written YYYY-MM-DD") from None

    for column in ("initiator", "target"):
        if not re.fullmatch(r"[A-Z]{3,8}", row[column] or ""):
            raise fail(column, f"{row[column]!r} is not a state code (3 to 8 capitals)")
    first = day("first_date")
    if row["answered"] not in ("yes", "no"):
        raise fail("answered", f"{row['answered']!r} is not yes or no")
    answer = day("answer_date") if row["answered"] == "yes" else None
    if row["answered"] == "no" and (row["answer_date"] or row["delay_days"]):
        raise fail("answer_date", "an unanswered skeleton has no answer date or delay")
    if answer is not None:
        if answer < first:
            raise fail("answer_date", f"{answer} is before the first date {first}")
        if row["delay_days"] != str((answer - first).days):
            raise fail("delay_days", f"{row['delay_days']!r} is not answer_date - first_date "
                       f"= {(answer - first).days}")
    if not (row["events"] or "").isdigit() or int(row["events"]) < 1:
        raise fail("events", f"{row['events']!r} is not a count of 1 or more")
    codes = tuple(c for c in (row["codes"] or "").split(";") if c)
    return Skeleton(row["initiator"], row["target"], first, answer, int(row["events"]),
                    row["source_layout"] or "", codes)
