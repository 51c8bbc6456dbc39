"""The one error type a scenario problem raises, formatted as a single line."""

from __future__ import annotations


class ScenarioError(Exception):
    """A scenario file is unreadable, malformed or inconsistent.

    Formats as ``FILE:LINE: FIELD: what is wrong``; the line and field are left out when
    unknown. The command line prints it and exits with code 2, without a traceback.
    """

    def __init__(
        self, message: str, *, file: str | None = None, line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = " ".join(message.split())  # one line, always
        self.file = file
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __reduce__(self) -> tuple[object, ...]:
        """Rebuild with file, line and field when sent between processes (a local pool,
        Dask workers): the default pickling would pass only the formatted text."""
        return (_rebuild, (self.message, self.file, self.line, self.field))

    def __str__(self) -> str:
        where = self.file or "<scenario>"
        if self.line is not None:
            where += f":{self.line}"
        parts = [where]
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


def _rebuild(message: str, file: str | None, line: int | None,
             field: str | None) -> ScenarioError:
    return ScenarioError(message, file=file, line=line, field=field)


def format_path(path: tuple[str | int, ...]) -> str:
    """('events', 3, 'persons') -> 'events[3].persons'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
