"""The shared types every stage reads and writes.

Like spaCy's ``Doc``, one :class:`Article` owns its cleaned ``text`` and every
annotation is a character-offset :class:`Span` into that text. Stages add
layers; nothing rewrites ``text`` after cleaning. Offsets are half-open
(``text[start:end]``) and count Python ``str`` characters (code points).

The cleaned text maps back to the decoded raw input through an
:class:`OffsetMap`, built only by ``clean.py``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

from khabar.errors import SpanError

# A text this short is a post or a headline alone (a tweet is at most 280 characters), not an article or a
# news brief: claims read its statements as replies (khabar.denials), stories its words more loosely.
POST_MAX_CHARS = 320

AttributionKind = Literal["direct", "indirect", "according_to", "mixed"]
Stance = Literal["assert", "deny", "confirm", "allege", "question", "other"]
SpeakerKind = Literal["person", "organization", "media", "document", "anonymous", "unspecified"]
EntityType = Literal["PER", "LOC", "ORG", "MISC"]

ATTRIBUTION_KINDS: tuple[str, ...] = ("direct", "indirect", "according_to", "mixed")
STANCES: tuple[str, ...] = ("assert", "deny", "confirm", "allege", "question", "other")
SPEAKER_KINDS: tuple[str, ...] = ("person", "organization", "media", "document", "anonymous", "unspecified")


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` of ``Article.text``.

    Args:
        start: index of the first character.
        end: index one past the last character.
        label: what the range is: "SENT", "PER", "CUE", "CONTENT", ...
        stage: name of the stage that added it.
        ref: an entity or claim id the span points to, if any.
    """

    start: int
    end: int
    label: str
    stage: str = ""
    ref: str | None = None

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "label": self.label}


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps cleaned-text offsets back to raw-text offsets.

    The cleaned text is a concatenation of copied pieces of the raw text plus
    a few inserted characters (newlines between kept blocks). Each segment
    ``(clean_start, raw_start, length)`` says that ``clean[clean_start:
    clean_start+length] == raw[raw_start:raw_start+length]``. Inserted
    characters belong to no segment and map to the raw position of the next
    copied character.
    """

    segments: tuple[tuple[int, int, int], ...]
    clean_length: int
    raw_length: int

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls(((0, 0, length),) if length else (), length, length)

    def _point(self, pos: int, *, is_end: bool) -> int:
        if not 0 <= pos <= self.clean_length:
            raise SpanError(f"offset {pos} outside cleaned text of length {self.clean_length}")
        if not self.segments:
            return 0
        starts = [s[0] for s in self.segments]
        i = bisect.bisect_right(starts, pos) - 1
        if is_end:
            # An end offset belongs to the segment holding pos-1.
            j = bisect.bisect_right(starts, pos - 1) - 1 if pos > 0 else -1
            if j >= 0:
                cs, rs, ln = self.segments[j]
                if pos - 1 < cs + ln:
                    return rs + (pos - cs)
        if i >= 0:
            cs, rs, ln = self.segments[i]
            if pos < cs + ln:
                return rs + (pos - cs)
            if i + 1 < len(self.segments):
                return self.segments[i + 1][1]
            return rs + ln
        return self.segments[0][1]

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``(start, end)`` for a cleaned ``[start, end)``; raises SpanError out of range."""
        if start > end:
            raise SpanError(f"span start {start} after end {end}")
        rs = self._point(start, is_end=False)
        re_ = self._point(end, is_end=True) if end > start else rs
        return rs, max(rs, re_)

    def after_heading(self, length: int, copied: int = 0, raw_start: int | None = None) -> OffsetMap:
        """The map once ``length`` characters are put before the cleaned text, the first ``copied`` of them a copy
        of ``raw[raw_start:raw_start + copied]`` (a title line the cleaner took out), the rest inserted."""
        segs = tuple((cs + length, rs, ln) for cs, rs, ln in self.segments)
        if raw_start is not None and copied:
            segs = ((0, raw_start, copied),) + segs
        return OffsetMap(segs, self.clean_length + length, self.raw_length)

    def prefix(self, n: int) -> OffsetMap:
        """The map of the cleaned text's first ``n`` characters (a text cut short keeps its offsets)."""
        segs = tuple((cs, rs, min(ln, n - cs)) for cs, rs, ln in self.segments if cs < n)
        return OffsetMap(segs, n, self.raw_length)

    def to_json(self) -> list[list[int]]:
        return [list(s) for s in self.segments]

    @classmethod
    def from_json(cls, data: list[list[int]], clean_length: int, raw_length: int) -> OffsetMap:
        return cls(tuple((int(a), int(b), int(c)) for a, b, c in data), clean_length, raw_length)


@dataclass(frozen=True, slots=True)
class RemovedBlock:
    """A piece of the raw text that cleaning dropped, and the rule that dropped it."""

    raw_start: int
    raw_end: int
    rule: str


@dataclass(frozen=True, slots=True)
class Attribution:
    """One act of reported speech: who (speaker) said (cue) what (content).

    ``speaker`` is None for agentless reports ("it was reported"). ``nested_source``
    is the outlet or document through which the speaker is quoted ("the paper,
    quoting a person familiar ...": speaker = the person, nested_source = the paper).
    """

    cue: Span
    content: Span
    kind: str = "indirect"
    stance: str = "assert"
    speaker: Span | None = None
    speaker_kind: str = "unspecified"
    nested_source: Span | None = None
    claim_id: str | None = None

    @property
    def extent(self) -> tuple[int, int]:
        """``(start, end)`` from the first to the last of speaker, cue and content: the text the report takes."""
        parts = [sp for sp in (self.speaker, self.cue, self.content) if sp is not None]
        return min(sp.start for sp in parts), max(sp.end for sp in parts)


@dataclass(slots=True)
class Entity:
    """One real-world referent; ``variants`` are the surface forms seen."""

    id: str
    canonical: str
    type: str
    variants: set[str] = field(default_factory=set)
    latin: str | None = None
    roles: set[str] = field(default_factory=set)


@dataclass(slots=True)
class ClaimMember:
    """One statement of a claim: an attribution (or the outlet's own voice) in one article."""

    article_id: str
    attribution_index: int | None  # None: the outlet asserts it in its own voice (headline, lead)
    stance: str
    source: str  # the speaker's canonical name or the outlet
    source_entity: str | None
    outlet: str
    start: int  # evidence span in the article's cleaned text
    end: int
    source_group: str | None = None  # the organisation the source speaks for (its role phrase), if any


@dataclass(slots=True)
class Claim:
    """Statements about one proposition, grouped across the articles of a story."""

    id: str
    story_id: str
    text: str  # canonical wording: the clearest member
    members: list[ClaimMember] = field(default_factory=list)


@dataclass(slots=True)
class Story:
    id: str
    label: str = ""
    summary: str = ""
    article_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Article:
    """One input document and everything the stages add to it.

    ``raw`` is the decoded input and never changes after ingest; ``text`` is the
    cleaned text that every Span indexes.
    """

    id: str  # sha256 of the decoded raw text (and title): the dedup key
    path: str  # input file, "archive.zip!entry.json#3" for archive entries and array items
    raw: str
    text: str = ""
    offsets: OffsetMap | None = None
    title: str = ""
    source: str = ""  # outlet
    url: str = ""
    published: str = ""  # ISO 8601 date or datetime, "" when unknown
    author: str = ""
    language: str = ""
    encoding: str = "utf-8"
    removed: list[RemovedBlock] = field(default_factory=list)
    layers: dict[str, list[Span]] = field(default_factory=dict)
    attributions: list[Attribution] = field(default_factory=list)
    story_id: str | None = None
    duplicate_of: str | None = None

    def outlet(self) -> str:
        """Who published it, for display: the source, else the URL's host, else the file name."""
        if self.source:
            return self.source
        if self.url:
            from urllib.parse import urlsplit

            host = urlsplit(self.url).hostname
            if host:
                return host.removeprefix("www.")
        name = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        return name.rsplit(".", 1)[0] or self.id[:12]

    def check_span(self, span: Span) -> None:
        if not 0 <= span.start <= span.end <= len(self.text):
            raise SpanError(
                f"article {self.id[:12]} ({self.path}): span {span.label} "
                f"[{span.start}, {span.end}) outside text of length {len(self.text)}"
            )

    def add(self, layer: str, spans: list[Span]) -> None:
        """Append spans to a layer after checking their bounds; raises SpanError."""
        for s in spans:
            self.check_span(s)
        self.layers.setdefault(layer, []).extend(spans)

    def set_layer(self, layer: str, spans: list[Span]) -> None:
        """Replace a layer (e.g. after entity resolution sets ``ref``)."""
        for s in spans:
            self.check_span(s)
        self.layers[layer] = list(spans)

    def spans(self, layer: str) -> list[Span]:
        return self.layers.get(layer, [])

    def span_text(self, span: Span | None) -> str:
        return "" if span is None else self.text[span.start : span.end]

    def raw_range(self, span: Span) -> tuple[int, int]:
        if self.offsets is None:
            return span.start, span.end
        return self.offsets.to_raw(span.start, span.end)

    def sentence_of(self, pos: int) -> Span | None:
        """The sentence span containing character ``pos``, if sentences were split."""
        sents = self.spans("sentences")
        starts = [s.start for s in sents]
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and sents[i].start <= pos < max(sents[i].end, sents[i].start + 1):
            return sents[i]
        return None
