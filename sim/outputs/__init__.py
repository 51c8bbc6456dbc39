"""Turning a `RunResult` into things people read: files, charts and a printed timeline."""
