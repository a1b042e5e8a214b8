"""Reported speech in an English article: the copy of a wire that joins an Arabic story.

A story gathers an English report beside the Arabic ones ("Kremlin spokesman Dmitry Peskov said
on Monday that ..."); its speakers belong in the dossier's matrix too. The Arabic reader
(:mod:`khabar.attribution`) knows Arabic cues only, so English sentences get this small reader of
the forms wire copy uses, one sentence at a time:

* ``SPEAKER said [on DAY] [that] CONTENT`` (also says, told OUTLET, added, denied, confirmed, ...);
* ``"CONTENT," SPEAKER said`` and ``"CONTENT," said SPEAKER``;
* ``According to SPEAKER, CONTENT``.

The speaker is the capitalised phrase before the cue (at most :data:`MAX_SPEAKER_WORDS` words, from
the last clause break); a sentence none of the forms fits gives nothing. Spans are offsets into
``article.text`` like every other layer.
"""

from __future__ import annotations

import re

from khabar.attribution.doc import STAGE
from khabar.model import Article, Attribution, Span

MAX_SPEAKER_WORDS = 9

# Cue -> stance: what the verb says of the content.
_CUES = {
    "said": "assert", "says": "assert", "told": "assert", "tells": "assert", "added": "assert", "adds": "assert",
    "stated": "assert", "announced": "assert", "noted": "assert", "warned": "assert", "insisted": "assert",
    "claimed": "allege", "alleged": "allege", "denied": "deny", "denies": "deny", "rejected": "deny",
    "confirmed": "confirm", "confirms": "confirm", "reported": "assert", "reports": "assert",
}
_CUE = "|".join(sorted(_CUES, key=len, reverse=True))
_DAY = r"(?:\s+(?:on|late on|early on|in)\s+\w+|\s+(?:yesterday|today|last\s+\w+))?"
_TOLD = r"(?:(?:(?<=told)|(?<=tells))\s+(?:reporters|journalists|Reuters|AFP|AP|the\s+\w+(?:\s+\w+)?))?"  # the audience
_SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’]?|$)")
# What follows a cue before the content: [on DAY] [told X] [that|:]
_AFTER_CUE = rf"\b{_DAY}{_TOLD}(?:\s+that)?[\s,:]+(?P<content>[^\s].*)"
# SPEAKER CUE [day] [told X] [that|:] CONTENT
_SPEAKER_FIRST_RE = re.compile(
    rf"(?P<speaker>(?:[A-Z][\w.'’-]*|the|of|for|at|and|al-\w+)(?:\s+(?:[A-Z][\w.'’-]*|the|of|for|at|and|al-\w+|"
    rf"[a-z]+(?=\s+[A-Z])|spokesman|spokeswoman|minister|president|official|officials|ministry|office|"
    rf"sources?|statement|report)){{0,{MAX_SPEAKER_WORDS - 1}}})"
    rf"\s+(?P<cue>{_CUE}){_AFTER_CUE}")
# "CONTENT," SPEAKER said / "CONTENT," said SPEAKER
_QUOTE_FIRST_RE = re.compile(
    rf"[\"“](?P<content>[^\"”]{{8,}}?)[,.]?[\"”],?\s+(?:(?P<cue1>{_CUE})\s+(?P<speaker1>[^,.]{{2,80}})"
    rf"|(?P<speaker2>[^,.\"“]{{2,80}}?)\s+(?P<cue2>{_CUE}))\b")
# "the transport ministry denied that ...": a body named in lower case by its head noun
_BODY_RE = re.compile(
    rf"\b(?P<speaker>[Tt]he(?:\s+[a-z]+){{0,3}}?\s+(?:ministry|government|army|police|company|union|office|agency|embassy"
    rf"|court|council|committee|authorities|officials|spokesman|spokeswoman|prosecutor|military))"
    rf"\s+(?P<cue>{_CUE}){_AFTER_CUE}")
_ACCORDING_RE = re.compile(r"(?P<cue>According to)\s+(?P<speaker>[^,]{2,80}),\s+(?P<content>[^\s].*)")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without surrounding spaces, quotes and a final full stop."""
    while start < end and text[start] in " \t\"“”'’,":
        start += 1
    while end > start and text[end - 1] in " \t\"“”'’,.!?":
        end -= 1
    return start, end


def find_english_attributions(article: Article) -> list[Attribution]:
    """Attributions of the English sentences of ``article.text`` (one per sentence at most)."""
    text = article.text
    out: list[Attribution] = []
    last_speaker: Span | None = None
    for sm in _SENTENCE_RE.finditer(text):
        s0, sentence = sm.start(), sm.group()
        found = _quote_first(sentence) or _according(sentence) or _speaker_first(sentence) or _body(sentence)
        if found is None:
            continue
        (cs, ce), (ts, te), (ss, se), kind, cue_word = found
        ts, te = _trimmed(text, s0 + ts, s0 + te)
        ss, se = _trimmed(text, s0 + ss, s0 + se)
        if te - ts < 8 or se <= ss:
            continue
        speaker = Span(ss, se, "SPEAKER", STAGE)
        if text[ss:se].lower() in _PRONOUNS:
            if last_speaker is None:
                continue  # "he said" with no one named before it
            speaker = last_speaker  # "..., he told reporters": the one named before
        out.append(Attribution(
            cue=Span(s0 + cs, s0 + ce, "CUE", STAGE), content=Span(ts, te, "CONTENT", STAGE), kind=kind,
            stance=_CUES.get(cue_word.lower(), "assert"), speaker=speaker, speaker_kind="unspecified"))
        last_speaker = speaker
    return out


_PRONOUNS = frozenset("he she they it we".split())


Found = tuple[tuple[int, int], tuple[int, int], tuple[int, int], str, str]


def _quote_first(sentence: str) -> Found | None:
    m = _QUOTE_FIRST_RE.search(sentence)
    if m is None:
        return None
    n = "1" if m.group("cue1") else "2"
    return (m.span("cue" + n), m.span("content"), m.span("speaker" + n), "direct", m.group("cue" + n))


def _according(sentence: str) -> Found | None:
    m = _ACCORDING_RE.search(sentence)
    if m is None:
        return None
    return (m.span("cue"), m.span("content"), m.span("speaker"), "according_to", "said")


def _body(sentence: str) -> Found | None:
    return _speaker_cue(_BODY_RE.search(sentence))


def _speaker_first(sentence: str) -> Found | None:
    m = _SPEAKER_FIRST_RE.search(sentence)
    if m is None or not m.group("speaker")[:1].isupper() and not m.group("speaker").startswith("the "):
        return None
    return _speaker_cue(m)


def _speaker_cue(m: re.Match[str] | None) -> Found | None:
    """The spans of a SPEAKER CUE CONTENT match."""
    if m is None:
        return None
    return (m.span("cue"), m.span("content"), m.span("speaker"), "indirect", m.group("cue"))
