"""Candidate attributions (drafts) from each kind of frame.

Part of :mod:`khabar.attribution`: reporting verbs, according-to phrases,
nominal frames ("وفي تصريح لـ X"), quotations followed by their cue and
quotations continuing one. Headline and post frames ("X: ...", a cue last, a
dash signature) are in :mod:`khabar.attribution.headlines`.
"""

from __future__ import annotations

import logging
import re

from khabar import cues
from khabar.arabic import fold, match_key
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
    _SPEAKER_HEADS,
    _trim,
    _verb_of,
)
from khabar.attribution.phrases import (
    _ADAM,
    _ALA,
    _ANONYMITY_OPENERS,
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

# Particles of the future before a verb ("سوف تعلن"، spoken "رح / راح / ح تعلن"): speech yet to come, nothing reported.
_FUTURE = frozenset(fold(w) for w in "سوف وسوف فسوف رح راح رايح رايحة حا".split())



_DAMMA = "\u064f"


def _vocalised_passive(word: str) -> bool:
    """Whether a verb is written as a passive: a damma on its first letter after و / ف ("وأُعلن"، "ذُكر"، "نُقل"). Unvocalised,
    "وأعلن" reads as "and he announced", whose speaker is the previous sentence's."""
    w = word[1:] if len(word) > 3 and word[0] in "وف" and word[1] != _DAMMA else word
    return len(w) > 2 and w[1] == _DAMMA and w[0] not in "يت"  # "يُعلن"، "تُشير": an active imperfect's prefix

def _speaker_info(doc: _Doc, d: _Draft, feats: cues.Features) -> None:
    """The speaker kind of ``d``'s speaker phrase, and the verb's agreement made plural by a plural phrase."""
    d.speaker_kind, plural = _head_info(doc, *d.speaker)
    d.features = (feats[0], "p" if plural or feats[1] == "p" else feats[1])


# "جدد المتحدث باسم الجهاز محمد شمروخ نفيه، وقال إن ...": a renewed denial or position names who speaks next.
_RENEWAL_VERBS = frozenset(fold(w) for w in "جدد وجدد كرر وكرر جددت وجددت كررت وكررت يجدد ويجدد يكرر ويكرر تجدد تكرر".split())
_RENEWED = frozenset(fold(w) for w in "نفيه نفيها نفيهم تأكيده تأكيدها تأكيدهم رفضه رفضها رفضهم موقفه موقفها موقفهم "
                                      "دعوته دعوتها تحذيره تحذيرها".split())


def renewal_ghosts(doc: _Doc) -> list[_Draft]:
    """A ghost draft (an antecedent only, never output) for "جدد X نفيه": X is the subject of the "وقال" that
    follows, not the previous sentence's speaker."""
    out: list[_Draft] = []
    for i, tok in enumerate(doc.toks):
        if tok.kind != "w" or tok.key not in _RENEWAL_VERBS:
            continue
        s_end = doc.sentence(tok.start)[1]
        for k in range(i + 2, min(len(doc.toks), i + 10)):
            t = doc.toks[k]
            if t.start >= s_end or t.kind == "p":
                break
            if t.key in _RENEWED:
                feats: cues.Features = ("f" if tok.key.endswith("ت") or tok.key.startswith("ت") else "m", "s")
                ghost = _Draft((tok.start, tok.end), (tok.end, tok.end), "indirect", (doc.toks[i + 1].start,
                               doc.toks[k - 1].end), features=feats, ghost=True)
                _speaker_info(doc, ghost, feats)
                out.append(ghost)
                break
    return out


def _verb_drafts(doc: _Doc, nominal: dict[int, tuple[tuple[int, int], str]]) -> list[_Draft]:
    drafts: list[_Draft] = []
    for i, tok in enumerate(doc.toks):
        vinfo = _verb_of(tok)
        if vinfo is None:
            continue
        verb, feats, _conj = vinfo
        s_start, s_end = doc.sentence(tok.start)
        prev = doc.toks[i - 1] if i > 0 and doc.toks[i - 1].start >= s_start else None
        if prev is not None and prev.kind == "w" and (prev.key in cues.NEGATORS or prev.key in _FUTURE):
            continue  # "لم يعلن": no speech reported; "الحكومة رح تعلن بعد شوي": none yet
        if prev is not None and prev.kind == "w" and prev.key in cues.NOUN_MAKERS and not _is_name_ali(doc, prev) \
                and (not _is_participle(tok) or tok.key.endswith("ه")):
            continue  # "على أمل أن", "بعد يومين من مطالبة الوزير": a noun after a preposition, not a verb
        if tok.key in cues.IMPERSONAL and (_is_comp(doc, i + 1) or (i + 1 < len(doc.toks) and doc.toks[i + 1].key in cues.COMPLEMENTIZER_PREPS)):
            continue  # "يذكر أن": the reporter's own background
        if tok.key in _ANONYMITY_OPENERS and i + 1 < len(doc.toks) and doc.toks[i + 1].key == _ADAM:
            continue  # "، طلب / طالبا / مشترطا عدم الكشف عن هويته،": the source's condition of anonymity, not a statement
        speaker: tuple[int, int] | None = None
        needs: cues.Features | None = None
        pronoun = False
        j = i + 1
        if _is_participle(tok):
            needs = feats  # "، مشيرا إلى أن": the speaker of the clause it hangs on
        elif feats == ("x", "x") or _vocalised_passive(tok.text):
            pass  # passive: agentless ("أفيد"; "وأُعلن مساء الأحد عن" written with its damma)
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
        if verb.lemma in _REFUSAL_VERBS and _refuses_an_act(doc, speaker, content):
            continue  # "يرفض استقبال الحالات"، "رفض الوزير التعليق": a refusal to act, nothing said or denied
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


# What "وفق" / "طبقا لـ" name when they mean "in accordance with", not "according to" a source.
_NORMS = frozenset(match_key(
    "القانون قانون الجدول جدول الخطة خطة الضوابط ضوابط المعايير معايير الشروط شروط الأنظمة أنظمة النظام نظام "
    "اللوائح لوائح اللائحة لائحة التعليمات تعليمات الإجراءات إجراءات الاتفاق اتفاق الاتفاقية اتفاقية الدستور "
    "الأصول الآلية آلية المواعيد مواعيد الجدولة البرنامج برنامج الأولويات أولويات الرؤية رؤية الاستراتيجية "
    "الجداول جداول التوقيت توقيت البرامج برامج").split())


def _is_norm(phrase: str) -> bool:
    """Whether an according-to phrase opens with a rule, plan or schedule ("الضوابط المعمول بها"), not a source."""
    first = match_key(phrase).split()[:1]
    if not first:
        return False
    # with its pronoun too: "وفق جدولها المعتاد"، "حسب برنامجهم"
    bare = {first[0][: -len(suf)] for suf in _PRONOUN_SUFFIXES if first[0].endswith(suf) and len(first[0]) - len(suf) >= 3}
    return bool(({first[0]} | bare) & _NORMS)


_PRONOUN_SUFFIXES = ("هما", "هم", "ها", "ه", "نا", "كم")


# "رفض" denies what it takes as object when that is a claim ("رفض الاتهامات"، "رفض التقرير"); before the
# verbal noun of an act ("رفض التعليق"، "يرفض استقبال الحالات"، "رفضت الانسحاب") it is a refusal to act.
_REFUSAL_VERBS = frozenset({"رفض"})
_CIRCUMSTANCE_OPENERS = frozenset({"في", "خلال", "عبر", "امس", "اليوم", "لدي"})  # folded
_ACT_NOUN_RE = re.compile(r"^(?:ال)?(?:ت..ي.|است..ا.|ان..ا.|ا.ت.ا.|م.ا..ه|ا..ا.)$")


def _refuses_an_act(doc: _Doc, speaker: tuple[int, int] | None, content: tuple[int, int]) -> bool:
    """Whether the word opening ``content``, or the last of ``speaker`` when the object was read into it
    ("رفض وزير الخارجية التعليق على ..."), is the verbal noun of an act rather than a claim or document."""
    ks = [doc.tok_at(content[0])]
    if speaker is not None and speaker[1] <= content[0]:
        ks.append(doc.tok_at(speaker[1]) - 1)
    if ks[0] < len(doc.toks) and doc.toks[ks[0]].key in _CIRCUMSTANCE_OPENERS and any(
            t.key in ("تعليق", "التعليق") for t in doc.toks[ks[0] + 1 : ks[0] + 8]):
        return True  # "رفض في تصريحات إلى الوطن أمس التعليق على ...": a circumstance, then the refusal to comment
    for k in ks:
        if 0 <= k < len(doc.toks):
            key = doc.toks[k].key
            if key not in cues.CONTENT_HEADS and key not in cues.DOCUMENT_HEADS and key not in cues.RUMOUR_NOUNS \
                    and _ACT_NOUN_RE.match(key):
                return True
    return False


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
        in_accordance = doc.toks[i + m - 1].key.startswith(("وفق", "طبق", "ووفق", "وطبق"))
        if j == i + m and doc.toks[j].key.startswith("ل") and not doc.toks[j].key.startswith("لل") and in_accordance:
            sp = (sp[0] + 1, sp[1])  # "وفقا لوكالة" -> "وكالة"
        if in_accordance and _is_norm(doc.text[sp[0] : sp[1]]):
            continue  # "وفق القانون"، "وفق الجدول"، "طبقا للضوابط": in accordance with a rule, no source
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
