"""Pages generated at every docs build (mkdocs-gen-files), so they cannot drift from code.

- ``reference/api/*.md``: one page per module of `sim`, rendered by mkdocstrings from
  the docstrings (tests/test_docs.py checks every public function appears);
- ``reference/cli.md``: the help of every command, from the argparse parsers themselves;
- ``tutorials/*.md``: one page per notebook, from its cells and its saved outputs;
- ``episodes.md``: the episode library, from the scenarios' files.
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import io
import json
import os
import pkgutil
import re
from pathlib import Path

import mkdocs_gen_files

import sim
from sim.cli import main as cli

ROOT = Path(__file__).resolve().parents[1]
os.environ["COLUMNS"] = "100"  # argparse wraps help at the terminal's width: fix it


def modules() -> list[str]:
    """Every module of the package, in import order of their names."""
    names = ["sim"]
    for info in pkgutil.walk_packages(sim.__path__, "sim."):
        names.append(info.name)
    return sorted(names)


def write_api() -> None:
    listing = ["# API reference", "",
               "Generated from the docstrings of every module of `sim`. The names of "
               "`sim.__all__`, the API for notebooks and scripts, and where each lives:", "",
               "| name | defined in |", "|---|---|"]
    for name, (module, attr) in sorted(sim._PUBLIC.items()):
        if attr:  # a re-exported name is documented where it is defined
            module = getattr(importlib.import_module(module), attr).__module__
        target = f"{module}.md" + (f"#{module}.{attr}" if attr else "")
        listing.append(f"| `sim.{name}` | [`{module}{'.' + attr if attr else ''}`]({target}) |")
    listing.append("| `sim.__version__` | [`sim.version`](sim.version.md) |")
    listing += ["", "## Modules", ""]
    for name in modules():
        doc = (importlib.util.find_spec(name) and _summary(name)) or ""
        listing.append(f"- [`{name}`]({name}.md){': ' + doc if doc else ''}")
        with mkdocs_gen_files.open(f"reference/api/{name}.md", "w") as f:
            f.write(f"# `{name}`\n\n::: {name}\n    options:\n      show_root_heading: false\n"
                    "      show_root_toc_entry: false\n")
    with mkdocs_gen_files.open("reference/api/index.md", "w") as f:
        f.write("\n".join(listing) + "\n")


def _summary(module: str) -> str:
    """First line of a module's docstring, read from its source (no import: the page
    module needs the app extra)."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return ""
    text = Path(spec.origin).read_text(encoding="utf-8")
    found = re.match(r'\s*(?:#.*\n)*\s*[rR]?"""(.*?)(?:\n|""")', text)
    return found.group(1).strip().rstrip(".").replace("|", "\\|") if found else ""


def write_cli() -> None:
    out = ["# Command-line reference", "",
           "Generated from the argparse parsers of `sim/cli`: what `python -m sim -h` and "
           "`python -m sim COMMAND -h` print.", "", "## `python -m sim`", "", "```text",
           cli._parser(None, importlib.import_module("sim.cli.run")).format_help().rstrip(),
           "```", ""]
    for name, (module, _) in sorted(cli.COMMANDS.items()):
        parser = cli._parser(name, importlib.import_module(f"sim.cli.{module}"))
        out += [f"## `python -m sim {name}`", "", "```text", parser.format_help().rstrip(),
                "```", ""]
    with mkdocs_gen_files.open("reference/cli.md", "w") as f:
        f.write("\n".join(out))


def write_tutorials() -> None:
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        out: list[str] = []
        images = 0
        for i, cell in enumerate(nb["cells"]):
            source = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                out += [source.replace("](../docs/", "](../"), ""]
                if i == 0:
                    out += [f"*This page is the notebook `notebooks/{path.name}`; run it with "
                            "`jupyter lab` (`pip install -e '.[notebooks]'`) to change "
                            "its inputs.*", ""]
                continue
            if cell["cell_type"] != "code" or not source.strip():
                continue
            out += ["```python", source.rstrip(), "```", ""]
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "image/png" in data:
                    images += 1
                    name = f"{path.stem}_{images}.png"
                    with mkdocs_gen_files.open(f"tutorials/img/{name}", "wb") as f:
                        f.write(base64.b64decode("".join(data["image/png"])))
                    out += [f"![output of the cell above](img/{name})", ""]
                elif output.get("output_type") == "stream" or "text/plain" in data:
                    text = "".join(output.get("text", data.get("text/plain", "")))
                    if text.strip():
                        out += ["```text", text.rstrip()[:4000], "```", ""]
        with mkdocs_gen_files.open(f"tutorials/{path.stem}.md", "w") as f:
            f.write("\n".join(out))


def write_episodes() -> None:
    from sim.scenario import load

    rows = ["# The episode library", "",
            "Every scenario with a recorded history (`history:`), the library that "
            "`python -m sim validate` scores the model against. Generated from the files.",
            "", "| file | episode | period | states | recorded responses |",
            "|---|---|---|---|---|"]
    files = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "data").glob(
        "**/*.yaml"))
    for path in files:
        with contextlib.redirect_stderr(io.StringIO()):
            try:
                spec = load(path).spec
            except Exception:  # not a scenario (the data set's other files)
                continue
        history = spec.history.responses if spec.history is not None else []
        if not history:
            continue
        rows.append(f"| `{path.relative_to(ROOT).as_posix()}` | {spec.title} | {spec.start} "
                    f"to {spec.end} | {', '.join(sorted(spec.states))} | {len(history)} |")
    with mkdocs_gen_files.open("episodes.md", "w") as f:
        f.write("\n".join(rows) + "\n")


write_api()
write_cli()
write_tutorials()
write_episodes()
