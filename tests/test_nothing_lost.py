"""Nothing lost, nothing misleading: what `--force`, races, overrides and odd destinations
may and may not do to folders; inputs that once ended in a traceback.

Every test here failed before the change it guards (see the issue "Nothing lost, nothing
misleading"). In-process where possible (`main`), in a subprocess where the behaviour is
that of a real process: races, pipes, signals.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import sim
from sim.cli.main import main
from sim.io import folders
from sim.io.folders import OutputError
from sim.reports.run_files import write_all
from tests.conftest import ROOT, SCENARIOS, run_cli

SCENARIO = SCENARIOS / "2016.yaml"


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), captured.err
    assert "Traceback" not in captured.err
    return lines[0]


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- data loss ----------------------------------------------------------------------

def test_force_never_replaces_a_folder_the_tool_did_not_write(tmp_path: Path, capsys):
    """`--out scenarios --force` removed every scenario file."""
    mine = tmp_path / "scenarios"
    shutil.copytree(SCENARIOS, mine)
    before = tree(mine)
    code = main([str(SCENARIO), "--out", str(mine), "--force", "--no-charts", "--quiet"])
    assert code == 2
    assert "sim never replaces such a folder, even with --force" in one_error_line(capsys)
    assert tree(mine) == before


def test_force_refuses_a_results_folder_holding_a_file_of_the_users(tmp_path: Path,
                                                                   run_2016, run_hawkish):
    out = write_all(run_2016, tmp_path / "r", charts=False)
    (out / "notes.txt").write_text("my notes")
    with pytest.raises(OutputError, match="holds files sim did not write"):
        write_all(run_hawkish, out, charts=False, force=True)
    assert (out / "notes.txt").read_text() == "my notes"


def test_force_replaces_a_folder_the_tool_wrote(tmp_path: Path, run_2016, run_hawkish):
    out = write_all(run_2016, tmp_path / "r", charts=False)
    with pytest.raises(OutputError, match="pass --force"):
        write_all(run_hawkish, out, charts=False)
    write_all(run_hawkish, out, charts=False, force=True)
    assert '"2016_hawkish_successor"' in (out / ".sim-results").read_text()  # the marker


def test_a_sweep_with_force_leaves_a_foreign_folder_alone(tmp_path: Path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "summary.json").write_text("{}")  # a name the sweep writes, but not its file
    with pytest.raises(OutputError, match="sim did not write"):
        sim.sweep(SCENARIO, {"behaviour.reset_value": [1, 2]}, out=mine, force=True)
    assert (mine / "summary.json").read_text() == "{}"


def test_three_scenarios_racing_into_one_new_folder_one_wins(tmp_path: Path):
    """All three printed "wrote ..." and one result survived. Each run is held after its
    tables (SIM_TEST_PAUSE) so that all three pass the early check before any moves in."""
    out = tmp_path / "shared"
    names = ["2016.yaml", "2016_hawkish_successor.yaml", "2001_usa_rus.yaml"]
    env = {**os.environ, "MPLBACKEND": "Agg", "SIM_TEST_PAUSE": "tables:2"}
    procs = [subprocess.Popen([sys.executable, "-m", "sim", str(SCENARIOS / n), "--out",
                               str(out), "--no-charts", "--quiet"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n in names]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 2, 2], results
    for code, stdout, stderr in results:
        if code == 2:
            assert stdout == "" and len(stderr.strip().splitlines()) == 1
            assert stderr.startswith(f"error: {out}: holds results of scenario")
    winner = next(n for n, (code, _, _) in zip(names, results, strict=True) if code == 0)
    held = (out / "summary.json").read_text()
    assert f'"file": "{SCENARIOS / winner}"' in held
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_set_without_out_never_overwrites_the_baseline(tmp_path: Path):
    """`--set states.RUS.policy=in_kind` without --out replaced results/2016/."""
    shutil.copy(SCENARIO, tmp_path / "2016.yaml")
    base = run_cli("2016.yaml", "--no-charts", "--quiet", cwd=tmp_path)
    assert base.returncode == 0, base.stderr
    before = tree(tmp_path / "results" / "2016")
    changed = run_cli("2016.yaml", "--no-charts", "--quiet", "--set",
                      "states.RUS.policy=in_kind", cwd=tmp_path)
    assert changed.returncode == 0, changed.stderr
    assert tree(tmp_path / "results" / "2016") == before
    [own] = [p for p in (tmp_path / "results").iterdir() if p.name.startswith("2016-set-")]
    assert changed.stdout.startswith(f"wrote results/{own.name}/ (the folder of these --set")
    assert "in_kind" in (own / "summary.json").read_text()


@pytest.mark.parametrize("mask", [0o022, 0o077])
def test_results_follow_the_users_umask(tmp_path: Path, run_2016, mask: int):
    """Folders were 0700 (mkdtemp) or 0755 depending on the command."""
    old = os.umask(mask)
    try:
        out = write_all(run_2016, tmp_path / "r", charts=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~mask
    for p in out.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o666 & ~mask, p.name


# --- destinations that cannot be written: one line, before any long computation -----------

@pytest.mark.parametrize("command", [
    [],
    ["--runs", "3"],
])
@pytest.mark.parametrize("out", ["/proc/sim-results", "."])
def test_an_impossible_out_is_one_line(tmp_path: Path, capsys, command: list[str], out: str,
                                       monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main([str(SCENARIO), "--out", out, "--no-charts", *command]) == 2
    line = one_error_line(capsys)
    assert line.startswith(f"error: {out}: ")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_parent_is_one_line(tmp_path: Path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        assert main([str(SCENARIO), "--out", str(locked / "r"), "--no-charts"]) == 2
    finally:
        locked.chmod(0o755)
    assert "cannot write there" in one_error_line(capsys)


def test_a_long_out_name_is_written_through_short_hidden_names(tmp_path: Path, run_2016):
    """A 240-character folder name made the temporary folder's name too long."""
    out = tmp_path / ("n" * 240)
    write_all(run_2016, out, charts=False)
    assert (out / "events.csv").exists()
    with pytest.raises(OutputError, match="255"):
        write_all(run_2016, tmp_path / ("n" * 300), charts=False)


def test_sensitivity_tournament_and_validate_check_the_folder_first(tmp_path: Path, capsys,
                                                                     monkeypatch):
    """They finished their work and then failed; now they stop before it."""
    from sim.analysis import validation
    from sim.experiments import sensitivity, tournament

    def never(*args, **kwargs):
        raise AssertionError("the computation started")

    monkeypatch.setattr(sensitivity, "one_at_a_time", never)
    monkeypatch.setattr(tournament, "play", never)
    monkeypatch.setattr(validation, "scorecard", never)
    bad = "/proc/sim-results"
    assert main(["sensitivity", str(SCENARIO), "--out", bad]) == 2
    assert one_error_line(capsys).startswith(f"error: {bad}: cannot write there")
    assert main(["tournament", "--out", bad, "--quiet"]) == 2
    assert one_error_line(capsys).startswith(f"error: {bad}: cannot write there")
    assert main(["validate", str(SCENARIO), "--out", bad]) == 2
    assert one_error_line(capsys).startswith(f"error: {bad}: cannot write there")


# --- inputs that ended in a traceback ---------------------------------------------------

def test_an_impossible_date_in_set_is_one_line(tmp_path: Path, capsys):
    assert main([str(SCENARIO), "--out", str(tmp_path / "r"), "--set", "end=2017-02-30"]) == 2
    line = one_error_line(capsys)
    assert line == (f"error: {SCENARIO}: --set end: cannot read value '2017-02-30' as YAML: "
                    "bad value '2017-02-30': day is out of range for month")


def test_an_alias_bomb_in_set_stops_at_the_value_limit(tmp_path: Path, capsys):
    """The bounded reader that guards files guards --set (PyYAML grew ~55 MB/s)."""
    layers = ["&l0 [1,1,1,1,1,1,1,1,1]"]
    for k in range(1, 9):
        layers.append(f"&l{k} [" + ",".join([f"*l{k - 1}"] * 9) + "]")
    bomb = "[" + ",".join(layers) + "]"
    assert main([str(SCENARIO), "--out", str(tmp_path / "r"), "--set", f"title={bomb}"]) == 2
    assert "more than 100,000 values" in one_error_line(capsys)


def test_a_closed_pipe_is_no_traceback():
    proc = subprocess.run(f"{sys.executable} -m sim {SCENARIO} --no-charts --out "
                          f"{'$(mktemp -d)'}/r | head -1", shell=True, cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "MPLBACKEND": "Agg"})
    assert proc.stdout.count("\n") == 1
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr


def test_a_fifo_is_refused_without_opening_it(tmp_path: Path):
    """It hung, waiting for a writer: run in a subprocess, so that a hang is a failure."""
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    proc = subprocess.run([sys.executable, "-m", "sim", str(fifo), "--out",
                           str(tmp_path / "r")], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == (f"error: {fifo}: is a FIFO (named pipe), not a regular file; save "
                           "the scenario to a file\n")


def test_standard_input_says_it_is_not_supported(tmp_path: Path, capsys):
    assert main(["-", "--out", str(tmp_path / "r")]) == 2
    assert "standard input is not supported" in one_error_line(capsys)


def test_a_set_that_creates_a_state_blames_the_set(tmp_path: Path, capsys):
    assert main([str(SCENARIO), "--out", str(tmp_path / "r"),
                 "--set", "states.XYZ.power=1"]) == 2
    line = one_error_line(capsys)
    assert line == (f"error: {SCENARIO}: states.XYZ.name: required field is missing "
                    "(value from --set states.XYZ.power)")


def test_a_sweep_of_a_whole_number_blames_the_fraction(tmp_path: Path, capsys):
    assert main(["sweep", str(SCENARIO), "--param", "behaviour.deliberation_days=0:1:3",
                 "--out", str(tmp_path / "s")]) == 2
    assert "Input should be a valid integer, got 0.5" in one_error_line(capsys)


def test_the_python_api_refuses_a_fractional_seed_and_speaks_python():
    with pytest.raises(sim.ScenarioError, match=r"seed must be a whole number, got 1\.5"):
        sim.run(SCENARIO, seed=1.5)
    with pytest.raises(sim.ScenarioError) as info:
        sim.load(SCENARIO, {"events.0.persons": -1})
    assert "--set" not in str(info.value) and "(value from override events.0.persons)" in \
        str(info.value)
    with pytest.raises(sim.ScenarioError) as info:
        sim.run_many(SCENARIO, 0)
    assert "--runs" not in str(info.value) and "runs must be a whole number" in str(info.value)


def test_probe_removes_the_folders_it_made(tmp_path: Path):
    folders.probe(tmp_path / "a" / "b" / "r", "x", force=False)
    assert list(tmp_path.iterdir()) == []


def test_results_written_before_the_marker_are_still_recognised(tmp_path: Path, run_2016):
    """`make run` after an upgrade: results/2016/ has no marker but is plainly sim's."""
    out = write_all(run_2016, tmp_path / "r", charts=False)
    (out / ".sim-results").unlink()
    write_all(run_2016, out, charts=False)
    assert (out / ".sim-results").exists()
    (out / ".sim-results").unlink()
    (out / "notes.txt").write_text("mine")  # but not once it holds a file of the user's
    with pytest.raises(OutputError, match="sim did not write"):
        write_all(run_2016, out, charts=False, force=True)


def test_decision_map_refuses_a_folder_of_the_users(tmp_path: Path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "2016.csv").write_text("my own table")
    assert main(["decision-map", str(SCENARIO), "--out", str(mine), "--resolution", "3"]) == 2
    assert "sim did not write" in one_error_line(capsys)
    assert (mine / "2016.csv").read_text() == "my own table"
