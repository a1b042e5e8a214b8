"""Drafts without a subject get one; duplicates and relayed according-to frames are folded.

Part of :mod:`khabar.attribution`.
"""

from __future__ import annotations

import bisect

from khabar import cues
from khabar.arabic import fold, root_initial
from khabar.attribution.doc import (
    _SPEAKER_HEADS,
    _Doc,
    _Draft,
    _head_info,
    _head_keys,
    _is_comp,
    _is_stop,
    _trim,
)
from khabar.attribution.phrases import _speaker_after
from khabar.model import Span


def _compatible(want: cues.Features, have: cues.Features) -> bool:
    return (want[0] == "x" or have[0] in ("x", want[0])) and (want[1] == "x" or have[1] in ("x", want[1]))


def _clause_subject(doc: _Doc, s_start: int, before: int) -> tuple[int, int] | None:
    """Subject of the sentence's main verb, for a participle or continuation with no speaker yet.

    News sentences open with their verb (VSO), possibly after a fronted time
    adverbial ("وفي أغسطس الماضي سمحت إسرائيل ..., قائلة") or a clause linker
    ("في حين تحدث الرئيس ..., مشيرا"). The verb is not checked against any
    lexicon: "أشاد الجنود ..., مشيرين" reports through a non-speech verb.
    Returns the phrase after that verb, ending before char ``before``.
    """
    i = doc.tok_at(s_start)
    n = len(doc.toks)
    while i < n and doc.toks[i].kind != "w" and doc.toks[i].start < before:
        i += 1
    if i + 1 < n and doc.toks[i].key in _CONTRAST_OPENERS and _is_comp(doc, i + 1):
        return _contrast_subject(doc, i + 2, before)  # "غير أن رئيس الاتحاد فلان طعن في الأرقام، وقال"
    if i < n and doc.toks[i].key in cues.FRONTED_PREPS:
        k = i + 1
        while k < n and doc.toks[k].kind == "w" and doc.toks[k].key in cues.TIME_WORDS:
            k += 1
        if k == i + 1:
            return None
        i = k
    elif i + 1 < n and (doc.toks[i].key, doc.toks[i + 1].key) in cues.CLAUSE_LINKERS:
        i += 2
    elif i + 1 < n and doc.toks[i].key in cues.NEGATORS and doc.toks[i + 1].kind == "w":
        i += 1  # "ولم ترد الوزارة على طلب للتعليق، لكنها أكدت": a negated main verb
    if i >= n or doc.toks[i].kind != "w" or doc.toks[i].start >= before:
        return None
    fronted = _fronted_subject(doc, i, before)
    if fronted is not None:
        return fronted
    head = doc.toks[i].key
    if head.startswith(("ال", "وال")) or _is_stop(doc, doc.toks[i]) or head in cues.CLAUSE_PARTICLES or _is_comp(doc, i):
        return None
    sp, _k = _speaker_after(doc, i + 1, cues.VERBS[0], before)
    if sp is None or sp[1] > before:
        return None
    return _cut_object(doc, sp)


def _fronted_subject(doc: _Doc, i: int, before: int) -> tuple[int, int] | None:
    """An SVO opening: a body (an organisation head and its definite words) or a named person or body at
    token ``i``, then an imperfect verb ("وزارة التجارة تهيب بالمواطنين ...، وتؤكد أن"): that phrase is the subject."""
    start = doc.toks[i].start
    ent = _named_at(doc, start, before)
    if ent is not None:
        k = doc.tok_at(ent.end)
        end = ent.end
    elif _opens_with_body(doc, i):
        k = i + 1
        while k < len(doc.toks) and doc.toks[k].kind == "w" and doc.toks[k].key.startswith("ال") and k - i <= 3:
            k += 1
        end = doc.toks[k - 1].end
    else:
        return None
    while k < len(doc.toks) and doc.toks[k].kind != "w":
        k += 1
    if k >= len(doc.toks) or doc.toks[k].start >= before or end >= before:
        return None
    key = doc.toks[k].key
    return (start, end) if len(key) >= 4 and key[0] in "يت" and not key.startswith("ال") else None


def _named_at(doc: _Doc, start: int, end: int) -> Span | None:
    """The person or organisation mention that begins at char ``start`` (found among those before ``end``)."""
    return next((e for e in doc.entities_in(start, end) if e.start == start and e.label in ("ORG", "PER")), None)


def _opens_with_body(doc: _Doc, i: int) -> bool:
    return doc.toks[i].key in cues.ORGANIZATION_HEADS and not doc.toks[i].key.startswith("ال")


def _cut_object(doc: _Doc, sp: tuple[int, int]) -> tuple[int, int] | None:
    """End a non-speech verb's subject before its object: at a "بـ" phrase ("المزارعون بالمبادرة")
    or at a definite noun right after a definite noun that is not a nisba adjective ("الحكومة الوفد")."""
    a, b = doc.tok_at(sp[0]), doc.tok_at(sp[1])
    ws = [k for k in range(a, b) if doc.toks[k].kind == "w"]
    for prev, k in zip(ws, ws[1:]):
        key, pkey = doc.toks[k].key, doc.toks[prev].key
        if key.startswith("بال") or (key.startswith("ال") and pkey.startswith("ال") and not key.endswith(("ي", "يه", "يين", "يون"))):
            return _trim(doc, a, k)
    return sp


def _resolve(doc: _Doc, drafts: list[_Draft]) -> list[_Draft]:
    """Give subject-less drafts the nearest earlier speaker with matching agreement.

    A participle whose sentence holds no earlier speaker, and a continuation
    with no earlier speaker at all, take the subject of the sentence's main
    verb (see :func:`_clause_subject`).
    """
    drafts.sort(key=lambda d: (min(d.cue[0], d.content[0]), d.cue[0]))
    done: list[_Draft] = []
    window = doc.cfg["continuation_max_chars"]
    for d in drafts:
        if d.needs_antecedent:
            pos = min(d.cue[0], d.content[0])
            s_start = doc.sentence(d.cue[0])[0]
            found = None
            for prev in reversed(done):
                if prev.speaker is None or pos - prev.cue[0] > window:
                    continue
                if _compatible(d.features, prev.features):
                    found = prev
                    break
            named = [e for e in doc.entities_in(s_start, d.cue[0]) if e.label == "PER" and e.end <= d.cue[0]]
            if d.pronoun and not named:  # "ولم ترد الوزارة على طلب للتعليق، لكنها كانت قد أكدت": the body named
                named = [e for e in doc.entities_in(s_start, d.cue[0]) if e.label == "ORG" and e.end <= d.cue[0]]
            if d.pronoun and named and (found is None or found.cue[0] < s_start):
                d.speaker = (named[-1].start, named[-1].end)
                d.speaker_kind = "person" if named[-1].label == "PER" else "organization"
                found = None  # "ولم ينف العبادي وجود المسودة، لكنه قال": the man this sentence names
            elif (d.participle or d.pronoun or _inside_clause(doc, d, s_start)) and (found is None or found.cue[0] < s_start):
                sp = _clause_subject(doc, s_start, d.cue[0])
                if sp is not None and not (d.participle or d.pronoun) and not _names_a_speaker(doc, sp):
                    sp = None  # a mid-sentence cue: only a subject that names someone beats an earlier speaker
                if sp is None and found is None and not (d.participle or d.pronoun):
                    sp = _previous_subject(doc, s_start)
                if sp is not None:
                    d.speaker = sp
                    d.speaker_kind = _head_info(doc, *sp)[0]
                    found = None
            elif found is None:
                sp = _previous_subject(doc, s_start)
                if sp is not None:
                    d.speaker = sp
                    d.speaker_kind = _head_info(doc, *sp)[0]
            if found is not None:
                d.speaker, d.speaker_kind, d.nested = found.speaker, found.speaker_kind, found.nested
                d.features = found.features
            d.needs_antecedent = False
        done.append(d)
    return done


_CONTRAST_OPENERS = frozenset(fold(w) for w in "غير إلا بيد".split())


def _contrast_subject(doc: _Doc, k: int, before: int) -> tuple[int, int] | None:
    """After "غير أن" the subject comes first (SVO) and its verb need not be a reporting one: the phrase
    from ``k`` to the end of the last person or organisation named before the clause's first comma."""
    end = k
    while end < len(doc.toks) and doc.toks[end].start < before and not (doc.toks[end].kind == "p" and doc.toks[end].text in "،,"):
        end += 1
    stop = doc.toks[end - 1].end if end > k else doc.toks[k].start
    ents = [e for e in doc.entities_in(doc.toks[k].start, stop) if e.label in ("PER", "ORG") and e.start >= doc.toks[k].start]
    if not ents:
        return None
    return _trim(doc, k, doc.tok_at(max(e.end for e in ents)))


def _names_a_speaker(doc: _Doc, sp: tuple[int, int]) -> bool:
    """Whether a phrase names a person or body: an entity in it, or a speaker head word first."""
    first = doc.toks[doc.tok_at(sp[0])]
    return bool(doc.entities_in(*sp)) or bool(_head_keys(first.key) & _SPEAKER_HEADS)


def _inside_clause(doc: _Doc, d: _Draft, s_start: int) -> bool:
    """A subject-less cue inside its sentence, not opening it ("نشر فريق ... في خطوة قالوا إنها"):
    the sentence's own subject speaks, not a speaker of an earlier sentence."""
    first = doc.tok_at(s_start)
    while first < len(doc.toks) and doc.toks[first].kind != "w":
        first += 1
    if first >= len(doc.toks) or doc.toks[first].start >= d.cue[0]:
        return False
    tok = doc.toks[first]
    named = _named_at(doc, tok.start, tok.end) is not None
    conjunction = tok.key.startswith(("و", "ف")) and not root_initial(tok.key)  # وزارة: the و is the word's own
    return named or _opens_with_body(doc, first) or not conjunction


def _previous_subject(doc: _Doc, s_start: int) -> tuple[int, int] | None:
    """The main-verb subject of the sentence before the one at ``s_start`` ("وظهر كيري ... . وقال إنه")."""
    i = bisect.bisect_left(doc.sent_starts, s_start) - 1
    if i < 0:
        return None
    a, b = doc.sent_bounds[i]
    return _clause_subject(doc, a, b)


def _dedupe(drafts: list[_Draft]) -> list[_Draft]:
    """Drop drafts with the same content, and cues inside another draft's direct quotation."""
    seen: set[tuple[int, int]] = set()
    direct = [d.content for d in drafts if d.kind == "direct"]
    reported = [d.content for d in drafts if d.kind != "according_to"]
    out = []
    for d in drafts:
        if d.content in seen:
            continue
        if any(a <= d.cue[0] and d.cue[1] <= b and (a, b) != d.content for a, b in direct):
            continue
        if d.kind == "according_to" and any(a <= d.cue[0] and d.cue[1] <= b for a, b in reported):
            continue  # "... بحسب مصادر محلية" inside a statement: part of what the speaker said
        if d.kind == "according_to" and _relay_onto(drafts, d):
            continue
        seen.add(d.content)
        out.append(d)
    return out


def _relay_onto(drafts: list[_Draft], acc: _Draft) -> bool:
    """ "قال X: "..." حسبما نقلت وكالة Y": an according-to frame whose content is another
    draft's content names the outlet that carried it; make it that draft's nested source."""
    for d in drafts:
        if d is acc or d.kind == "according_to" or d.nested is not None:
            continue
        if d.content[0] < acc.content[1] and acc.content[0] < d.content[1] and d.speaker is not None:
            d.nested, d.nested_kind = acc.speaker, acc.speaker_kind
            return True
    return False
