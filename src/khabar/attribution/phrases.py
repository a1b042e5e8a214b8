"""Phrases around a reporting cue: the speaker after or before the verb, and the content's frame.

Part of :mod:`khabar.attribution`: VSO and SVO subjects, pronoun and relative
subjects, relayed sources ("نقل عن ... قوله"), the frame after the verb (colon,
quotation, complementiser, noun-phrase object) and where a clause ends.
"""

from __future__ import annotations

from khabar import cues
from khabar.arabic import fold
from khabar.attribution.doc import (
    _CLAUSE_PUNCT,
    _SPEAKER_HEADS,
    _content_span,
    _coordinated_speaker,
    _Doc,
    _head_keys,
    _is_comp,
    _is_stop,
    _trim,
    _verb_of,
)


def _clause_end(doc: _Doc, i: int, sent_end: int) -> int:
    """Char end of the clause that starts at token ``i``: the sentence end, an open quotation's
    close, or the next coordinated reporting verb ("، وقال", "لكنه نفى")."""
    end = sent_end
    k = i
    while k < len(doc.toks) and doc.toks[k].start < end:
        t = doc.toks[k]
        q = doc.quote_opening(k)
        if q is not None and q.close_tok >= 0 and doc.toks[q.close_tok].end > end:
            end = doc.toks[q.close_tok].end
        if t.kind == "p" and t.text in "،," and k > i and _contrast_follows(doc, k + 1):
            return min(end, t.start)  # "رفض X هذا الادعاء، بينما تقول الشرطة": another party's clause
        v = _verb_of(t)
        if v is not None and k > i:
            prev = doc.toks[k - 1]
            if v[2] or (prev.kind == "p" and prev.text in "،,") or prev.key in cues.PRONOUN_SUBJECTS:
                cut = prev.start if (prev.key in cues.PRONOUN_SUBJECTS or prev.kind == "p") else t.start
                return min(end, cut)
        k += 1
    return end


def _contrast_follows(doc: _Doc, k: int) -> bool:
    """Whether token ``k`` opens a contrasting clause about another party ("بينما"، "في حين"; not "فيما",
    which as often goes on with the same speaker)."""
    if k >= len(doc.toks) or doc.toks[k].kind != "w":
        return False
    key = doc.toks[k].key
    if key in _CONTRAST:
        return True
    return k + 1 < len(doc.toks) and (key, doc.toks[k + 1].key) in cues.CLAUSE_LINKERS


def _frame(doc: _Doc, j: int, verb: cues.Verb, sent_end: int) -> tuple[str, tuple[int, int]] | None:
    """The content after the subject: ("direct"|"indirect", span) from token ``j``, skipping adverbials."""
    cfg = doc.cfg
    n = len(doc.toks)
    first_non_time = None
    steps = 0
    if j < n and doc.toks[j].kind == "w" and doc.toks[j].key in _MANNER_OPENERS:
        # "بشكل قاطع"، "بصورة كاملة"، "جملة وتفصيلا" take the next word with them; "بشدة"، "قطعيا" are alone
        j += 2 if doc.toks[j].key in _MANNER_PAIRS and j + 1 < n and doc.toks[j + 1].kind == "w" else 1
    while j < n and doc.toks[j].start < sent_end and steps < cfg["adverbial_max_words"] + 4:
        t = doc.toks[j]
        q = doc.quote_opening(j)
        if t.kind == "p" and t.text == ":":
            q2 = doc.quote_opening(j + 1)
            if q2 is not None:
                return "direct", (q2.start, q2.end)
            span = _content_span(doc, t.end, _clause_end(doc, j + 1, sent_end))
            return ("direct", span) if span else None
        if q is not None and doc.is_speech(q):
            return "direct", (q.start, q.end)
        c = _is_comp(doc, j)
        if c:
            return _comp_frame(doc, j, c, sent_end)
        if (m := _anonymity_aside_end(doc, j, sent_end)) is not None:
            j = m  # "، طلب عدم الكشف عن هويته، إن": past the source's condition of anonymity
            steps += 1
            continue
        if (m := _audience_end(doc, j, sent_end)) is not None:
            j = m  # "لوكالة فرانس برس إن": past the outlet spoken to
            steps += 1
            continue
        if first_non_time is None and verb.np_object and verb.lemma != _REFUSED \
                and (m := _medium_end(doc, j, sent_end)) is not None and not _comp_within(doc, m, m + 8, sent_end):
            j = m  # "نفت المؤسسة في بيان ما تناقلته ...": the medium of the statement, not its content
            steps += 1
            continue
        if t.kind == "w" and (t.key in cues.TIME_WORDS or _is_audience(t.key) or _is_manner(t.key)):
            j += 1
            steps += 1
            continue
        if _verb_of(t) is not None:
            break  # "، قائلة إن ...": the content belongs to the next cue
        if t.kind == "w" and first_non_time is None and not _is_comp(doc, j + 1) and (
                cues.PREP_OBJECT.get(verb.lemma) == t.key or _rumour_object(doc, j, verb)):
            # "أعلن المعبر عن فتح أبوابه", "مشيرا إلى احتمال": the content is the preposition's object
            span = _content_span(doc, t.end, _clause_end(doc, j + 1, sent_end))
            return ("indirect", span) if span else None
        if t.kind == "w" and first_non_time is None and (k := _object_then_prep(doc, j, verb, sent_end)) is not None:
            # "دعت الشامي الوزارة إلى نشر ...": the words before the preposition are its addressee, the content
            # its object (as the gold annotates "دعا X إلى Y")
            q = doc.quote_opening(k + 1)
            if q is not None and doc.is_speech(q):
                return "direct", (q.start, q.end)
            c = _is_comp(doc, k)
            if c:
                return _comp_frame(doc, k, c, sent_end)
            span = _content_span(doc, doc.toks[k].end, _clause_end(doc, k + 1, sent_end))
            return ("indirect", span) if span else None
        prefix = cues.PREFIX_OBJECT.get(verb.lemma)
        if prefix and t.kind == "w" and first_non_time is None and _ba_object(doc, j, prefix):
            # "أفادت الوكالة بعثور الجيش": the بـ phrase is the content, preposition included
            span = _content_span(doc, t.start, _clause_end(doc, j + 1, sent_end))
            return ("indirect", span) if span else None
        if t.kind == "p" and t.text in "،,":
            j += 1
            continue
        if t.kind == "w" and t.key == _LAM and (q2 := doc.quote_opening(j + 1)) is not None and not doc.is_speech(q2) \
                and q2.close_tok > j + 1 and q2.close_tok - j <= 6:
            j = q2.close_tok + 1  # "ينفي لـ"الحدث" إعلان ...": the outlet told, not the content
            steps += 1
            continue
        if t.kind == "w" and t.key == _LAM and j + 1 < n and "(" in doc.text[t.end : doc.toks[j + 1].start]:
            # "نفى المتحدث لـ(العربية) وجود ...": the outlet in brackets (the tokenizer keeps no brackets)
            close = next((m for m in range(j + 1, min(n - 1, j + 5))
                          if ")" in doc.text[doc.toks[m].end : doc.toks[m + 1].start]), None)
            if close is not None:
                j = close + 1
                steps += 1
                continue
        if first_non_time is None:
            first_non_time = j
        if _is_stop(doc, t):
            # a prepositional adverbial: runs to a comma, colon, quotation or complementiser
            k = j + 1
            while k < n and doc.toks[k].start < sent_end and k - j <= cfg["adverbial_max_words"]:
                tk = doc.toks[k]
                if (tk.kind == "p" and tk.text in "،,:") or _is_comp(doc, k) or doc.speech_opens_at(k) \
                        or (tk.kind == "w" and _verb_of(tk) is not None and (doc.toks[k - 1].kind == "p" or tk.key[0] in "وف")):
                    break  # a coordinated reporting verb ("... ويؤكد أن") opens another clause, not this adverbial
                k += 1
            if k < n and doc.toks[k].start < sent_end and k - j <= cfg["adverbial_max_words"] \
                    and _verb_of(doc.toks[k]) is None:
                steps += k - j + 1
                j = k
                continue
        break
    if verb.np_object and first_non_time is not None and first_non_time < n \
            and doc.toks[first_non_time].key not in _CLAUSE_OPENERS and not _contrast_follows(doc, first_non_time):
        span = _content_span(doc, doc.toks[first_non_time].start, _clause_end(doc, first_non_time, sent_end))
        return ("indirect", span) if span else None
    return None


_LAM = fold("ل")


def _rumour_object(doc: _Doc, j: int, verb: cues.Verb) -> bool:
    """Whether token ``j`` is the preposition of "حذر من" before a rumour noun ("من شائعات سحب ...")."""
    if cues.RUMOUR_PREP_OBJECT.get(verb.lemma) != doc.toks[j].key or j + 1 >= len(doc.toks):
        return False
    nxt = doc.toks[j + 1]
    return nxt.kind == "w" and nxt.key in cues.RUMOUR_NOUNS


def _comp_frame(doc: _Doc, j: int, c: int, sent_end: int) -> tuple[str, tuple[int, int]] | None:
    """The indirect content of the ``c``-token complementiser at ``j`` ("أن ..."، "إلى أن ..."): from the
    complementiser itself, or after it for "أن" / "بأن", to the clause end."""
    comp = doc.toks[j + c - 1]
    begin = comp.start if comp.key not in {"ان", "بان"} else comp.end
    span = _content_span(doc, begin, _clause_end(doc, j + c, sent_end))
    return ("indirect", span) if span else None


_ADDRESSEE_MAX_WORDS = 3  # "السلطات الفدرالية النيجيرية": words between the speaker and the verb's preposition


def _object_then_prep(doc: _Doc, j: int, verb: cues.Verb, sent_end: int) -> int | None:
    """Token index of ``verb``'s content preposition after its addressee: 1 to 3 plain words from ``j``.

    For the verbs of :data:`cues.ADDRESSEE_PREP_VERBS` only ("دعا X إلى"); with "أشار" or
    "يشير" the words before "إلى" are as often an adverb or a pre-verbal subject's leftovers
    ("أشار مرارا خلال الأيام الماضية إلى"، "يشير بإصبعه إلى").

    Only words may come between (no punctuation, quotation, verb or complementiser), so a
    later "إلى" of another clause is not taken.
    """
    prep = None
    if verb.lemma in cues.ADDRESSEE_PREP_VERBS:
        prep = cues.PREP_OBJECT.get(verb.lemma) or cues.RUMOUR_PREP_OBJECT.get(verb.lemma)
    if prep is None or _is_stop(doc, doc.toks[j]):
        return None  # "دعا في افتتاح المحاكمة إلى": an adverbial, not an addressee
    n = len(doc.toks)
    for k in range(j + 1, min(n, j + _ADDRESSEE_MAX_WORDS + 1)):
        t = doc.toks[k - 1]
        if t.kind != "w" or _verb_of(t) is not None or _is_comp(doc, k - 1) or doc.quote_opening(k - 1) is not None:
            return None
        tk = doc.toks[k]
        if tk.start >= sent_end:
            return None
        if tk.kind == "w" and tk.key == prep:
            return k if verb.lemma in cues.PREP_OBJECT or _rumour_object(doc, k, verb) else None
    return None


def _speaker_after(doc: _Doc, j: int, verb: cues.Verb, sent_end: int) -> tuple[tuple[int, int] | None, int]:
    """Speaker phrase after the verb (VSO) starting at token ``j``; returns (span, next token)."""
    n = len(doc.toks)
    while j < n and doc.toks[j].kind == "w" and doc.toks[j].key in cues.SKIP_AFTER_VERB:
        j += 1
    if j >= n or doc.toks[j].start >= sent_end:
        return None, j
    q = doc.quote_opening(j)
    if q is not None:
        if doc.is_speech(q) or q.close_tok < 0:
            return None, j
        return (q.start, q.end), q.close_tok + 1
    first = doc.toks[j]
    if _is_comp(doc, j) or first.kind == "p" or _is_stop(doc, first) or first.key in cues.TIME_WORDS or _verb_of(first):
        return None, j
    if verb.lemma in cues.ADDRESSEE_PREP_VERBS and first.key in cues.ADDRESSEE_NOUNS:
        return None, j  # "ويدعو المواطنين إلى": the public addressed, not the speaker
    k = j
    words_seen = 0
    commas = 0
    cut: int | None = None  # where the speaker ends when the words after it still precede the frame
    while k < n and doc.toks[k].start < sent_end and words_seen < doc.cfg["speaker_max_words"]:
        t = doc.toks[k]
        if t.kind == "p" and t.text not in "،,":
            break
        if k > j and _anonymity_aside_end(doc, k, sent_end) is not None:
            break  # "مسؤول، فضل عدم الكشف عن هويته، إن"، "مسؤول طالبا عدم ذكر اسمه إن": the speaker ends at the aside
        if t.kind == "p":
            nxt = doc.toks[k + 1] if k + 1 < n else None
            if nxt is None or nxt.kind != "w" or _is_stop(doc, nxt) or nxt.key in cues.TIME_WORDS or _is_comp(doc, k + 1) \
                    or nxt.key in cues.RELATIVES or nxt.key in _CLAUSE_OPENERS:
                break  # "كما أضاف الوزير، لكن بدون توضيح": a new clause after the comma
            if cut is None and (nxt.key in cues.CLAUSE_PRONOUNS or not _comma_continues(doc, j, k, commas)):
                cut = k  # "ندى أمين، وهي من طهران"، "كوناشيكوف، المتحدث باسم الوزارة": not the speaker
            commas += 1
        if t.kind == "q":
            if doc.speech_opens_at(k):
                break
            if cut is None and _closes_quoted_name(doc, j, k):
                cut = k  # "الملازم أول " محمود المحمود " لأورينت نت": the quoted name ends the speaker
        if t.kind == "w":
            if k > j and cut is None and t.key in cues.SPEAKER_PREPS and not _is_comp(doc, k):
                end = _prep_modifier_end(doc, j, k, verb, sent_end, words_seen)
                if end is not None:
                    k = end  # "مسؤولون في قطاع الصحة": the phrase belongs to the speaker
                    break
            if k > j and (_is_stop(doc, t) or t.key in cues.TIME_WORDS or _is_comp(doc, k) or _verb_of(t)):
                break
            if k > j and t.key in cues.CLAUSE_PRONOUNS and cut is None:
                cut = k  # "كيري وهو يتكئ": a circumstantial clause
            if k > j and (_is_audience(t.key) or _is_manner(t.key) or t.key in _MANNER_OPENERS):
                break  # "مسؤول لرويترز", "كيري مازحا", "الوزارة بشكل قاطع": audience or manner, not the speaker
            if k > j and _audience_end(doc, k, sent_end) is not None:
                break  # "مصدر دبلوماسي تركي للجزيرة نت إن": the outlet told, not part of the speaker
            if k > j and verb.lemma in cues.ADDRESSEE_PREP_VERBS and t.key in cues.ADDRESSEE_NOUNS:
                break  # "دعا الوزير المواطنين إلى"، "حذر المتحدث المواطنين من": the public addressed
            if k > j and verb.lemma in cues.ADDRESSEE_VERBS and (_head_keys(t.key) & cues.MEDIA_HEADS or t.key in cues.ADDRESSEE_NOUNS):
                break  # "أبلغت المتحدثة إذاعة شمس": the outlet told, not part of the speaker
            if k > j and verb.np_object and (t.key in cues.CONTENT_HEADS or t.key in cues.OBJECT_OPENERS) \
                    and not (t.key == _ADAM and doc.toks[k - 1].key in _ANONYMITY_OPENERS):
                break  # (not "فضل عدم ذكر اسمه": the source's condition, inside the speaker phrase)
            if k > j and verb.np_object and t.key in cues.DOCUMENT_HEADS and doc.toks[k - 1].key not in _SPEAKER_HEADS:
                break  # "رفض روحاني قرار ترمب": a document noun after the subject opens the object
            if k > j and t.key in cues.RELAY_SAYING and verb.relay:
                break
            if k > j and (prefix := cues.PREFIX_OBJECT.get(verb.lemma)) and _ba_object(doc, k, prefix) \
                    and not _comp_within(doc, k + 1, k + 7, sent_end):
                break  # "أفادت الوكالة بعثور الجيش"، "أقر الوزير بوجود أخطاء": the بـ phrase is the content (not
                # "أفاد مصدر بمستشفى الشفاء بأن": a complementiser after it, so it belongs to the speaker)
            words_seen += 1
        k += 1
    span = _trim(doc, j, k if cut is None else cut)
    return span, k


def _comma_continues(doc: _Doc, j: int, k: int, commas: int) -> bool:
    """Whether the speaker phrase ``[j, k)`` goes on past the comma at ``k``.

    A title after a bare name is an apposition the speaker leaves out
    ("إيغور كوناشيكوف، المتحدث باسم الوزارة"); after "title، name،" the
    phrase is complete ("أعلن رئيس الحزب، فلان، شرطا"). Either goes on only
    when a coordinated second speaker follows ("فلان، رئيس البلدية، ومصدران").
    """
    nxt = doc.toks[k + 1]
    title_next = bool(_head_keys(nxt.key) & (cues.PERSON_HEADS | cues.MEDIA_HEADS))
    first = doc.toks[j]
    bare_name = not first.key.startswith("ال") and not any(
        _head_keys(t.key) & (_SPEAKER_HEADS | cues.PLACE_HEADS) for t in doc.toks[j:k] if t.kind == "w")
    if not (commas >= 1 or (bare_name and title_next)):
        return True
    if commas >= 1:
        return len(nxt.key) > 3 and nxt.key[0] == "و" and _coordinated_speaker(doc, nxt)
    m = k + 1  # the apposition stays only when a coordinated speaker follows it
    while m < len(doc.toks) and doc.toks[m].kind == "w" and m - k <= doc.cfg["speaker_max_words"]:
        m += 1
    if m + 1 < len(doc.toks) and doc.toks[m].kind == "p" and doc.toks[m].text in "،,":
        after = doc.toks[m + 1]
        return after.kind == "w" and len(after.key) > 3 and after.key[0] == "و" and _coordinated_speaker(doc, after)
    return False


def _closes_quoted_name(doc: _Doc, j: int, k: int) -> bool:
    """Whether token ``k`` closes a quoted name opened inside the phrase from ``j`` and nothing
    of the name follows ("المغرد " أحمد العنزي " أن"); a nisba adjective after it continues."""
    t = doc.toks[k]
    if t.quote < 0 or doc.quotes[t.quote].close_tok != k or doc.quotes[t.quote].open_tok < j:
        return False
    nxt = doc.toks[k + 1] if k + 1 < len(doc.toks) else None
    return not (nxt is not None and nxt.kind == "w" and nxt.key.startswith("ال") and nxt.key.endswith(_NISBA_ENDS))


def _prep_modifier_end(doc: _Doc, j: int, k: int, verb: cues.Verb, sent_end: int, words_seen: int) -> int | None:
    """End token of a prepositional phrase at ``k`` that belongs to the speaker phrase from ``j``.

    "قال مسؤولون في قطاع الصحة إن"، "المبعوث الأممي إلى اليمن، إن": after an
    unnamed person, source or correspondent (its head word), a في / إلى / من
    phrase whose noun is not a speech event or time ("في بيان"، "في مؤتمر")
    and that runs straight into the frame (comma, complementiser, colon,
    audience "لـ", time word) is part of who spoke. Returns None otherwise.
    """
    heads = cues.PERSON_HEADS | cues.ANONYMOUS_HEADS | cues.MEDIA_HEADS
    if doc.toks[k].key == _MIN:
        heads = heads | cues.COLLECTIVE_HEADS  # "فريق من الباحثين": a partitive phrase names the group
    n = len(doc.toks)
    m = k + 1
    if m >= n or doc.toks[m].kind != "w":
        return None
    # a body in a place: "النيابة العامة في بيرق"، "مديرية الشرطة في العاصمة" (the place a name NER found, or a city word)
    in_place = doc.toks[k].key == _FI and bool(_head_keys(doc.toks[j].key) & cues.ORGANIZATION_HEADS) and (
        any(e.label == "LOC" for e in doc.entities_in(doc.toks[m].start, doc.toks[m].end))
        or doc.toks[m].key in _CITY_WORDS)
    if not (_head_keys(doc.toks[j].key) & heads or in_place) or cues.PREP_OBJECT.get(verb.lemma) == doc.toks[k].key:
        return None
    key = doc.toks[m].key
    if key in cues.EVENT_NOUNS or key in cues.NOMINAL_CUES or key in cues.DOCUMENT_HEADS or key in cues.TIME_WORDS \
            or _is_stop(doc, doc.toks[m]) or _verb_of(doc.toks[m]):
        return None
    seen = words_seen
    while m < n and doc.toks[m].start < sent_end and seen < doc.cfg["speaker_max_words"]:
        t = doc.toks[m]
        if t.kind == "p":
            return m if t.text in "،,:" else None
        if t.kind == "q":
            return m if doc.speech_opens_at(m) else None
        if _is_comp(doc, m) or t.key in cues.TIME_WORDS or t.key in (_LI, "ل") or _is_audience(t.key):
            return m
        if m > k + 1 and verb.np_object and t.key in cues.CONTENT_HEADS:
            return m  # "نفت مديرية الشرطة في العاصمة اعتقال ...": the object's verbal noun opens the content
        if _is_stop(doc, t) or _verb_of(t) or t.key in cues.CLAUSE_PRONOUNS:
            return None
        seen += 1
        m += 1
    return None


_FI = fold("في")
_CITY_WORDS = frozenset(fold(w) for w in "العاصمة المدينة المحافظة الولاية المنطقة الإقليم البلاد".split())
_LI = fold("لـ")
_MIN = fold("من")


_BISM = fold("باسم")  # "المتحدث باسم": part of a title, never a بـ object


_CLAUSE_OPENERS = cues.CLAUSE_PARTICLES | frozenset(fold(w) for w in "لكن ولكن بيد غير".split())


_CONTRAST = frozenset(fold(w) for w in "بينما وبينما".split())


_KAMA = frozenset(fold(w) for w in "كما وكما".split())


# function words a sentence-initial و joins; the content of "و<clause>، كما قال X" starts after it
_WA_JOINED = frozenset(fold(w) for w in "ما من لا لم لن قد كان كانت هو هي هناك".split())


_DEMONSTRATIVE_ENDS = frozenset(fold(w) for w in "ذلك ذاك هذا هذه تلك".split())


_GAP_BREAKS = "-–—()[]|•"  # a dash, bracket or label bar between words: a dateline, caption or "#عاجل |", never inside a subject


_ANONYMITY_OPENERS = frozenset(fold(w) for w in "طلب طالبا طالبة مشترطا مشترطة مفضلا مفضلة فضل فضلت اشترط طلبت".split())
_ADAM = fold("عدم")


def _anonymity_aside_end(doc: _Doc, k: int, sent_end: int) -> int | None:
    """The token after ", طلب عدم الكشف عن هويته،" (or "مشترطا عدم ذكر اسمه") opening at comma ``k``; else None.
    Without the commas ("لوكالة فرانس برس طالبا عدم ذكر اسمه إن"، "طلب عدم الكشف عن اسمه لأنه غير مخول بالحديث إلى
    وسائل الإعلام إن") the aside opens at ``k`` itself and ends at the complementiser, which is returned."""
    n = len(doc.toks)
    comma = k < n and doc.toks[k].kind == "p" and doc.toks[k].text in "،,"
    o = k + 1 if comma else k
    if not (o + 1 < n and doc.toks[o].key in _ANONYMITY_OPENERS and doc.toks[o + 1].key == _ADAM):
        return None
    for m in range(o + 2, min(n, o + (9 if comma else 16))):
        if doc.toks[m].start >= sent_end:
            return None
        if doc.toks[m].kind == "p" and doc.toks[m].text in "،,":
            return m + 1
        if not comma and _is_comp(doc, m):
            return m
    return None


def _comp_within(doc: _Doc, start: int, stop: int, sent_end: int) -> bool:
    """Whether a complementiser (إن، أن، بأن) is among tokens ``start`` to ``stop`` (excluded) of the sentence: the
    words before it still belong to the speaker, or to where the statement was made, not to its content."""
    return any(_is_comp(doc, x) for x in range(start, min(len(doc.toks), stop)) if doc.toks[x].start < sent_end)


def _ba_object(doc: _Doc, k: int, prefix: str) -> bool:
    """Whether token ``k`` opens a verb's بـ object ("بعثور الجيش"، "بوجود أخطاء"), not a manner ("بالإجماع"), a place
    ("بمحافظة الخرج"), a name, "باسم", or the complement of "الخاصة" ("اللوائح الخاصة بتحويل القمامة")."""
    t = doc.toks[k]
    if not (t.key.startswith(prefix) and len(t.key) > 3 and t.key != _BISM) or doc.entities_in(t.start, t.end):
        return False
    rest = t.key[1:]
    if rest in _BA_NOT_OBJECTS or _head_keys(rest) & cues.PLACE_HEADS \
            or (rest[2:] if rest.startswith("ال") else rest) in _BA_PLACES:
        return False
    return not (k > 0 and doc.toks[k - 1].key in _BA_COMPLEMENT_HEADS)


_BA_NOT_OBJECTS = frozenset(fold(w) for w in "الإجماع الاجماع الأغلبية الاغلبية الأكثرية إجماع".split())
_BA_PLACES = frozenset(fold(w) for w in "محافظة محافظه منطقة منطقه مدينة مدينه ولاية ولايه مقاطعة قرية بلدة إمارة حي".split())
_BA_COMPLEMENT_HEADS = frozenset(fold(w) for w in "الخاص الخاصة خاص خاصة المتعلق المتعلقة المتعلقه الخاصه".split())
_REFUSED = "رفض"  # "رفض المتحدث في تصريحات ... التعليق": its content is read for a refused act (drafts), medium and all
_MEDIUM_PREPS = frozenset(fold(w) for w in "في عبر خلال ضمن".split())
_MEDIUM_NOUNS = frozenset(fold(w) for w in "بيان تصريح تصريحات تغريدة منشور تدوينة رسالة مؤتمر لقاء مقابلة كلمة".split())
_MEDIUM_MODIFIERS = frozenset(fold(w) for w in "له لها لهم صحفي صحفية رسمي رسمية مقتضب مشترك صادر مكتوب".split())


def _medium_end(doc: _Doc, j: int, sent_end: int) -> int | None:
    """The token after "في بيان (لها / رسمي)"، "عبر تغريدة"، "خلال مؤتمر صحفي" opening at ``j``, before an object
    noun phrase: where the statement was made, not what it says; None otherwise."""
    n = len(doc.toks)
    if not (j + 2 < n and doc.toks[j].kind == "w" and doc.toks[j].key in _MEDIUM_PREPS
            and doc.toks[j + 1].kind == "w" and doc.toks[j + 1].key in _MEDIUM_NOUNS):
        return None
    m = j + 2
    while m < n and m < j + 4 and doc.toks[m].kind == "w" and doc.toks[m].key in _MEDIUM_MODIFIERS:
        m += 1
    return m if m < n and doc.toks[m].start < sent_end and doc.toks[m].kind == "w" else None


def _audience_end(doc: _Doc, k: int, sent_end: int) -> int | None:
    """Where the content starts past an outlet spoken to at token ``k`` ("لوكالة سبأ إن"، "للجزيرة نت إن"،
    "لقناة ليبيا الأحرار إن"): a word in ل, then at most three words, then a complementiser or a colon; None
    otherwise, or when a person's name starts there ("قال الوزير لؤي حسن إن" names the minister)."""
    t = doc.toks[k]
    if t.kind != "w" or len(t.key) < 4 or t.key[0] != "ل":
        return None
    if any(e.label == "PER" for e in doc.entities_in(t.start, t.end)):
        return None
    # ل before a media noun ("لوكالة") or an outlet's name ("للجزيرة"، "لسكاي"); not a genitive ل inside a name
    # ("هيئة الأركان العامة للجيش التركي"، "الأمين العام للأمم المتحدة") nor a word of its own ("رئيس لجنة الصحة")
    rest = t.key[1:]
    if not (_is_audience(t.key) or ("ا" + rest if rest.startswith("ل") else rest) in cues.AUDIENCE_OUTLETS):
        return None
    for m in range(k + 1, min(len(doc.toks), k + 5)):
        u = doc.toks[m]
        if u.start >= sent_end:
            return None
        if _is_comp(doc, m) or (u.kind == "p" and u.text == ":") or _anonymity_aside_end(doc, m, sent_end) is not None:
            return m  # (or the source's condition first: "لوكالة فرانس برس طالبا عدم ذكر اسمه إن")
        if u.kind != "w" or _verb_of(u) or _is_stop(doc, u):
            return None
    return None


def _is_audience(key: str) -> bool:
    """ "لرويترز"، "لوكالة"، "للقناة": a media outlet spoken to, after the speaker."""
    if len(key) < 4 or key[0] != "ل":
        return False
    rest = key[1:]
    return rest in cues.MEDIA_HEADS or (rest.startswith("ل") and "ا" + rest in cues.MEDIA_HEADS)


# Adverbials of manner after the subject: "تنفي وزارة الصحة بشكل قاطع الأخبار ...".
_MANNER_OPENERS = frozenset(fold(w) for w in "بشكل بصورة بشدة قطعيا جملة".split())
_MANNER_PAIRS = frozenset(fold(w) for w in "بشكل بصورة جملة".split())


def _is_manner(key: str) -> bool:
    """A circumstantial participle after the speaker ("مازحا"، "مبتسما"): مـ...ا, five letters or more."""
    return len(key) >= 5 and key[0] == "م" and key[-1] == "ا" and key not in cues.PARTICIPLE_FORMS


def _np_split(doc: _Doc, j: int, k: int) -> int:
    """For "نفى الكرملين التقرير": where a speaker phrase without a following frame ends."""
    ents = [e for e in doc.entities if e.start == doc.toks[j].start or (e.start <= doc.toks[j].start < e.end)]
    if ents:
        end = max(e.end for e in ents)
        m = j
        while m < k and doc.toks[m].start < end:
            m += 1
        return m
    q = doc.quote_opening(j)
    if q is not None and q.close_tok >= 0:
        return q.close_tok + 1
    first = doc.toks[j]
    m = j + 2 if first.key in _SPEAKER_HEADS and not first.key.startswith("ال") and j + 1 < k else j + 1
    titled = bool(_head_keys(first.key) & cues.PERSON_HEADS)
    while m < k and doc.toks[m].kind == "w":
        key = doc.toks[m].key
        if key.startswith("ال") and key.endswith(_NISBA_ENDS):
            m += 1  # an adjective: "الجيش السوري", "المرشد الأعلى الإيراني"
        elif titled and not key.startswith(("ال", "و")) and key not in _SPEAKER_HEADS:
            m += 1  # the name after a title: "المرشد ... علي خامنئي"
        else:
            break
    return m


_NISBA_ENDS = ("ي", "يه", "يين", "يون")  # folded endings of nisba adjectives (ة folds to ه)


_QAD = fold("قد")


_BUT = frozenset(fold(w) for w in ("لكن", "ولكن"))


def _svo_subject(doc: _Doc, i: int, sent_start: int) -> tuple[int, int] | None:
    """Subject before the verb at token ``i`` in its clause ("مسؤولون ... أكدوا"), if short enough."""
    k = i - 1
    while k >= 0 and doc.toks[k].start >= sent_start:
        t = doc.toks[k]
        if (t.kind == "p" and t.text in _CLAUSE_PUNCT) or (t.kind == "w" and (_is_comp(doc, k) or _verb_of(t))):
            break
        if any(ch in _GAP_BREAKS for ch in doc.text[t.end : doc.toks[k + 1].start]):
            break  # "واشنطن - قال"، "( رويترز - أرشيف ) دعا": a dateline or caption ends before the verb's clause
        k -= 1
    first = k + 1
    # "نفى ... تقريرا لصحيفة X يفيد بأن": a report noun opens the subject of the verb after it
    heads = cues.DOCUMENT_HEADS | cues.CONTENT_HEADS
    for m in range(i - 1, first, -1):
        if doc.toks[m].kind == "w" and doc.toks[m].key in heads:
            key, before = doc.toks[m].key, doc.toks[m - 1]
            object_form = key.endswith("ا") and not key.startswith("ال")  # "تقريرا", "خبرا": an accusative object
            if before.kind == "w" and before.key in _SPEAKER_HEADS and not object_form:
                break  # "وكالة الأنباء تنفي": the noun is the second half of the speaker's name
            if _is_stop(doc, before) and before.key not in cues.TIME_WORDS:
                return None  # "في إجراء أعلن معارضون": a prepositional phrase, the verb opens its clause
            first = m
            break
    ws = [t for t in doc.toks[first:i] if t.kind == "w"]
    if not ws or len(ws) > doc.cfg["svo_max_words"]:
        return None
    lead = ws[0]
    if lead.key in _BUT and len(ws) > 1:
        ws, lead = ws[1:], ws[1]  # "لكن مدير مستشفى الثورة ... قال": the subject follows لكن
        first = doc.tok_at(lead.start)
    if lead.key in cues.KANA and len(ws) > 1:
        ws, lead = ws[1:], ws[1]  # "وكان المعبر أعلن": the subject follows كان
        first = doc.tok_at(lead.start)
    for m in range(len(ws) - 1, 1, -1):
        t = ws[m]
        if ws[m - 1].key in cues.TIME_WORDS and t.key[:1] == "و" and t.key not in _SPEAKER_HEADS \
                and t.key[1:] in _SPEAKER_HEADS:
            # "وزير الصحة قدم استقالته اليوم 🔥 ومصادر تقول إن": after a clause's time word, "ومصادر" opens the next
            # clause and is its subject
            sp = _trim(doc, doc.tok_at(t.start), i)
            return (sp[0] + 1, sp[1]) if sp else None  # without the و
    end = i
    for m, t in enumerate(ws[1:], 1):
        if t.key in cues.RELATIVES or t.key in cues.TIME_WORDS:
            # "وكان التحالف الذي تقوده واشنطن قال"، "وكان مصدر يوم السبت قد أعلن": not the subject
            ws, end = ws[:m], doc.tok_at(t.start)
            break
    if _is_stop(doc, lead) or lead.key in cues.CLAUSE_PARTICLES or lead.key in cues.TIME_WORDS:
        return None
    if lead.key in cues.PRONOUN_SUBJECTS:
        return None  # "وهي نسبة قالت إنها"، "لكنها كانت قد أكدت": a pronoun or relative clause, not a named subject
    if lead.key[:1] == "و" and lead.key[1:] in cues.SPEAKER_STOPS:
        return None  # "وفي وقت سابق قال": a fronted adverbial
    if ws[-1].key in _DEMONSTRATIVE_ENDS:
        return None  # "بموازاة ذلك أعلن"، "وإلى جانب ذلك قال": an adverbial ending in a demonstrative
    if (lead.key[:1] in "وف" and len(lead.key) > 3 and doc.toks[first] is lead
            and lead.key not in _SPEAKER_HEADS and not doc.entities_in(lead.start, lead.end)):
        return None  # "ويوم الجمعة قال": an adverbial, the verb is clause-initial ("وزارة الصحة تنفي" is not)
    if any(_verb_of(t) for t in ws):
        return None
    return _trim(doc, first, end)


def _topic_subject(doc: _Doc, i: int, s_start: int) -> tuple[int, int] | None:
    """ "أما المواطن فلان فأوضح أن": the noun phrase between أما and the ف-verb at ``i`` is its subject."""
    if not doc.toks[i].key.startswith("ف"):
        return None
    k = i - 1
    while k >= 0 and doc.toks[k].start >= s_start and doc.toks[k].kind == "w" and i - k <= doc.cfg["svo_max_words"] + 1:
        if doc.toks[k].key in cues.TOPIC_PARTICLES:
            return _trim(doc, k + 1, i) if k + 1 < i else None
        if _verb_of(doc.toks[k]):
            return None
        k -= 1
    return None


def _relative_antecedent(doc: _Doc, rel: int, sent_start: int) -> tuple[int, int] | None:
    """The noun phrase before "الذي" ("في صحيفة “وول ستريت جورنال”، والذي قال")."""
    k = rel - 1
    while k >= 0 and doc.toks[k].kind == "p":
        k -= 1
    end = k + 1
    n_words = 0
    while k >= 0 and doc.toks[k].start >= sent_start:
        t = doc.toks[k]
        if t.kind == "p" or (t.kind == "w" and (_is_stop(doc, t) or _verb_of(t))):
            break
        if t.kind == "w":
            n_words += 1
            if n_words > 6:
                break
        k -= 1
    return _trim(doc, k + 1, end)


def _skip_addressee(doc: _Doc, j: int, sent_end: int) -> int:
    """After "أبلغ X" / "أخبر X", the token where the content's frame starts past the addressee
    ("إذاعة شمس المحلية بأن"، "الصحفيين أن"); ``j`` itself when no frame follows within
    ``speaker_max_words`` words."""
    k, n_words = j, 0
    while k < len(doc.toks) and doc.toks[k].start < sent_end and n_words <= doc.cfg["speaker_max_words"]:
        t = doc.toks[k]
        if _is_comp(doc, k) or (t.kind == "p" and t.text == ":") or doc.speech_opens_at(k):
            return k
        if t.kind == "p" or _verb_of(t) or (k > j and t.key.startswith("ب") and t.key != _BISM):
            break  # "أبلغ روسيا بضربته": told of an event, no speech follows
        n_words += t.kind == "w"
        k += 1
    return j


def _as_said_frame(doc: _Doc, kama: int, s_start: int) -> tuple[str, tuple[int, int]] | None:
    """ "<clause>، كما قال X": the clause before the comma that precedes "كما" at token ``kama``
    is what X said (an according-to report with a verb cue).

    The clause runs from the sentence start, or from a colon inside the sentence; a leading
    conjunction glued to a function word ("وما زال"، "ومن المرتقب") is left out, as annotated.
    Returns None when no comma stands before "كما" (then "كما" means "also").
    """
    if kama < 1 or doc.toks[kama - 1].kind != "p" or doc.toks[kama - 1].text not in "،,":
        return None
    start = s_start
    for t in doc.toks[doc.tok_at(s_start) : kama - 1]:
        if t.kind == "p" and t.text == ":":
            start = t.end
    span = _content_span(doc, start, doc.toks[kama - 1].start)
    if span is None:
        return None
    first = doc.toks[doc.tok_at(span[0])]
    if first.start == span[0] and first.kind == "w" and first.key[:1] == "و" and first.key[1:] in _WA_JOINED:
        span = (span[0] + 1, span[1])
    return "according_to", span


def _charge_frame(doc: _Doc, speaker: tuple[int, int], sent_end: int) -> tuple[str, tuple[int, int], int] | None:
    """ "اتهمت وزارة الدفاع الروسية الولايات المتحدة بدعم ...": split the phrase collected after an
    accusing verb at its accused (see :func:`_np_split`) before the بـ word of the charge.

    Returns ("indirect", content from the accused to the clause end, token where the subject
    ends), or None when the phrase holds no charge or no accused between subject and charge.
    """
    a, b = doc.tok_at(speaker[0]), doc.tok_at(speaker[1])
    charge = next((k for k in range(a + 1, b + 1) if k < len(doc.toks) and doc.toks[k].kind == "w"
                   and doc.toks[k].key.startswith("ب") and doc.toks[k].key != _BISM
                   and not _is_comp(doc, k)), None)
    if charge is None:
        return None
    split = _np_split(doc, a, charge)
    if split >= charge or doc.toks[split].kind != "w":
        return None
    span = _content_span(doc, doc.toks[split].start, _clause_end(doc, split, sent_end))
    return ("indirect", span, split) if span else None


def _relay_source(doc: _Doc, j: int, sent_end: int) -> tuple[tuple[int, int] | None, int, cues.Features]:
    """The phrase after "عن" up to "قوله" or the frame; returns (span, next token, its agreement)."""
    k = j
    n_words = 0
    while k < len(doc.toks) and doc.toks[k].start < sent_end and n_words < doc.cfg["relay_max_words"]:
        t = doc.toks[k]
        if t.kind == "w" and t.key in cues.RELAY_SAYING:
            return _trim(doc, j, k), k + 1, cues.RELAY_SAYING[t.key] if t.key != fold("قول") else ("m", "s")
        if _is_comp(doc, k) or (t.kind == "p" and t.text == ":"):
            break
        if doc.speech_opens_at(k):
            break
        n_words += t.kind == "w"
        k += 1
    return _trim(doc, j, k), k, ("m", "s")


def _has_speech_quote(doc: _Doc, span: tuple[int, int]) -> bool:
    """Whether ``span`` holds a quoted phrase (a partial quotation, making the report "mixed").

    Quoted names are not phrases: a quote inside an entity mention, or one
    glued to a preceding letter ("و”سبيس إكس”"), is read as a name.
    """
    for q in doc.quotes:
        if not (span[0] <= q.start and q.end <= span[1]) or q.n_words < doc.cfg["mixed_min_words"]:
            continue
        mark = doc.toks[q.open_tok].start
        if mark > 0 and doc.text[mark - 1].isalpha():
            continue
        if any(e.start <= q.start and q.end <= e.end for e in doc.entities):
            continue
        return True
    return False


def _match_seq(doc: _Doc, i: int, seq: tuple[str, ...]) -> int:
    """Tokens matched by the folded word sequence ``seq`` at ``i`` (0 if none)."""
    k = i
    for w in seq:
        if k >= len(doc.toks) or doc.toks[k].kind != "w" or doc.toks[k].key != w:
            return 0
        k += 1
    return k - i


def _np_until_comma(doc: _Doc, j: int, sent_end: int, max_words: int) -> tuple[tuple[int, int] | None, int]:
    k = j
    n_words = 0
    while k < len(doc.toks) and doc.toks[k].start < sent_end and n_words < max_words:
        t = doc.toks[k]
        if t.kind == "p" or _is_comp(doc, k) or (t.kind == "w" and k > j and (
                t.key in cues.TIME_WORDS or t.key in cues.MAIN_CLAUSE_OPENERS or t.key in cues.KANA or _verb_of(t))):
            break
        if doc.speech_opens_at(k):
            break
        if k > j and t.kind == "w" and (t.key in _TIME_PREPS or (
                t.key == _FI and k + 1 < len(doc.toks) and doc.toks[k + 1].key in _EVENT_OR_DOC)):
            break  # "بحسب تقرير أرسل إلى المجلس قبل أسبوع"، "... في بيان نشر": when or where, not who
        n_words += t.kind == "w"
        k += 1
    return _trim(doc, j, k), k


def _past_adverbial(doc: _Doc, k: int, sent_end: int) -> int:
    """ "وفقا لتقرير أرسل قبل أسبوع، توصلت ...": the comma after an adverbial that ended the source
    at token ``k``, so the content starts after it; ``k`` when no comma follows within
    ``according_max_words`` words or a frame word comes first."""
    m = k
    while m < len(doc.toks) and doc.toks[m].start < sent_end and m - k <= doc.cfg["according_max_words"]:
        t = doc.toks[m]
        if t.kind == "p":
            return m if t.text in "،," else k
        if t.kind == "q" or _is_comp(doc, m) or _verb_of(t):
            return k
        m += 1
    return k


_FI = fold("في")


_TIME_PREPS = frozenset(fold(w) for w in "قبل بعد خلال منذ عقب أثناء".split())


_EVENT_OR_DOC = cues.EVENT_NOUNS | cues.NOMINAL_CUES | cues.DOCUMENT_HEADS


_ALA, _HADD = fold("على"), fold("حد")  # "على حد قوله"
