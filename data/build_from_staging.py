"""Rebuild data/first_responses.csv and data/sources.csv from the researchers' staging folders.

Run once per staging release: ``python data/build_from_staging.py /work/staging``. Every
change to a staged row is listed below in FIXES (with its reason) and is also appended to the
row's notes, so the merged file explains itself. The split rule is sim.scenario.dataset.split_of
(copied here so the script runs without the package). See docs/data.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMA = [
    "episode_id", "initiator", "target", "date", "move_type", "move_persons", "move_facilities",
    "move_ranks", "status", "initiator_staff_in_target", "target_staff_in_initiator",
    "power_asymmetry", "target_dependence", "leverage", "initiator_transition_pending",
    "target_transition_pending", "new_target_leader_seeking_better_relations", "summit_pending",
    "statement_level", "reassurance", "at_war", "coalition_size", "divided_initiator",
    "response_type", "response_persons", "response_facilities", "response_category",
    "response_date", "delay_days", "sources", "notes",
]
COLUMNS = ["response_id", *SCHEMA, "round", "split"]
SOURCE_COLUMNS = ["source_id", "outlet", "date", "language", "title", "url"]


def split_of(episode_id: str) -> str:
    h = int(hashlib.sha256(episode_id.encode("utf-8")).hexdigest()[:8], 16)
    return "test" if h / 2**32 < 0.30 else "train"


# --- rows dropped, with the reason -----------------------------------------------------------
DROP_EPISODES = {
    "2021-10-tur-kavala-10": "announced but never carried out (Erdogan withdrew the order two "
    "days later, before any note was handed over): not an initiating move under the rule in "
    "docs/data.md",
}

# --- at_war: war neither between the two sides nor one the target fights over the move ---
AT_WAR_NO = (
    "Merge review: at_war set to no - the war cited (Afghanistan, Korea, Chechnya or "
    "Iran-Iraq) was not between the two sides and the move was not about it (rule in "
    "docs/data.md)."
)

# --- field fixes: (episode_id, initiator, target, date) -> {field: value}, note -------------
FIXES: list[tuple[tuple[str, str, str, str], dict[str, str], str]] = [
    (("1986-09-usa-sun-un-mission", "USA", "SUN", "1986-10-21"),
     {"target_staff_in_initiator": ""},
     "Merge review: 320 was a permitted ceiling, not the Soviet staff actually present, so "
     "target_staff_in_initiator is left empty."),
    (("1986-09-usa-sun-un-mission", "SUN", "USA", "1986-10-22"),
     {"response_persons": "", "initiator_staff_in_target": "", "target_staff_in_initiator": ""},
     "Merge review: response persons emptied because UPI (about 10) and the LA Times (about "
     "six) disagree; the 251 staff figures were the new ceilings, not sizes before the move, "
     "so they are emptied too. Category smaller holds under either count."),
    (("1980-02-esp-sun-aeroflot", "ESP", "SUN", "1980-02-15"),
     {"date": "1980-02-16"},
     "Merge review: the staged date was a guess (the day before the first report); the date "
     "of the El Pais report of 16 Feb is used instead as the latest possible announcement "
     "date."),
    (("2013-03-ven-usa-attaches", "VEN", "USA", "2013-03-05"),
     {"response_date": "2013-03-09"},
     "Merge review: response dated to 9 Mar, when Washington notified Caracas, following the "
     "rule that a move or response dates from its first official communication."),
    (("2020-06-ind-pak-staff50", "IND", "PAK", "2020-06-23"),
     {"initiator_staff_in_target": "", "target_staff_in_initiator": ""},
     "Merge review: staff sizes emptied because the source gives only 'about 90-plus'."),
    (("2015-02-bra-idn-credentials", "BRA", "IDN", "2015-02-20"),
     {"status": "non_accredited"},
     "Merge review: status set to non_accredited as the ambassador-designate had not yet "
     "presented credentials."),
    (("2021-04-pol-rus", "POL", "RUS", "2021-04-15"),
     {"episode_id": "2021-04-usa-rus"},
     "Merge review: moved into the US episode of the same day, since Warsaw said it acted in "
     "coordination with Washington (coalition_size 2); the US row stays coalition 1 as it "
     "acted first."),
    (("2022-03-ukraine-war-wave", "ESP", "RUS", "2022-04-05"),
     {"move_persons": "27", "response_category": "same", "sources": "+E1;E2"},
     "Merge review: Xinhua (E1) reports Albares gave 27, and Madrid said Moscow's 27 matched "
     "its own number (E2), so move persons 27 and category same."),
    (("2022-03-ukraine-war-wave", "SWE", "RUS", "2022-04-05"),
     {"sources": "+E3"},
     "Merge review: Linde's count of 4 is 3 at the Moscow embassy plus 1 at the St Petersburg "
     "consulate (E3); the Russian statement's 3 leaves out the consulate."),
    (("2023-03-est-rus", "EST", "RUS", "2023-03-24"),
     {"sources": "+E4"},
     "Merge review: the 31 Mar response date is confirmed by a dated Sputnik report (E4)."),
    (("1971-09-gbr-sun-foot", "GBR", "SUN", "1971-09-24"),
     {"sources": "+E7"},
     "Merge review: a Reuters dispatch from Moscow dated 10 Oct (E7) says the embassy gave "
     "details of the Soviet answer the day before, so it was public by 9 Oct; the exact day "
     "is still unknown and the response date stays empty."),
    (("2009-07-ukr-rus", "UKR", "RUS", "2009-07-23"),
     {"response_date": "2009-07-29", "sources": "+E5;E6"},
     "Merge review: Moscow's answer was handed to the Ukrainian ambassador on Wednesday 29 "
     "July (E5, E6), which fills the response date."),
]

# reassurance stated on or after the day of the target's answer cannot have shaped it
REASSURANCE_AFTER = {
    ("2018-03-skripal-wave", "DEU", "RUS"), ("2018-03-skripal-wave", "FRA", "RUS"),
    ("2018-03-skripal-wave", "ALB", "RUS"), ("2022-03-ukraine-war-wave", "ITA", "RUS"),
    ("2022-03-ukraine-war-wave", "AUT", "RUS"), ("2022-03-ukraine-war-wave", "USA", "RUS"),
}
REASSURANCE_NOTE = (
    "Merge review: reassurance emptied - the statement came on or after the day of the "
    "answer, so it could not inform it."
)

NEW_SOURCES = [
    {"source_id": "E1", "outlet": "People's Daily Online (citing Xinhua)", "date": "2022-04-06",
     "language": "en", "title": "Spain to expel 27 Russian diplomats",
     "url": "http://en.people.cn/n3/2022/0406/c90000-10080280.html"},
    {"source_id": "E2", "outlet": "Les Nouvelles Caledoniennes (lnc.nc, agency copy)",
     "date": "", "language": "fr",
     "title": "[descriptive title] Spain rejects Russia's expulsion of 27 Spanish diplomats",
     "url": "https://www.lnc.nc/print/1384327"},
    {"source_id": "E3", "outlet": "Dnevnik (citing AFP)", "date": "2022-04", "language": "sl",
     "title": "Rusija izgnala vec svedskih diplomatov",
     "url": "https://www.dnevnik.si/1042987969/svet/rusija-izgnala-vec-svedskih-diplomatov"},
    {"source_id": "E4", "outlet": "UrduPoint (citing Sputnik)", "date": "2023-03-31",
     "language": "en",
     "title": "Russia Expels 1 Estonian Diplomat In Retaliation - Russian Foreign Ministry",
     "url": "https://www.urdupoint.com/en/world/russia-expels-1-estonian-diplomat-in-retaliat-1668809.html"},
    {"source_id": "E5", "outlet": "ostro.org", "date": "", "language": "ru",
     "title": "Ответный реверанс. Россия предлагает Украине убрать дипломатов из Петербурга и Москвы",
     "url": "https://www.ostro.org/general/politics/news/66779"},
    {"source_id": "E6", "outlet": "rustopnews.online (Gazeta.ru copy)", "date": "2009-07-30",
     "language": "ru", "title": "Россия и Украина выгнали консулов",
     "url": "https://rustopnews.online/politics/2009/07/30_a_3229244.shtml"},
    {"source_id": "E7", "outlet": "The Press (citing NZPA-Reuter), Papers Past",
     "date": "1971-10-11", "language": "en", "title": "'Face-saving' expulsions",
     "url": "https://paperspast.natlib.govt.nz/newspapers/CHP19711011.2.86"},
]


def _key(row: dict[str, str]) -> tuple[str, str, str, str]:
    return (row["episode_id"], row["initiator"], row["target"], row["date"])


def _add_note(row: dict[str, str], note: str) -> None:
    row["notes"] = (row["notes"].rstrip() + " " + note).strip()


def main(staging: Path) -> None:
    rows: list[dict[str, str]] = []
    sources: dict[str, dict[str, str]] = {}
    for letter in "ABCD":
        with open(staging / letter / "first_responses.csv", newline="", encoding="utf-8") as f:
            rows += [dict(r) for r in csv.DictReader(f)]
        with open(staging / letter / "sources.csv", newline="", encoding="utf-8") as f:
            for s in csv.DictReader(f):
                assert s["source_id"] not in sources, s["source_id"]
                sources[s["source_id"]] = dict(s)
    for s in NEW_SOURCES:
        sources[s["source_id"]] = s

    rows = [r for r in rows if r["episode_id"] not in DROP_EPISODES]
    rows = [r for r in rows if r["date"] < "2024-01-01"]

    by_key = {_key(r): r for r in rows}
    for key, changes, note in FIXES:
        row = by_key[key]
        for field, value in changes.items():
            if field == "sources" and value.startswith("+"):
                row["sources"] += ";" + value[1:]
            else:
                row[field] = value
        _add_note(row, note)

    for r in rows:
        if r["at_war"] == "yes" and (
            r["date"] < "1992-01-01"
            or (r["target"] == "RUS" and r["date"] < "2010-01-01"
                or r["initiator"] == "RUS" and r["date"] < "2010-01-01")
        ):
            r["at_war"] = "no"
            _add_note(r, AT_WAR_NO)
        if (r["episode_id"], r["initiator"], r["target"]) in REASSURANCE_AFTER:
            r["reassurance"] = ""
            _add_note(r, REASSURANCE_NOTE)
        if r["response_date"]:
            days = (dt.date.fromisoformat(r["response_date"])
                    - dt.date.fromisoformat(r["date"])).days
            r["delay_days"] = str(days)
        else:
            r["delay_days"] = ""

    # rounds: a row answers an earlier row of its episode when roles swap and dates chain
    rows.sort(key=lambda r: (r["episode_id"], r["date"], r["initiator"], r["target"]))
    for r in rows:
        prev = [q for q in rows if q is not r and q["episode_id"] == r["episode_id"]
                and q["initiator"] == r["target"] and q["target"] == r["initiator"]
                and q["response_date"] == r["date"]]
        r["round"] = str(int(prev[0]["round"]) + 1) if prev else "1"
    seen: dict[str, int] = {}
    for r in rows:
        base = f"{r['episode_id']}:{r['initiator']}-{r['target']}"
        seen[base] = seen.get(base, 0) + 1
        r["response_id"] = base if seen[base] == 1 else f"{base}:{seen[base]}"
        r["split"] = split_of(r["episode_id"])

    cited = {s for r in rows for s in r["sources"].split(";")}
    missing = cited - set(sources)
    assert not missing, missing
    kept = [s for sid, s in sources.items() if sid in cited]

    with open(HERE / "first_responses.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows({c: r.get(c, "") for c in COLUMNS} for r in rows)

    def sid_order(s: dict[str, str]) -> tuple[str, int]:
        return (s["source_id"][0], int(s["source_id"][1:]))

    with open(HERE / "sources.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, SOURCE_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows({c: s.get(c, "") for c in SOURCE_COLUMNS} for s in sorted(kept, key=sid_order))
    print(f"{len(rows)} rows, {len({r['episode_id'] for r in rows})} episodes, "
          f"{len(kept)} sources ({len(sources) - len(kept)} uncited dropped)")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/staging"))
