"""Errors that name the source and the reason, and say what to do.

The CLI prints ``str(error)`` as one line; ``hint`` is added after it.
"""

from __future__ import annotations


class KhabarError(Exception):
    """Base class. ``source`` names the file (and entry/line); ``hint`` says what to do."""

    def __init__(self, reason: str, *, source: str = "", hint: str = "") -> None:
        self.reason = reason
        self.source = source
        self.hint = hint
        super().__init__(f"{source}: {reason}" if source else reason)


class SpanError(KhabarError):
    """A span lies outside its article's text, or an offset map was asked out of range."""


class IngestError(KhabarError):
    """An input file (or archive entry, or JSON line) could not be read; the run skips it."""


class StoreError(KhabarError):
    """The database could not be opened, migrated or written."""


class ModelMissingError(KhabarError):
    """A bundled model file is absent; the hint names the make target that builds it."""


class SettingsError(KhabarError):
    """A setting is out of its allowed range."""
