"""User alias files and the confidence of each entity variant.

An alias file pins names to entities chosen by the user. Two formats:

* CSV with the header ``canonical,aliases,wikidata`` (an optional ``type``
  column: PER, LOC, ORG or MISC, default PER); ``aliases`` are separated by
  ``|``; ``wikidata`` is empty or a Wikidata item id ``Q\\d+``.
* JSON: a list of ``{"canonical": ..., "aliases": [...], "wikidata": ..., "type": ...}``.

Forms are compared by :func:`khabar.arabic.match_key` (folded, clitic-stripped
words; Latin lower-cased), so هـ/ة, أ/ا and diacritics never matter and
"Elon Musk" matches "elon  musk". Every listed form (the canonical name and its
aliases) resolves to its entry's entity; two entries are never merged; forms
not listed still join an entry's entity through the automatic rules of
:mod:`khabar.resolve` (see :meth:`khabar.resolve.EntityRegistry.pin_aliases`).

The same module rates how each variant joined its entity
(:func:`how_joined`): ``user`` (alias file, split or merge), ``first`` (the
form that created the entity), ``same_spelling``, ``spelling`` (a score from
the edit distance of the folded forms), ``short_form`` (in the same article as
the long form, or not), ``latin`` (across scripts) or ``other``. Confidence
values live in ``[aliases]`` of defaults.toml.
"""

from __future__ import annotations

import csv
import functools
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from khabar.arabic import is_arabic, match_key
from khabar.errors import KhabarError

log = logging.getLogger(__name__)

ENTITY_TYPES = ("PER", "LOC", "ORG", "MISC")
_QID = re.compile(r"Q[1-9]\d*")
_CSV_COLUMNS = ("canonical", "aliases", "wikidata")


class AliasFileError(KhabarError):
    """An alias file could not be read: ``source`` names the file and line or entry."""


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One user entity: its display name, the other names it is written as, and an optional Wikidata id."""

    canonical: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    type: str = "PER"

    @property
    def forms(self) -> tuple[str, ...]:
        """The canonical name, then the aliases, as written."""
        return (self.canonical, *self.aliases)


@dataclass(slots=True)
class AliasTable:
    """Alias entries with a lookup from a form's :func:`form_key` to its entry."""

    entries: list[AliasEntry] = field(default_factory=list)
    _by_key: dict[str, int] = field(default_factory=dict)

    def add(self, entry: AliasEntry, *, source: str = "") -> None:
        """Add ``entry``; raises AliasFileError when one of its forms is listed under another entry."""
        keys = {}
        for form in entry.forms:
            k = form_key(form)
            if not k:
                raise AliasFileError(f"alias {form!r} has no letters", source=source)
            other = self._by_key.get(k)
            if other is not None:
                raise AliasFileError(
                    f"{form!r} is listed under {entry.canonical!r} and under {self.entries[other].canonical!r}",
                    source=source, hint="an alias may name one entity only; remove one of them")
            keys[k] = len(self.entries)
        self._by_key.update(keys)
        self.entries.append(entry)

    def lookup(self, form: str) -> AliasEntry | None:
        """The entry listing ``form`` (compared by :func:`form_key`), else None."""
        i = self._by_key.get(form_key(form))
        return None if i is None else self.entries[i]

    def __len__(self) -> int:
        return len(self.entries)


@functools.lru_cache(maxsize=1 << 16)
def form_key(form: str) -> str:
    """The key two spellings of one listed name share: :func:`khabar.arabic.match_key`."""
    return match_key(form)


def load_aliases(path: str | Path) -> AliasTable:
    """Read an alias file (``.json``, else CSV).

    Raises:
        AliasFileError: unreadable file, bad header, empty canonical name,
            bad Wikidata id or type, or an alias listed under two entries;
            ``source`` is ``FILE:LINE`` (CSV) or ``FILE[entry N]`` (JSON, from 1).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise AliasFileError(f"cannot read alias file: {exc}", source=str(p),
                             hint="give a UTF-8 CSV or JSON file") from exc
    table = AliasTable()
    rows = _json_rows(text, p) if p.suffix.lower() == ".json" else _csv_rows(text, p)
    for where, raw in rows:
        table.add(_entry(raw, where), source=where)
    log.info("loaded %d alias entries from %s", len(table), p)
    return table


def _json_rows(text: str, p: Path) -> Iterable[tuple[str, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AliasFileError(f"not valid JSON: {exc}", source=str(p)) from exc
    if not isinstance(data, list):
        raise AliasFileError("expected a JSON list of {canonical, aliases, wikidata} objects", source=str(p))
    for n, obj in enumerate(data, 1):
        where = f"{p}[entry {n}]"
        if not isinstance(obj, dict):
            raise AliasFileError("entry is not an object", source=where)
        unknown = set(obj) - {"canonical", "aliases", "wikidata", "type"}
        if unknown:
            raise AliasFileError(f"unknown keys {sorted(unknown)}", source=where,
                                 hint="keys are canonical, aliases, wikidata, type")
        aliases = obj.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise AliasFileError("aliases must be a list of strings", source=where)
        yield where, obj


def _csv_rows(text: str, p: Path) -> Iterable[tuple[str, dict[str, Any]]]:
    reader = csv.reader(text.splitlines())
    header = [h.strip().lower() for h in next(reader, [])]
    if header[:3] != list(_CSV_COLUMNS) or not set(header[3:]) <= {"type"}:
        raise AliasFileError(f"line 1: header must be canonical,aliases,wikidata[,type], got {','.join(header)!r}",
                             source=str(p))
    for row in reader:
        where = f"{p}:{reader.line_num}"
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            raise AliasFileError(f"{len(row)} columns, the header has {len(header)}", source=where,
                                 hint="separate aliases with | and quote names that hold a comma")
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        cells["aliases"] = [a for a in cells.get("aliases", "").split("|")]
        yield where, cells


def _entry(raw: Mapping[str, Any], where: str) -> AliasEntry:
    """Check one parsed entry: non-empty canonical, distinct aliases, Q-id and type well formed."""
    canonical = " ".join(str(raw.get("canonical") or "").split())
    if not canonical:
        raise AliasFileError("empty canonical name", source=where)
    aliases: list[str] = []
    for a in raw.get("aliases") or []:
        a = " ".join(a.split())
        if a and form_key(a) != form_key(canonical) and form_key(a) not in map(form_key, aliases):
            aliases.append(a)
    qid = str(raw.get("wikidata") or "").strip() or None
    if qid is not None and not _QID.fullmatch(qid):
        raise AliasFileError(f"bad Wikidata id {qid!r}", source=where, hint="write Q followed by digits, e.g. Q7747")
    type_ = str(raw.get("type") or "PER").strip().upper()
    if type_ not in ENTITY_TYPES:
        raise AliasFileError(f"bad type {type_!r}", source=where, hint=f"one of {', '.join(ENTITY_TYPES)}")
    return AliasEntry(canonical, tuple(aliases), qid, type_)


# ---- confidence of a variant ------------------------------------------------

def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions of one character)."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _pair(form: str, other: str, same_article: bool, cfg: Mapping[str, Any]) -> tuple[str, float]:
    """How ``form`` relates to one known variant ``other``, and how sure that is."""
    from khabar.resolve import name_tokens  # late: resolve imports this module

    ta, tb = name_tokens(form), name_tokens(other)  # one spelling exactly when the registry sees one
    if ta == tb:
        return "same_spelling", 1.0
    cross = is_arabic(form, 0.01) != is_arabic(other, 0.01)
    if len(ta) != len(tb):  # a short form, in the other script too (عباس ~ Mahmoud Abbas) at no better rate
        conf = float(cfg["confidence_short_same_article" if same_article else "confidence_short"])
        return "short_form", min(conf, float(cfg["confidence_latin"])) if cross else conf
    if cross:
        return "latin", float(cfg["confidence_latin"])
    a, b = " ".join(ta), " ".join(tb)
    score = 1.0 - edit_distance(a, b) / max(len(a), len(b), 1)
    return "spelling", round(max(float(cfg["confidence_spelling_floor"]), score), 3)


def how_joined(form: str, variants: Iterable[str], article_forms: Iterable[str],
               settings: Mapping[str, Any] | None = None) -> tuple[str, float]:
    """Why ``form`` belongs to an entity already known by ``variants``, and a confidence in [0, 1].

    Args:
        form: the new surface form.
        variants: the entity's forms before this one (empty: ``form`` created it).
        article_forms: other forms of the same referent in the same article
            (a short form next to its long form is surer than a bare surname alone).
        settings: the ``[aliases]`` section (defaults when None).

    Returns:
        ``(how, confidence)``; the best-rated relation to any known form.
    """
    cfg = settings or _default_settings()
    here = [f for f in article_forms if f != form]
    known = [v for v in variants if v != form]
    if not known and not here:
        return "first", 1.0
    best = ("other", float(cfg["confidence_other"]))
    for other in known + here:
        cand = _pair(form, other, other in here, cfg)
        if cand[1] > best[1]:
            best = cand
    return best


@functools.lru_cache(maxsize=1)
def _default_settings() -> dict[str, Any]:
    from khabar.settings import Settings

    return Settings().section("aliases")


# ---- wiring into a run ---------------------------------------------------------
def configure_registry(registry: Any, store: Any, entities_settings: Mapping[str, Any]) -> None:
    """Load the alias file (``[entities] aliases_path``) and the store's user rules into ``registry``.

    Called once per analysis, after the registry is rebuilt from the store:
    the alias file first, then the split / merge rules in the order they were
    made, so a later user correction wins for a form. A rule whose entity a
    later merge removed is skipped.

    Args:
        registry: a :class:`khabar.resolve.EntityRegistry`.
        store: the :class:`khabar.store.Store` being analysed into.
        entities_settings: the ``[entities]`` settings section.

    Raises:
        AliasFileError: the alias file is unreadable or invalid.
    """
    from khabar.store.aliases import load_rules

    path = str(entities_settings.get("aliases_path") or "").strip()
    if path:
        registry.pin_aliases(load_aliases(path))
    rules = load_rules(store)
    gone = {r["other_id"] for r in rules if r["kind"] == "merge"}
    for r in rules:
        if r["kind"] == "split" and r["other_id"] not in gone:
            registry.pin_forms(r["forms"], r["other_id"], extend=False)
        elif r["kind"] == "merge" and r["entity_id"] not in gone:
            registry.pin_forms(r["forms"], r["entity_id"], extend=True)
