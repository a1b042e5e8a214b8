"""Candidate attributions (drafts) from each kind of frame.

Part of :mod:`khabar.attribution`: reporting verbs, according-to phrases,
nominal frames ("وفي تصريح لـ X"), headline and post frames ("X: ..."),
quotations followed by their cue and quotations continuing one.
"""

from __future__ import annotations

import logging
import re

from khabar import cues
from khabar.arabic import fold, words
from khabar.attribution.doc import (
    _BIH,
    _MA,
    _content_span,
    _Doc,
    _Draft,
    _head_info,
    _head_keys,
    _is_comp,
    _is_name_ali,
    _is_participle,
    _is_stop,
    _SPEAKER_HEADS,
    _trim,
    _verb_of,
)
from khabar.attribution.phrases import (
    _GAP_BREAKS,
    _ALA,
    _HADD,
    _KAMA,
    _QAD,
    _as_said_frame,
    _charge_frame,
    _clause_end,
    _frame,
    _has_speech_quote,
    _match_seq,
    _np_split,
    _np_until_comma,
    _past_adverbial,
    _relative_antecedent,
    _relay_source,
    _skip_addressee,
    _speaker_after,
    _svo_subject,
    _topic_subject,
)

log = logging.getLogger(__name__)


def _speaker_info(doc: _Doc, d: _Draft, feats: cues.Features) -> None:
    """The speaker kind of ``d``'s speaker phrase, and the verb's agreement made plural by a plural phrase."""
    d.speaker_kind, plural = _head_info(doc, *d.speaker)
    d.features = (feats[0], "p" if plural or feats[1] == "p" else feats[1])


def _verb_drafts(doc: _Doc, nominal: dict[int, tuple[tuple[int, int], str]]) -> list[_Draft]:
    drafts: list[_Draft] = []
    for i, tok in enumerate(doc.toks):
        vinfo = _verb_of(tok)
        if vinfo is None:
            continue
        verb, feats, _conj = vinfo
        s_start, s_end = doc.sentence(tok.start)
        prev = doc.toks[i - 1] if i > 0 and doc.toks[i - 1].start >= s_start else None
        if prev is not None and prev.kind == "w" and prev.key in cues.NEGATORS:
            continue  # "لم يعلن": no speech reported
        if prev is not None and prev.kind == "w" and prev.key in cues.NOUN_MAKERS and not _is_name_ali(doc, prev) \
                and (not _is_participle(tok) or tok.key.endswith("ه")):
            continue  # "على أمل أن", "بعد يومين من مطالبة الوزير": a noun after a preposition, not a verb
        if tok.key in cues.IMPERSONAL and (_is_comp(doc, i + 1) or (i + 1 < len(doc.toks) and doc.toks[i + 1].key in cues.COMPLEMENTIZER_PREPS)):
            continue  # "يذكر أن": the reporter's own background
        speaker: tuple[int, int] | None = None
        needs: cues.Features | None = None
        pronoun = False
        j = i + 1
        if _is_participle(tok):
            needs = feats  # "، مشيرا إلى أن": the speaker of the clause it hangs on
        elif feats == ("x", "x"):
            pass  # passive: agentless
        elif prev is not None and prev.kind == "w" and prev.key in cues.PRONOUN_SUBJECTS:
            needs = cues.PRONOUN_SUBJECTS[prev.key]
            pronoun = True
        elif _conj and (topic := _topic_subject(doc, i, s_start)) is not None \
                and _speaker_after(doc, i + 1, verb, s_end)[0] is None:
            speaker = topic  # "أما العودة فأوضح المعبر أنها": a subject after the verb wins
        else:
            svo = None
            if prev is not None and prev.key == _QAD and i >= 2 and doc.toks[i - 2].start >= s_start \
                    and doc.toks[i - 2].kind == "w" and doc.toks[i - 2].key not in cues.CLAUSE_PARTICLES \
                    and not _verb_of(doc.toks[i - 2]):
                svo = _svo_subject(doc, i - 1, s_start)  # "وكان الاتحاد قد نفى": the subject stands before قد
                before_kana = doc.toks[i - 3] if i >= 3 and doc.toks[i - 2].key in cues.KANA else None
                if svo is None and before_kana is not None and before_kana.key in cues.PRONOUN_SUBJECTS:
                    needs, pronoun = cues.PRONOUN_SUBJECTS[before_kana.key], True  # "لكنها كانت قد أكدت"
            elif prev is not None and not _conj and prev.kind != "p" and prev.key not in cues.CLAUSE_PARTICLES:
                if prev.kind == "w" and prev.key in cues.RELATIVES:
                    sp, j2 = _speaker_after(doc, i + 1, verb, s_end)
                    if sp is not None and j2 < len(doc.toks) and doc.toks[j2].kind == "p" and doc.toks[j2].text in "،,":
                        continue  # "المسؤول الذي طلب عدم نشر اسمه، أنها": a relative clause's object, then the main clause
                    if sp is not None:
                        speaker, j = sp, j2
                    else:
                        svo = _relative_antecedent(doc, i - 1, s_start)
                else:
                    svo = _svo_subject(doc, i, s_start)
            if svo is not None:
                speaker = svo
            elif speaker is None:
                speaker, j = _speaker_after(doc, i + 1, verb, s_end)
                if speaker is None and needs is None:
                    needs = feats
        nested = None
        if verb.relay:
            if speaker is None or j >= len(doc.toks) or doc.toks[j].key != fold("عن"):
                continue
            nested = speaker
            speaker, j, say_feats = _relay_source(doc, j + 1, s_end)
            if speaker is None:
                continue
            feats = say_feats
        elif j < len(doc.toks) and doc.toks[j].key == fold("نقلا") and j + 1 < len(doc.toks) and doc.toks[j + 1].key == fold("عن"):
            nested = speaker
            speaker, j, feats = _relay_source(doc, j + 2, s_end)
        if speaker is not None and verb.lemma in cues.ADDRESSEE_VERBS:
            j = _skip_addressee(doc, j, s_end)
        charge = _charge_frame(doc, speaker, s_end) if verb.lemma in cues.CHARGE_VERBS and speaker else None
        if charge is not None:
            speaker, frame = _trim(doc, doc.tok_at(speaker[0]), charge[2]), charge[:2]
        else:
            frame = _frame(doc, j, verb, s_end)
        if frame is None and speaker is not None and not nested and verb.np_object:
            # "نفى الكرملين التقرير": no frame; re-split the collected phrase
            a = doc.tok_at(speaker[0])
            b = _np_split(doc, a, j)
            if b < j:
                speaker = _trim(doc, a, b)
                frame = _frame(doc, b, verb, s_end)
        if frame is not None and _object_not_speaker(doc, i, speaker, frame, verb, _conj, nested, s_start):
            # "تنفي زيادة الأسعار وتؤكد استقرار الأسعار": after a coordinated verb a noun that names no one is
            # the object; the subject is the earlier clause's (resolution gives it, as to a continuation)
            frame, speaker, needs = ("indirect", (speaker[0], frame[1][1])), None, feats  # type: ignore[index]
        if frame is None and speaker is not None and prev is not None and prev.key in _KAMA:
            frame = _as_said_frame(doc, i - 1, s_start)  # "أعيد فتح المطار، كما أعلن وزير النقل"
        if frame is None or speaker == frame[1]:
            log.debug("no frame for cue %r at %d", tok.text, tok.start)
            if frame is None and speaker is not None and nested is None:
                ghost = _Draft((tok.start, tok.end), (tok.end, tok.end), "indirect", speaker, features=feats, ghost=True)
                _speaker_info(doc, ghost, feats)
                drafts.append(ghost)  # "شكك الزعيم في الأرقام، وقال إن": the subject the continuation takes
            continue
        kind, content = frame
        if kind == "indirect" and _has_speech_quote(doc, content):
            kind = "mixed"
        d = _Draft((tok.start, tok.end), content, kind, speaker, nested=nested, features=feats)
        if speaker is None and needs is not None:
            d.needs_antecedent = True
            d.features = needs
            d.participle = _is_participle(tok)
            d.pronoun = pronoun
            cand = nominal.get(doc.sent_starts.index(s_start) if s_start in doc.sent_starts else -1)
            if cand is not None:
                d.speaker, d.needs_antecedent = cand[0], False
        if d.speaker is not None:
            _speaker_info(doc, d, feats)
        if nested is not None:
            d.nested_kind = _head_info(doc, *nested)[0]
        drafts.append(d)
    return drafts


def _object_not_speaker(doc: _Doc, i: int, speaker: tuple[int, int] | None, frame: tuple[str, tuple[int, int]],
                        verb: cues.Verb, conj: bool, nested: tuple[int, int] | None, s_start: int) -> bool:
    """Whether the phrase taken as the speaker of the coordinated verb at ``i`` is its object instead:
    the verb takes a noun object, an earlier reporting verb in the sentence has spoken, and the phrase
    names no one (no entity, no speaker head such as الوزير or مصدر)."""
    if not conj or speaker is None or nested is not None or not verb.np_object or frame[0] != "indirect":
        return False
    after = doc.tok_at(speaker[1])
    if after < len(doc.toks) and doc.toks[after].start < frame[1][0]:
        return False  # a complementiser or other words stand between: "وأكد خالد أن ..." has a speaker
    if doc.entities_in(*speaker) or _head_keys(doc.toks[doc.tok_at(speaker[0])].key) & _SPEAKER_HEADS:
        return False
    return any(_verb_of(t) is not None for t in doc.toks[doc.tok_at(s_start) : i])


def _according_drafts(doc: _Doc) -> list[_Draft]:
    drafts: list[_Draft] = []
    for i, tok in enumerate(doc.toks):
        if tok.kind != "w":
            continue
        s_start, s_end = doc.sentence(tok.start)
        # "على حد قوله": the content is what precedes, the speaker an antecedent
        if tok.key == _ALA and i + 2 < len(doc.toks) and doc.toks[i + 1].key == _HADD and doc.toks[i + 2].key in cues.AS_HE_PUT_IT:
            content = _content_span(doc, s_start, tok.start)
            if content:
                d = _Draft((tok.start, doc.toks[i + 2].end), content, "according_to", features=cues.AS_HE_PUT_IT[doc.toks[i + 2].key])
                d.needs_antecedent = True
                drafts.append(d)
            continue
        m = next((len(seq) for seq in cues.ACCORDING_TO_BY_FIRST.get(tok.key, ()) if _match_seq(doc, i, seq)), 0)
        if not m:
            continue
        j = i + m
        if j < len(doc.toks) and doc.toks[j].key in (fold("لـ"), "ل"):
            j += 1
        if j < len(doc.toks) and doc.toks[j].key == _MA:
            j += 1  # "بحسب ما أفادت به مصادر": skip "ما", the verb and "به"
        if j < len(doc.toks) and _verb_of(doc.toks[j]):
            j += 1
            if j < len(doc.toks) and doc.toks[j].key in _BIH:
                j += 1
        sp, k = _np_until_comma(doc, j, s_end, doc.cfg["according_max_words"])
        if sp is None:
            continue
        if j == i + m and doc.toks[j].key.startswith("ل") and not doc.toks[j].key.startswith("لل") and doc.toks[i + m - 1].key.startswith(("وفق", "طبق", "ووفق", "وطبق")):
            sp = (sp[0] + 1, sp[1])  # "وفقا لوكالة" -> "وكالة"
        cue = (tok.start, doc.toks[i + m - 1].end)
        before = _content_span(doc, s_start, tok.start)
        head_clause = before is None or all(t.kind != "w" for t in doc.toks[doc.tok_at(s_start) : i])
        if head_clause:
            k = _past_adverbial(doc, k, s_end)
            while k < len(doc.toks) and doc.toks[k].kind == "p" and doc.toks[k].text in "،,:":
                k += 1
            q = doc.quote_opening(k)
            if q is not None:
                content = (q.start, q.end)
            elif k < len(doc.toks):
                content = _content_span(doc, doc.toks[k].start, _clause_end(doc, k, s_end))
            else:
                content = None
        else:
            content = before
            clause_k = i - 1
            while clause_k >= 0 and doc.toks[clause_k].start >= s_start and not (doc.toks[clause_k].kind == "p" and doc.toks[clause_k].text == ":"):
                clause_k -= 1
            if clause_k >= 0 and doc.toks[clause_k].start >= s_start:
                content = _content_span(doc, doc.toks[clause_k].end, tok.start)
        if not content:
            continue
        d = _Draft(cue, content, "according_to", sp)
        d.speaker_kind, plural = _head_info(doc, *sp)
        d.features = ("x", "p" if plural else "s")
        drafts.append(d)
    return drafts


def _nominal_frames(doc: _Doc) -> tuple[dict[int, tuple[tuple[int, int], str]], list[_Draft]]:
    """ "وفي تصريح لـ X، ..." : a speaker candidate per sentence, and drafts when no verb follows."""
    cands: dict[int, tuple[tuple[int, int], str]] = {}
    drafts: list[_Draft] = []
    for si, (s_start, s_end) in enumerate(doc.sent_bounds):
        i = doc.tok_at(s_start)
        if i + 2 >= len(doc.toks) or doc.toks[i].key not in (fold("في"), fold("وفي")):
            continue
        noun = doc.toks[i + 1]
        if noun.key not in cues.NOMINAL_CUES:
            continue
        j = i + 2
        if j < len(doc.toks) and doc.toks[j].key in (fold("صحفي"), fold("صحافي")):
            j += 1
        if j >= len(doc.toks):
            continue
        link = doc.toks[j].key
        if link == fold("مع"):
            continue  # "في مقابلة مع X": X is the interviewer
        if link in (fold("صادر"), fold("الصادر")) and j + 1 < len(doc.toks) and doc.toks[j + 1].key == fold("عن"):
            j += 2
        elif link in (fold("لـ"), "ل"):
            j += 1
        elif link.startswith("ل") and link not in (fold("له"), fold("لها")):
            pass
        else:
            continue
        sp, k = _np_until_comma(doc, j, s_end, doc.cfg["according_max_words"])
        if sp is None:
            continue
        if doc.text[sp[0]] == "ل" and doc.toks[j].key.startswith("ل") and not doc.toks[j].key.startswith("لل") and link not in (fold("لـ"), "ل"):
            sp = (sp[0] + 1, sp[1])
        cands[si] = (sp, _head_info(doc, *sp)[0])
        rest = [t for t in doc.toks[k:] if t.start < s_end]
        if any(_verb_of(t) for t in rest):
            continue
        while k < len(doc.toks) and doc.toks[k].kind == "p":
            k += 1
        q = doc.quote_opening(k)
        content = (q.start, q.end) if q is not None else (
            _content_span(doc, doc.toks[k].start, s_end) if k < len(doc.toks) and doc.toks[k].start < s_end else None
        )
        if content:
            d = _Draft((noun.start, noun.end), content, "direct" if q is not None else "indirect", sp)
            d.speaker_kind, plural = _head_info(doc, *sp)
            d.features = ("x", "p" if plural else "s")
            drafts.append(d)
    return cands, drafts


_COLON_SPEAKER_HEADS = (cues.PERSON_HEADS | cues.ORGANIZATION_HEADS | cues.MEDIA_HEADS | cues.ANONYMOUS_HEADS
                        | cues.PLACE_HEADS | cues.MINISTRY_FIELDS)


_INNER_PREPS = frozenset(fold(w) for w in ("في", "من"))
_TRAILING_URL = re.compile(r"\s*(?:https?://|www\.)\S+\s*$")
_LABEL_MARKS = frozenset("#|-–—•*:")


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
        sourced = len(ws) > 2 and ws[1].key in inner_ok
        if any((t.key in cues.COLON_LABELS and not (n == 0 and sourced)) or t.key in cues.TIME_WORDS or _verb_of(t)
               or (_is_stop(doc, t) and not (n and t.key in inner_ok)) for n, t in enumerate(ws)):
            continue
        colon = doc.toks[k]
        if any(s_start <= d.cue[0] < colon.end or d.content[0] <= colon.start < d.content[1] for d in drafts):
            continue
        ents = doc.entities_in(ws[0].start, ws[-1].end)
        handle = len(ws) == 1 and doc.text[ws[0].start - 1 : ws[0].start] == "@"  # "@MOH_Saudi: ..." an account speaks
        if not (handle or _head_keys(ws[0].key) & _COLON_SPEAKER_HEADS or any(e.label in ("PER", "ORG") for e in ents)):
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
        d = _Draft((colon.start, colon.end), content, "direct", sp)
        d.speaker_kind, plural = _head_info(doc, *sp)
        if _head_keys(ws[0].key) & cues.MINISTRY_FIELDS and not any(e.label == "PER" for e in ents):
            d.speaker_kind = "organization"
        elif handle:
            d.speaker_kind = "unspecified"  # an account: a person's or a body's, the handle does not say
        d.features = ("x", "p" if plural else "s")
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
        first = doc.toks[doc.tok_at(sp[0])]
        if not (_head_keys(first.key) & _COLON_SPEAKER_HEADS
                or any(e.label in ("PER", "ORG") for e in doc.entities_in(sp[0], sp[1]))):
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
        if content is None or len(words(doc.text[content[0] : content[1]])) < 3:
            continue
        if any(d.content[0] < content[1] and content[0] < d.content[1] for d in drafts):
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
        if not (heads & _COLON_SPEAKER_HEADS or any(e.label in ("PER", "ORG") for e in doc.entities_in(*sp))):
            return None
        content = _content_span(doc, s_start, dash)
        if content is None or len(words(doc.text[content[0] : content[1]])) < 3:
            return None
        if any(d.content[0] < content[1] and content[0] < d.content[1] for d in drafts):
            return None
        d = _Draft((dash, dash + 1), content, "direct", sp)
        d.speaker_kind, plural = _head_info(doc, *sp)
        d.features = ("x", "p" if plural else "s")
        return d
    return None


def _quote_first_drafts(doc: _Doc, taken: list[tuple[int, int]]) -> list[_Draft]:
    """Quotations not yet attributed, followed by their cue ("“...”، قال بيسكوف") or continuing a quotation."""
    drafts: list[_Draft] = []
    for q in doc.quotes:
        if not doc.is_speech(q) or any(a <= q.start and q.end <= b for a, b in taken):
            continue
        k = (q.close_tok + 1) if q.close_tok >= 0 else doc.tok_at(q.end)
        while k < len(doc.toks) and doc.toks[k].kind == "p" and doc.toks[k].text in "،,":
            k += 1
        if k >= len(doc.toks):
            continue
        t = doc.toks[k]
        if "\n" in doc.text[q.end : t.start]:
            continue  # the cue must follow in the same paragraph
        s_start, s_end = doc.sentence(t.start)
        vinfo = _verb_of(t)
        if vinfo is not None:
            verb, feats, _ = vinfo
            sp, _k = _speaker_after(doc, k + 1, verb, max(s_end, t.end + 200))
            d = _Draft((t.start, t.end), (q.start, q.end), "direct", sp, features=feats)
            if sp is None:
                d.needs_antecedent = True
            else:
                d.speaker_kind, plural = _head_info(doc, *sp)
                d.features = (feats[0], "p" if plural else feats[1])
            drafts.append(d)
            continue
        m = next((len(seq) for seq in cues.ACCORDING_TO_BY_FIRST.get(doc.toks[k].key, ()) if _match_seq(doc, k, seq)), 0)
        if m:
            sp, _k = _np_until_comma(doc, k + m, max(s_end, t.end + 200), doc.cfg["according_max_words"])
            if sp is not None:
                d = _Draft((t.start, doc.toks[k + m - 1].end), (q.start, q.end), "according_to", sp)
                d.speaker_kind = _head_info(doc, *sp)[0]
                drafts.append(d)
    return drafts


def _adjacent_quotes(doc: _Doc, drafts: list[_Draft]) -> list[_Draft]:
    """A quotation right after a directly quoted one (only spaces and punctuation between) continues it."""
    out: list[_Draft] = []
    taken = {d.content for d in drafts}
    by_end = {d.content[1]: d for d in drafts if d.kind == "direct"}
    for q in doc.quotes:
        if (q.start, q.end) in taken or not doc.is_speech(q):
            continue
        k = q.open_tok - 1
        while k >= 0 and doc.toks[k].kind in "pq" and doc.toks[k].text not in "\n":
            if doc.toks[k].kind == "q" and doc.toks[k].quote >= 0 and doc.quotes[doc.toks[k].quote].close_tok == k:
                prev = doc.quotes[doc.toks[k].quote]
                src = by_end.get(prev.end)
                if src is not None and "\n" not in doc.text[prev.end : q.start]:
                    d = _Draft(src.cue, (q.start, q.end), "direct", src.speaker, src.speaker_kind, src.nested, src.features, src.needs_antecedent)
                    out.append(d)
                    by_end[q.end] = d
                break
            k -= 1
    return out
