"""Things named two ways: the concept table that claims and posts' story terms read.

A rumour says "الباسبور" and the ministry's denial "جواز السفر"; a post says "البنزين رح
يرتفع" and the reply "أسعار المحروقات ثابتة". Words share no letters, so neither the
claims (:mod:`khabar.claim_tokens`) nor a post's story terms (:func:`khabar.stories.terms_of`)
see one matter. A group of this table makes its words one token, the group's head.

The bundled table is ``data/concepts.txt``; a user adds groups for their beat with a file of
the same format (``[claims] concepts_path``, ``khabar analyze --concepts FILE``), like the
alias file for names. Format, one group per line::

    head: word word word   # a comment

Words are written as in running text, without the article (the reader strips ال and
attached letters itself); the head is the concept's own word and is one of its words. A
word listed under two heads is an error naming both lines: the table is a partition,
so a user file cannot silently re-point a bundled word (list it under the same head, or
leave it out). This module only reads files; :func:`khabar.claim_tokens.use_concepts`
keys the words as claims read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from khabar.errors import KhabarError

BUNDLED = "concepts.txt"


class ConceptFileError(KhabarError):
    """A concept file could not be read: the message names the file and line."""


@dataclass(frozen=True, slots=True)
class ConceptGroup:
    """One concept: its head word, the words that name it, and where it was read (``file:line``)."""

    head: str
    words: tuple[str, ...]
    source: str


def parse_concepts(text: str, source: str) -> list[ConceptGroup]:
    """Groups of one concept file's ``text``; ``source`` names the file in errors."""
    groups: list[ConceptGroup] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        head, sep, rest = line.partition(":")
        head, words = head.strip(), rest.split()
        where = f"{source}:{n}"
        if not sep or not head or " " in head:
            raise ConceptFileError(f"{where}: expected 'head: word word ...', got {raw.strip()!r}")
        if not words:
            raise ConceptFileError(f"{where}: the group {head!r} lists no words")
        groups.append(ConceptGroup(head, tuple(dict.fromkeys([head, *words])), where))
    return groups


def read_concepts(path: str | Path) -> list[ConceptGroup]:
    """Groups of the concept file at ``path`` (UTF-8); a missing or undecodable file is a :class:`ConceptFileError`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConceptFileError(f"{p}: no such concept file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConceptFileError(f"{p}: cannot read the concept file ({exc})") from None
    return parse_concepts(text, str(p))


def bundled_concepts() -> list[ConceptGroup]:
    """The table shipped in ``khabar/data``."""
    ref = resources.files("khabar").joinpath("data", BUNDLED)
    return parse_concepts(ref.read_text(encoding="utf-8"), f"khabar/data/{BUNDLED}")
