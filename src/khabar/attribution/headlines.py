"""Headline and post frames: attribution without a reporting verb's usual frame.

Part of :mod:`khabar.attribution`. Posts and site headlines attribute in
their own ways: "الصحة: لا صحة لما يتداول ..." (the colon is the cue), "لا صحة
لإلغاء الاختبارات.. التعليم توضح" (the cue comes last), "... - مصدر مسؤول" (a
signature after a dash); labels ("#عاجل |", "عاجل:") open them and links
close them. Each frame returns drafts like :mod:`khabar.attribution.drafts`.
"""

from __future__ import annotations

import re

from khabar import cues
from khabar.arabic import fold, words
from khabar.attribution.doc import (
    _content_span,
    _Doc,
    _Draft,
    _head_info,
    _head_keys,
    _is_participle,
    _is_stop,
    _Tok,
    _verb_of,
)
from khabar.attribution.drafts import _speaker_info
from khabar.attribution.phrases import _GAP_BREAKS, _svo_subject

_COLON_SPEAKER_HEADS = (cues.PERSON_HEADS | cues.ORGANIZATION_HEADS | cues.MEDIA_HEADS | cues.ANONYMOUS_HEADS
                        | cues.PLACE_HEADS | cues.MINISTRY_FIELDS)


_INNER_PREPS = frozenset(fold(w) for w in ("في", "من"))
_TRAILING_URL = re.compile(r"\s*(?:https?://|www\.)\S+\s*$")
_LABEL_MARKS = frozenset("#|-–—•*:")


def _speaker_like(doc: _Doc, first: _Tok, sp: tuple[int, int]) -> bool:
    """Whether the phrase ``sp`` opening with token ``first`` may speak in a headline: a head word of
    the speaker lists (a ministry may be named by its field alone) or a person or organisation mention."""
    return bool(_head_keys(first.key) & _COLON_SPEAKER_HEADS) or any(
        e.label in ("PER", "ORG") for e in doc.entities_in(*sp))


def _verbless_draft(doc: _Doc, cue: tuple[int, int], content: tuple[int, int], sp: tuple[int, int]) -> _Draft:
    """A direct draft whose cue is a mark (colon, dash): the speaker phrase alone gives kind and number."""
    d = _Draft(cue, content, "direct", sp)
    d.speaker_kind, plural = _head_info(doc, *sp)
    d.features = ("x", "p" if plural else "s")
    return d


def _content_taken(drafts: list[_Draft], content: tuple[int, int]) -> bool:
    """Whether another frame already attributed words of ``content``."""
    return any(d.content[0] < content[1] and content[0] < d.content[1] for d in drafts)


def _past_label(doc: _Doc, i: int, s_end: int) -> int:
    """The first token after leading labels of a post or headline ("#عاجل |", "عاجل -", "خاص:"), else ``i``.

    The tokenizer keeps no "#" or "|": a label word is known by the list
    (cues.COLON_LABELS) and by a mark in the raw text around it.
    """
    k = i
    while k + 1 < len(doc.toks) and doc.toks[k + 1].start < s_end:
        t, nxt = doc.toks[k], doc.toks[k + 1]
        if t.kind == "p" and t.text in _LABEL_MARKS:
            k += 1
            continue
        before = doc.text[doc.toks[k - 1].end if k > i else doc.sentence(t.start)[0] : t.start]
        gap = doc.text[t.end : nxt.start]
        if t.kind == "w" and t.key in cues.COLON_LABELS and (
                "#" in before or (nxt.kind == "p" and nxt.text in _LABEL_MARKS)
                or any(ch in _LABEL_MARKS for ch in gap) or (t.key == "rt" and "@" in gap)):  # "RT @user: ..." a repost
            k += 1
            continue
        break
    return k


def _colon_frames(doc: _Doc, drafts: list[_Draft]) -> list[_Draft]:
    """Headline and post attribution "X: ..." with no verb: "الصحة: لا صحة لما يتداول ...".

    The phrase before the colon must open its sentence, hold no verb, label
    ("عاجل:", "بالفيديو:") or time word, and look like a speaker: a person or
    organisation mention, or a head word of the speaker lists (a ministry may be
    named by its field alone). A reporting verb just after the colon makes it a
    dateline ("القاهرة: قال الوزير ..."), left to the verb's own frame.
    """
    out: list[_Draft] = []
    limit = doc.cfg["colon_speaker_max_words"]
    for s_start, s_end in doc.sent_bounds:
        i = _past_label(doc, doc.tok_at(s_start), s_end)
        k = i
        while k < len(doc.toks) and doc.toks[k].start < s_end and doc.toks[k].kind == "w" and k - i <= limit:
            k += 1
        if k == i or k >= len(doc.toks) or k - i > limit or doc.toks[k].text != ":" or doc.toks[k].start >= s_end:
            continue
        ws = doc.toks[i:k]
        # "مصدر في الخارجية: ...", "مسؤول من الوزارة: ...": a person's or source's phrase may hold في / من
        # (مصدر alone is a credit line's label, "مصدر: وكالة الأنباء"; before في / من it is a source)
        inner_ok = _INNER_PREPS if _head_keys(ws[0].key) & (cues.ANONYMOUS_HEADS | cues.PERSON_HEADS) else frozenset()
        if not inner_ok and _head_keys(ws[0].key) & cues.ORGANIZATION_HEADS:
            # "السفارة السعودية في القاهرة: ..."، "هيئة المعابر في غزة: ...": a body and its place
            at = next((n for n, t in enumerate(ws) if t.key in _INNER_PREPS), None)
            if at is not None and at + 1 < len(ws) and any(
                    e.label == "LOC" and e.start == ws[at + 1].start for e in doc.entities_in(ws[at + 1].start, ws[-1].end)):
                inner_ok = _INNER_PREPS
        sourced = len(ws) > 2 and ws[1].key in inner_ok
        if any((t.key in cues.COLON_LABELS and not (n == 0 and sourced)) or t.key in cues.TIME_WORDS or _verb_of(t)
               or (_is_stop(doc, t) and not (n and t.key in inner_ok)) for n, t in enumerate(ws)):
            continue
        colon = doc.toks[k]
        if any(s_start <= d.cue[0] < colon.end or d.content[0] <= colon.start < d.content[1] for d in drafts):
            continue
        handle = len(ws) == 1 and doc.text[ws[0].start - 1 : ws[0].start] == "@"  # "@MOH_Saudi: ..." an account speaks
        if not (handle or _speaker_like(doc, ws[0], (ws[0].start, ws[-1].end))):
            continue
        after = [t for t in doc.toks[k + 1 : k + 4] if t.start < s_end]
        if any(_verb_of(t) for t in after):
            continue
        q = doc.quote_opening(k + 1)
        content = (q.start, q.end) if q is not None else _content_span(doc, colon.end, s_end)
        if content is not None and q is None and (url := _TRAILING_URL.search(doc.text, content[0], content[1])):
            content = _content_span(doc, content[0], url.start())  # a post's link is not what it says
        if content is None or len(words(doc.text[content[0] : content[1]])) < 2:
            continue
        sp = (ws[0].start - 1 if handle else ws[0].start, ws[-1].end)
        d = _verbless_draft(doc, (colon.start, colon.end), content, sp)
        if _head_keys(ws[0].key) & cues.MINISTRY_FIELDS and not any(
                e.label == "PER" for e in doc.entities_in(ws[0].start, ws[-1].end)):
            d.speaker_kind = "organization"
        elif handle:
            d.speaker_kind = "unspecified"  # an account: a person's or a body's, the handle does not say
        out.append(d)
    return out


# Headline verbs of a reply, cues only before "على ...": "وزير التربية يرد على الشائعات".
_REPLY_CUES: dict[str, cues.Features] = {fold("يرد"): ("m", "s"), fold("ترد"): ("f", "s"),
                                         fold("يعلق"): ("m", "s"), fold("تعلق"): ("f", "s")}
_TAIL_PREPS = frozenset(fold(w) for w in ("على", "عن", "حول"))
_OPEN_QUOTES, _CLOSE_QUOTES = "«“\"", "»”\""


def _trailing_cue_frames(doc: _Doc, drafts: list[_Draft]) -> list[_Draft]:
    """Headline attribution with the cue last: "لا صحة لإلغاء الاختبارات.. التعليم توضح",
    "الحدود مفتوحة - الداخلية تؤكد", "«الامتحانات في موعدها».. وزير التربية يرد على الشائعات".

    A sentence that ends with a reporting verb after a short subject that looks
    like a speaker (a person or organisation mention, or a head word of the
    speaker lists, as for "X: ..."): what the subject says is the text before
    it, back to the sentence start when a dash or bar separates them, else the
    sentence before, on the same line. "وهذا ما يؤكد" names no speaker.
    """
    out: list[_Draft] = []
    bounds = doc.sent_bounds
    for n, (s_start, s_end) in enumerate(bounds):
        if url := _TRAILING_URL.search(doc.text, s_start, s_end):
            s_end = url.start()  # a post's link after the cue: "... تعليم جدة يوضح https://t.co/..."
        ws = [k for k in range(doc.tok_at(s_start), doc.tok_at(s_end)) if doc.toks[k].kind == "w"]
        if len(ws) < 2:
            continue
        i = ws[-1]  # the sentence's last word, or the verb before a short "على ..." / "عن ..." phrase
        tail = next((m for m in range(max(1, len(ws) - 3), len(ws)) if doc.toks[ws[m]].key in _TAIL_PREPS), None)
        if tail is not None:
            i = ws[tail - 1]  # "وزير التربية يرد على الشائعات"
        reply = _REPLY_CUES.get(doc.toks[i].key) if tail is not None else None
        vinfo = _verb_of(doc.toks[i])
        feats = reply if reply is not None else (vinfo[1] if vinfo is not None else None)
        if feats is None:
            if (d := _dash_signature(doc, ws, s_start, drafts)) is not None:
                out.append(d)
            continue
        if (reply is None and _is_participle(doc.toks[i])) or feats == ("x", "x"):
            continue
        sp = _svo_subject(doc, i, s_start)
        if sp is None or doc.tok_at(sp[1]) < i - doc.cfg["colon_speaker_max_words"]:
            continue
        if not _speaker_like(doc, doc.toks[doc.tok_at(sp[0])], sp):
            continue
        gap = doc.text[max(s_start, sp[0] - 3) : sp[0]]
        if sp[0] > s_start and any(ch in _GAP_BREAKS for ch in gap):
            cut = sp[0] - len(gap) + min(gap.index(ch) for ch in _GAP_BREAKS if ch in gap)
            content = _content_span(doc, s_start, cut)  # "الحدود مفتوحة - الداخلية تؤكد"
        elif n > 0 and doc.tok_at(sp[0]) == ws[0] and "\n" not in doc.text[bounds[n - 1][0] : s_start].strip():
            content = _content_span(doc, *bounds[n - 1])  # "لا صحة لإلغاء الاختبارات.. التعليم توضح"
        else:
            continue
        if content is not None and doc.text[content[0]] in _OPEN_QUOTES and doc.text[content[1] - 1] in _CLOSE_QUOTES:
            content = (content[0] + 1, content[1] - 1)  # «الامتحانات في موعدها».. : the quoted words
        if content is None or len(words(doc.text[content[0] : content[1]])) < 3 or _content_taken(drafts, content):
            continue
        d = _Draft((doc.toks[i].start, doc.toks[i].end), content, "direct", sp)
        _speaker_info(doc, d, feats)
        out.append(d)
    return out


# News agencies that sign a wire: a credit, not a speaker ("... - رويترز").
_AGENCY_CREDITS = frozenset(fold(w) for w in "رويترز وام واس سانا بترا قنا كونا الأناضول أ.ف.ب".split())


def _dash_signature(doc: _Doc, ws: list[int], s_start: int, drafts: list[_Draft]) -> _Draft | None:
    """A headline signed after a dash, no verb: "لا صحة لما يشاع عن تسريح موظفين - مصدر مسؤول".

    The last words of the sentence (``ws``, word token indexes), after a dash or
    bar, are a short phrase that looks like a speaker (as for "X: ..."); the
    text before the dash is what it says. The dash is the cue.
    """
    for m in range(len(ws) - 1, max(0, len(ws) - 1 - doc.cfg["colon_speaker_max_words"]), -1):
        gap_start = doc.toks[ws[m - 1]].end
        gap = doc.text[gap_start : doc.toks[ws[m]].start]
        dash = next((gap_start + k for k, ch in enumerate(gap) if ch in "-–—|"), None)
        if dash is None:
            continue
        phrase = [doc.toks[k] for k in ws[m:]]
        if any(_verb_of(t) or _is_stop(doc, t) for t in phrase):
            return None
        sp = (phrase[0].start, phrase[-1].end)
        heads = _head_keys(phrase[0].key)
        if heads & (cues.PLACE_HEADS | cues.MEDIA_HEADS) or phrase[0].key in _AGENCY_CREDITS:
            return None  # "... - القاهرة" is a dateline, "... - رويترز" a credit, not a signature
        if not _speaker_like(doc, phrase[0], sp):
            return None
        content = _content_span(doc, s_start, dash)
        if content is None or len(words(doc.text[content[0] : content[1]])) < 3 or _content_taken(drafts, content):
            return None
        return _verbless_draft(doc, (dash, dash + 1), content, sp)
    return None
