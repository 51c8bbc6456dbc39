"""The interactive page in a real browser: `python -m sim app`, driven by Playwright.

One page server for the module (starting Solara takes seconds); each test opens its own
browser context, which Solara treats as a new visitor. The browser is Debian's chromium
(Playwright's own download needs the internet, which CI does not have); `.ci/run`
installs it. The tests skip, and say why, only when no chromium binary can be found.

Screenshots: with SIM_SCREENSHOTS=1 the hawkish-prior test writes the README's picture,
docs/img/app_hawkish.png; otherwise it writes to a temporary folder, so a test run does
not change a committed file.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a real browser: run by `make test-slow` and CI

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
expect = playwright_api.expect

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
STEP_LIMIT = 40  # the first decision of 2016 comes on day 16
WAIT_MS = 60_000  # generous: two cores, a server drawing three charts per step


def chromium() -> str | None:
    """Debian's chromium, or one named by SIM_CHROMIUM."""
    for candidate in (os.environ.get("SIM_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    pytest.importorskip("solara", reason="the page needs the app extra (pip install -e '.[app]')")
    port = free_port()
    log = (ROOT / ".pytest_cache")
    log.mkdir(exist_ok=True)
    out = open(log / "app_server.log", "w")  # noqa: SIM115 (closed at teardown)
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "app", "scenarios/2016.yaml", "--port", str(port),
         "--no-open"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(240):  # up to about two minutes for Solara to start
            if proc.poll() is not None:
                raise RuntimeError("the page server exited: "
                                   + (log / "app_server.log").read_text())
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        else:
            raise RuntimeError("the page server did not answer")
        yield url
    finally:  # the whole session: `sim app` and the solara server it started
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        out.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    path = chromium()
    if path is None:
        pytest.skip("no chromium binary (apt-get install chromium, or set SIM_CHROMIUM); "
                    "Playwright's own browser download needs the internet")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Visitor:
    """One browser session on the page, collecting console errors as it goes."""

    def __init__(self, browser: object, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1500, "height": 1100})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(url)
        self.decision = self.page.locator(".sim-decision")
        expect(self.decision).to_contain_text("day 0", timeout=WAIT_MS)
        self.day = 0

    def step(self) -> str:
        self.page.get_by_role("button", name="Step").click()
        self.day += 1
        expect(self.decision).to_contain_text(f"Day {self.day},", timeout=WAIT_MS)
        return self.decision.inner_text()

    def step_to_decision(self) -> str:
        for _ in range(STEP_LIMIT):
            text = self.step()
            if "no decision today" not in text:
                return text
        raise AssertionError(f"no decision in {STEP_LIMIT} steps")

    def reset(self) -> None:
        self.page.get_by_role("button", name="Reset").click()
        self.day = 0
        expect(self.decision).to_contain_text("day 0", timeout=WAIT_MS)

    def slider(self, label: str) -> object:
        return self.page.locator(".v-input", has_text=label).locator("[role=slider]")

    def chart_sizes(self) -> list[tuple[int, int]]:
        self.page.wait_for_function(
            "() => [...document.images].filter(i => i.complete && i.naturalWidth > 0)"
            ".length >= 3", timeout=WAIT_MS)
        return [tuple(s) for s in self.page.locator("img").evaluate_all(
            "els => els.map(e => [e.naturalWidth, e.naturalHeight])")]

    def close(self) -> None:
        self.context.close()


def test_step_to_the_first_decision_and_its_reason(server: str, browser: object):
    v = Visitor(browser, server)
    text = v.step_to_decision()
    # 30 Dec 2016, the day after the expulsions: Moscow waits for the new administration.
    assert text.startswith("Day 16, 2016-12-30: RUS waits on USA: belief in reset 0.42 > "
                           "threshold 0.16"), text
    sizes = v.chart_sizes()  # belief, missions, utilities: drawn, not blank boxes
    assert sum(1 for w, h in sizes if w > 200 and h > 100) >= 3, sizes
    assert v.page.locator(".sim-latest").inner_text().startswith(
        "Latest decision (2016-12-30): RUS waits on USA")
    assert v.errors == []
    v.close()


def test_a_hawkish_prior_gets_an_answer_in_kind(server: str, browser: object, tmp_path: Path):
    v = Visitor(browser, server)
    prior = v.slider("Prior: trump accommodating")
    assert prior.get_attribute("aria-valuenow") == "0.6"  # the scenario's own prior
    prior.focus()
    prior.press("Home")  # the slider's minimum: 0.05 accommodating, 0.95 hawkish
    expect(prior).to_have_attribute("aria-valuenow", "0.05")
    v.reset()
    text = v.step_to_decision()
    assert text.startswith("Day 16, 2016-12-30: RUS retaliates on USA: belief in reset 0.03 "
                           "<= threshold"), text
    assert "'accommodating': 0.05" in v.page.locator(".sim-settings").inner_text()
    v.chart_sizes()
    for _ in range(2):  # the 35 expelled leave: the missions chart shows it
        v.step()
    target = ROOT / "docs" / "img" if os.environ.get("SIM_SCREENSHOTS") == "1" else tmp_path
    shot = target / "app_hawkish.png"
    v.page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    assert v.errors == []
    v.close()


def test_each_visitor_has_a_model_of_their_own(server: str, browser: object):
    a = Visitor(browser, server)
    a.step()
    a.step()
    b = Visitor(browser, server)  # a new visitor starts at day 0, not at a's day 2
    assert "day 0" in b.decision.inner_text()
    b.step()
    assert a.step().startswith("Day 3, 2016-12-17")  # b's step did not move a's model
    assert a.errors == [] and b.errors == []
    a.close()
    b.close()
