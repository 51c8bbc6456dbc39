"""Hostile files stop fast and small: an alias bomb, a 50 MB file, 2 MB of tiny values.

Time and peak memory are measured in a fresh subprocess that runs the command line's
`main` on the file, so that nothing else in the test session inflates them. The bounds
are generous (a loaded 2-core machine, a slow CI runner) but far below what the same files
cost without the limits in `sim/scenario/yamlsafe.py`: expanding the alias bomb would need
gigabytes, and composing 2 MB of one-character values took 28 s and 680 MB before the
composer counted nodes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import sim
from sim.scenario import yamlsafe
from tests.conftest import ROOT

BAD = ROOT / "tests" / "bad_scenarios"
MAX_SECONDS = 5.0  # inside the process, from the call to main to its return
MAX_PEAK_MB = 300.0  # the whole process, imports included (about 120 MB of that)

# Run `python -m sim FILE --out OUT` in-process and report what it cost, as one JSON line.
# Peak memory is the kernel's high-water mark of this process (VmHWM, reset by exec);
# getrusage's ru_maxrss is not used because on Linux a child inherits its parent's value,
# so it would report the size of the pytest process.
MEASURE = """
import json, resource, sys, time

def peak_mb():
    try:
        with open("/proc/self/status") as fh:
            return next(int(ln.split()[1]) for ln in fh if ln.startswith("VmHWM:")) / 1024
    except OSError:  # not Linux: the best available, an upper bound
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

import sim.cli.run, sim.engine.one_run, sim.reports.run_files  # what main imports, counted before
from sim.cli.main import main
before = peak_mb()
start = time.perf_counter()
code = main(sys.argv[1:])
seconds = time.perf_counter() - start
peak = peak_mb()
print(json.dumps({"code": code, "seconds": seconds, "peak_mb": peak,
                  "added_mb": peak - before}))
"""


def measure(scenario: Path, out: Path) -> tuple[dict[str, float], str]:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(scenario), "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip(), proc.stderr
    return json.loads(proc.stdout), proc.stderr


def fifty_megabytes(folder: Path) -> Path:
    """A 50 MB scenario: a valid one followed by a million events (generated, never
    committed)."""
    path = folder / "huge.yaml"
    head = (BAD.parent / "bad_scenarios" / "non_integer_count.yaml").read_text()
    head = head.replace("persons: 10.5", "persons: 1")
    line = b"  - {date: 2020-01-20, type: statement, actor: BBB, target: AAA, level: minister}\n"
    block = line * 10_000
    with path.open("wb") as fh:
        fh.write(head.encode())
        for _ in range(50_000_000 // len(block) + 1):
            fh.write(block)
    assert path.stat().st_size > 50_000_000
    return path


def tiny_values(folder: Path) -> Path:
    """Just under the size limit, a list of a million one-digit numbers: the costliest
    file that passes the size check."""
    path = folder / "tiny_values.yaml"
    count = (yamlsafe.MAX_BYTES - 100) // 2
    path.write_text("name: tiny\nevents: [" + "1," * count + "1]\n")
    assert path.stat().st_size <= yamlsafe.MAX_BYTES
    return path


CASES = {
    "alias_bomb": lambda tmp: BAD / "alias_bomb_billion_laughs.yaml",
    "fifty_megabytes": fifty_megabytes,
    "two_megabytes_of_values": tiny_values,
}
EXPECT = {
    "alias_bomb": "more than 100,000 values",
    "fifty_megabytes": "a scenario may be at most 2,000,000 bytes",
    "two_megabytes_of_values": "more than 100,000 values",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_stops_in_bounded_time_and_memory(tmp_path: Path, case: str):
    scenario = CASES[case](tmp_path)
    out = tmp_path / "results"
    cost, stderr = measure(scenario, out)
    lines = stderr.strip().splitlines()
    assert cost["code"] == 2
    assert len(lines) == 1 and EXPECT[case] in lines[0], stderr
    assert lines[0].startswith(f"error: {scenario}")
    assert not out.exists()
    # Printed with -s (pytest -s -k hostile) for the record; asserted with wide margins.
    print(f"{case}: {cost['seconds']:.2f} s, peak {cost['peak_mb']:.0f} MB "
          f"(+{cost['added_mb']:.0f} MB over the imports)")
    assert cost["seconds"] < MAX_SECONDS, cost
    assert cost["peak_mb"] < MAX_PEAK_MB, cost


def test_a_huge_file_is_refused_before_a_byte_is_read(tmp_path: Path, monkeypatch):
    path = fifty_megabytes(tmp_path)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(sim.ScenarioError, match=r"file is 50,0\d\d,\d{3} bytes"):
        sim.load(path)


@pytest.mark.parametrize("opening, closing", [("[", "]"), ("{a: ", "}")])
def test_very_deep_flow_nesting_stops_at_the_limit_with_a_line(tmp_path: Path, opening: str,
                                                                closing: str):
    """100,000 levels would exhaust Python's recursion in PyYAML's composer; the composer
    stops at level 41 instead (or libyaml at its own limit while reading), naming the line."""
    path = tmp_path / "deep.yaml"
    path.write_text("name: deep\n\ntitle: " + opening * 100_000 + "1" + closing * 100_000 + "\n")
    with pytest.raises(sim.ScenarioError) as info:
        sim.load(path)
    assert str(info.value).startswith(f"{path}:3: ")
    assert str(info.value).endswith("nesting deeper than 40 levels")


@pytest.mark.parametrize("item, step", [("k{i}:", 1), ("- k{i}:", 2), ("-", 1)])
def test_very_deep_block_nesting_stops_at_the_limit_with_a_line(tmp_path: Path, item: str,
                                                                 step: int):
    """Mappings and lists nested by indentation, 900 levels: stopped at level 41."""
    path = tmp_path / "deep.yaml"
    levels = "".join(" " * (step * i) + item.format(i=i) + "\n" for i in range(900))
    path.write_text(levels + " " * (step * 900) + "leaf\n")
    with pytest.raises(sim.ScenarioError) as info:
        sim.load(path)
    assert re.fullmatch(rf"{re.escape(str(path))}:\d+: \S+: nesting deeper than 40 levels",
                        str(info.value)), str(info.value)


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/object:subprocess.Popen {{args: ['touch', '{marker}']}}",
    "!!python/name:os.system",
    "!!python/module:os",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
    "!include {marker}",
    "!!binary aGVsbG8=",
    "!!set {{a, b}}",
    "!!omap [a: 1]",
    "{{!!python/name:os.system key: 1}}",  # on a key
])
@pytest.mark.parametrize("parser", sorted(yamlsafe.LOADERS))
def test_no_yaml_tag_outside_plain_values_is_constructed(tmp_path: Path, tag: str,
                                                         parser: str, monkeypatch):
    """Refused before construction: PyYAML's safe constructor is never reached for them,
    and a marker file the payload would create never appears."""
    monkeypatch.setattr(yamlsafe, "PARSER", parser)
    marker = tmp_path / "hacked"
    bad = tmp_path / "evil.yaml"
    bad.write_text("name: x\ntitle: " + tag.format(marker=marker) + "\n")
    with pytest.raises(sim.ScenarioError) as info:
        sim.load(bad)
    assert str(info.value).startswith(f"{bad}:2: title: unsupported YAML tag")
    assert not marker.exists()
