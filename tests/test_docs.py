"""The documentation site builds with no warning, links only to itself, loads nothing from
the network, and documents every public function and every command.

Built once per module with ``mkdocs build --strict`` (warnings fail, broken internal
links and anchors included, see `validation` in mkdocs.yml).
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytest.importorskip("mkdocs", reason="the docs extra is not installed (pip install -e '.[docs]')")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d",
                           str(out)], cwd=ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    return out


class Refs(HTMLParser):
    """Every script, stylesheet, image and link a page refers to."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"] or "")
        elif tag == "link" and a.get("href"):
            (self.styles if "stylesheet" in (a.get("rel") or "") else self.links).append(
                a["href"] or "")
        elif tag == "img" and a.get("src"):
            self.links.append(a["src"] or "")
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")


def pages(site: Path) -> list[Path]:
    return sorted(site.glob("**/*.html"))


def refs(page: Path) -> Refs:
    parser = Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_no_script_or_style_from_the_network(site: Path):
    for page in pages(site):
        r = refs(page)
        external = [u for u in r.scripts + r.styles if urlsplit(u).scheme in ("http", "https")
                    or u.startswith("//")]
        assert external == [], (page, external)
    # the math is rendered by the KaTeX shipped with the site
    model = refs(site / "model" / "index.html")
    assert any(s.endswith("assets/katex/katex.min.js") for s in model.scripts)
    assert (site / "assets" / "katex" / "fonts" / "KaTeX_Main-Regular.woff2").stat().st_size > 0
    assert '<div class="arithmatex">' in (site / "model" / "index.html").read_text()


def test_internal_links_resolve(site: Path):
    checked = 0
    for page in pages(site):
        if page.name == "404.html":  # served for any path, so its links are absolute
            continue
        for url in refs(page).links:
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("//", "#", "mailto:")) or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), (page.relative_to(site), url)
            checked += 1
    assert checked > 200


def public_functions() -> dict[str, list[str]]:
    """Module -> its public top-level functions, read from the source (no import, so the
    page module needs no solara here)."""
    out: dict[str, list[str]] = {}
    for path in sorted((ROOT / "sim").glob("**/*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        module = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
                 and not n.name.startswith("_")]
        if names:
            out[module] = names
    return out


def test_every_public_function_is_in_the_api_reference(site: Path):
    found = public_functions()
    assert "run" in found["sim.engine.one_run"] and "model_reporters" in found[
        "sim.engine.mesa.reporters"]
    missing = []
    for module, names in found.items():
        page = site / "reference" / "api" / module / "index.html"
        html = page.read_text(encoding="utf-8") if page.exists() else ""
        missing += [f"{module}.{n}" for n in names if f'id="{module}.{n}"' not in html]
    assert missing == []
    index = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    import sim

    for name in sim.__all__:
        assert f"sim.{name}" in index


def test_every_command_is_in_the_cli_reference(site: Path):
    from sim.cli.main import COMMANDS

    html = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"python -m sim {name}" in html
    assert "--no-open" in html and "--set" in html  # the options, from the parsers


def test_tutorials_and_pages(site: Path):
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert (site / "tutorials" / nb.stem / "index.html").exists()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "img/app_hawkish.png" in index and "The 2016 story" in index
    assert re.search(r"RUS.{0,10}USA", (site / "episodes" / "index.html").read_text())
