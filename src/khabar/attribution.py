"""Who said what: speaker, reporting cue and content spans in one article.

The stage reads the ``sentences`` and ``entities`` layers when present (and
splits sentences itself when they are not), and fills ``article.attributions``.
All spans index ``article.text`` and are carried from token offsets, never
re-found by searching the text.

Detection works on a token list (words, punctuation, quote marks) of the whole
text:

1. Quote marks are paired per paragraph, so a quotation may cross sentences
   and an unclosed one runs to the paragraph end.
2. Each reporting-verb form from :mod:`khabar.cues` starts a draft. Its subject
   is found before the verb (SVO: "مسؤولون أكدوا"), as a pronoun ("لكنه نفى"),
   through a relative ("الصحيفة، والذي قال") or after it (VSO, the usual news
   order); then the frame: colon or quotation (direct), complementiser
   (indirect; mixed when it holds a quoted phrase), or a noun-phrase object for
   verbs like نفى. Relay verbs (نقل عن ... قوله) make the subject the nested
   source and the "عن" phrase the speaker.
3. According-to frames (بحسب، وفقا لـ، نقلا عن، على حد قوله), nominal frames
   ("وفي تصريح لـ X،"), headline and post frames with no verb ("الصحة: لا صحة
   لما يتداول ..."; the colon is the cue) and quotations followed by their cue
   ("...، قال X") add drafts.
4. Drafts without an explicit subject (وأضاف، وتابعت، وأضافوا) take the
   nearest earlier speaker whose agreement matches the verb's.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from dataclasses import dataclass, replace

from khabar import cues
from khabar.arabic import fold, strip_clitics, words
from khabar.model import Article, Attribution, Span
from khabar.stance import speaker_stance

log = logging.getLogger(__name__)

STAGE = "attribution"
DEFAULTS: dict[str, int] = {
    "speaker_max_words": 10,
    "adverbial_max_words": 10,
    "relay_max_words": 14,
    "svo_max_words": 8,
    "name_quote_max_words": 3,
    "mixed_min_words": 2,
    "according_max_words": 8,
    "continuation_max_chars": 4000,
    "colon_speaker_max_words": 6,
}

_PUNCT = "،,:;؛.!?؟"
_CLAUSE_PUNCT = "،,:;؛"
_DOUBLE_QUOTES = "“”„\"″‟"
_SINGLE_QUOTES = "‘’"
_SENT_END_RE = re.compile(r"[.!?؟]+(?=\s)|\n+")
_MA = fold("ما")
_ALI = fold("على")  # also the name علي: fold maps ى to ي, see _is_stop
_WA_ALI = "و" + _ALI
_ALA_RE = re.compile(r"(?<!\w)و?على(?!\w)")  # the preposition written with alef maqsura
_BIH = frozenset(fold(w) for w in "به عنه عنها بها".split())


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    kind: str  # "w" word, "p" punctuation, "q" quote mark
    text: str
    key: str = ""  # folded word
    quote: int = -1  # index of the quote region this mark opens or closes


@dataclass(slots=True)
class _Quote:
    open_tok: int  # token index of the opening mark
    close_tok: int  # token index of the closing mark, -1 when unclosed
    start: int  # inner start (char)
    end: int  # inner end (char)
    n_words: int = 0


@dataclass(slots=True)
class _Draft:
    cue: tuple[int, int]
    content: tuple[int, int]
    kind: str
    speaker: tuple[int, int] | None = None
    speaker_kind: str = "unspecified"
    nested: tuple[int, int] | None = None
    features: cues.Features = ("x", "x")
    needs_antecedent: bool = False
    nested_kind: str = "unspecified"
    participle: bool = False  # "مشيرا": its speaker is the subject of the clause it hangs on
    pronoun: bool = False  # "لكنه قال": a pronoun subject, most often a person named earlier in the sentence
    ghost: bool = False  # a cue with a speaker but no content ("شكك X في الأرقام، وقال"): an antecedent only, never output


_fold_word = functools.lru_cache(maxsize=1 << 17)(fold)  # fold of one word, cached: news repeats its words


class _Doc:
    """Tokens, quote regions, sentences and entities of one article, with lookups."""

    def __init__(self, article: Article, settings: dict) -> None:
        self.text = article.text
        self.cfg = {**DEFAULTS, **{k: v for k, v in settings.items() if k in DEFAULTS}}
        self.toks = self._tokenize(article.text)
        self.starts = [t.start for t in self.toks]
        self.quotes = self._pair_quotes()
        sents = article.spans("sentences") or _fallback_sentences(article.text)
        self.sent_bounds = [(s.start, s.end) for s in sents]
        self.sent_starts = [s.start for s in sents]
        self.entities = sorted(article.spans("entities"), key=lambda s: s.start)
        # whether this text writes the preposition على with ى: then a written "علي" is the name Ali
        self.writes_ala = _ALA_RE.search(article.text) is not None

    @staticmethod
    def _tokenize(text: str) -> list[_Tok]:
        toks = [_Tok(s, e, "w", text[s:e], _fold_word(text[s:e])) for s, e in words(text)]
        for i, ch in enumerate(text):
            if ch in _PUNCT:
                toks.append(_Tok(i, i + 1, "p", ch))
            elif ch in _DOUBLE_QUOTES or ch in _SINGLE_QUOTES or ch in "«»":
                toks.append(_Tok(i, i + 1, "q", ch))
        toks.sort(key=lambda t: t.start)
        return _join_split_alef(text, toks)

    def _pair_quotes(self) -> list[_Quote]:
        """Pair quote marks within paragraphs; an unclosed quote ends at the paragraph end."""
        quotes: list[_Quote] = []
        open_idx: dict[str, int] = {}  # family -> token index of the open mark
        para_end_tok = self._paragraph_ends()
        for i, t in enumerate(self.toks):
            if t.start in para_end_tok:
                for fam in [f for f in open_idx if not self._closes_in_next_paragraph(f, t.start)]:
                    self._close(open_idx, quotes, fam, -1, t.start)
            if t.kind != "q":
                continue
            fam = _family(t.text)
            if fam == "g":
                if t.text == "«":
                    if "g" in open_idx:
                        self._close(open_idx, quotes, "g", -1, t.start)
                    open_idx["g"] = i
                elif "g" in open_idx:
                    self._close(open_idx, quotes, "g", i, t.start)
                continue
            if fam in open_idx:
                prev = self.text[t.start - 1] if t.start else " "
                nxt = self.text[t.end] if t.end < len(self.text) else " "
                looks_open = prev.isspace() and not nxt.isspace() and t.text in "“„"
                if looks_open and self.toks[open_idx[fam]].end < t.start - 1:
                    self._close(open_idx, quotes, fam, -1, t.start)
                    open_idx[fam] = i
                else:
                    self._close(open_idx, quotes, fam, i, t.start)
            else:
                open_idx[fam] = i
        self._close_all(open_idx, quotes, len(self.toks), unclosed_at=len(self.text))
        for q in quotes:
            q.n_words = sum(1 for s, e in words(self.text[q.start : q.end]))
        quotes.sort(key=lambda q: q.start)
        for qi, q in enumerate(quotes):
            self.toks[q.open_tok].quote = qi
            if q.close_tok >= 0:
                self.toks[q.close_tok].quote = qi
        return quotes

    def _closes_in_next_paragraph(self, fam: str, start: int) -> bool:
        """Whether a quotation left open at a paragraph end is closed in the paragraph from ``start``:
        that paragraph holds an odd number of the family's marks and its first one closes."""
        end = self.text.find("\n", start)
        para = self.text[start : end if end >= 0 else len(self.text)]
        marks = [(k, ch) for k, ch in enumerate(para) if _family(ch) == fam]
        if len(marks) % 2 == 0:
            return False
        k, ch = marks[0]
        if fam == "g":
            return ch == "»"
        return (k > 0 and not para[k - 1].isspace()) or k + 1 >= len(para) or para[k + 1].isspace()

    def _paragraph_ends(self) -> set[int]:
        """Start offsets of the first token after each newline (quotes do not cross paragraphs)."""
        starts = [t.start for t in self.toks]
        out: set[int] = set()
        for m in re.finditer(r"\n", self.text):
            j = bisect.bisect_left(starts, m.end())
            if j < len(starts):
                out.add(starts[j])
        return out

    def _close(self, open_idx: dict[str, int], quotes: list[_Quote], fam: str, close_tok: int, at: int) -> None:
        o = open_idx.pop(fam)
        start, end = self.toks[o].end, at
        while end > start and (self.text[end - 1].isspace() or self.text[end - 1] in ".،,;:"):
            end -= 1
        while start < end and self.text[start].isspace():
            start += 1
        quotes.append(_Quote(o, close_tok, start, end))

    def _close_all(self, open_idx: dict[str, int], quotes: list[_Quote], _tok: int, *, unclosed_at: int) -> None:
        for fam in list(open_idx):
            self._close(open_idx, quotes, fam, -1, unclosed_at)

    # --- lookups
    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        if i >= 0 and pos < self.sent_bounds[i][1]:
            return self.sent_bounds[i]
        return (pos, pos)

    def tok_at(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos``."""
        return bisect.bisect_left(self.starts, pos)

    def is_speech(self, q: _Quote) -> bool:
        """A quotation long enough to be speech rather than a quoted name or title."""
        if q.n_words <= self.cfg["name_quote_max_words"]:
            return False
        return not any(e.start <= q.start and q.end <= e.end for e in self.entities)

    def quote_opening(self, i: int) -> _Quote | None:
        t = self.toks[i] if 0 <= i < len(self.toks) else None
        if t is None or t.kind != "q" or t.quote < 0:
            return None
        q = self.quotes[t.quote]
        return q if q.open_tok == i else None

    def speech_opens_at(self, i: int) -> bool:
        """Whether token ``i`` opens a quotation that is speech: phrases and subjects stop there."""
        q = self.quote_opening(i)
        return q is not None and self.is_speech(q)

    def entities_in(self, start: int, end: int) -> list[Span]:
        return [e for e in self.entities if e.start < end and start < e.end]


_ALEF = fold("ا")


def _join_split_alef(text: str, toks: list[_Tok]) -> list[_Tok]:
    """Read "مؤكد ا أن" as the participle "مؤكدا": some scraped texts split the
    accusative alef off with a space. Only participles are joined, so no other
    word changes; the cue keeps the word's own span (the alef token is dropped)."""
    out: list[_Tok] = []
    for t in toks:
        prev = out[-1] if out else None
        if (t.kind == "w" and t.key == _ALEF and prev is not None and prev.kind == "w"
                and text[prev.end : t.start] == " " and prev.key + _ALEF in cues.PARTICIPLE_FORMS):
            prev.key += _ALEF
            continue
        out.append(t)
    return out


def _family(ch: str) -> str:
    """Quote-mark family: "g" guillemets, "s" single curly quotes, "d" double quotes, "" not a mark."""
    if ch in "«»":
        return "g"
    if ch in _SINGLE_QUOTES:
        return "s"
    return "d" if ch in _DOUBLE_QUOTES else ""


def _fallback_sentences(text: str) -> list[Span]:
    """Split at . ! ? ؟ before whitespace and at newlines, for articles without a sentences layer."""
    out: list[Span] = []
    pos = 0
    for m in _SENT_END_RE.finditer(text):
        end = m.end() if m.group().strip() else m.start()
        if text[pos:end].strip():
            out.append(Span(pos, end, "SENT", STAGE))
        pos = m.end()
    if text[pos:].strip():
        out.append(Span(pos, len(text), "SENT", STAGE))
    return out


# ---------------------------------------------------------------- word classes


def _verb_of(tok: _Tok) -> tuple[cues.Verb, cues.Features, bool] | None:
    """The reporting verb this word is, its agreement, and whether it carries و/ف."""
    if tok.kind != "w":
        return None
    if tok.key in cues.VERB_FORMS:
        v, f = cues.VERB_FORMS[tok.key]
        return v, f, False
    if len(tok.key) > 3 and tok.key[0] in "وف" and tok.key[1:] in cues.VERB_FORMS:
        v, f = cues.VERB_FORMS[tok.key[1:]]
        return v, f, True
    if tok.key in cues.PARTICIPLE_FORMS:
        v, f = cues.PARTICIPLE_FORMS[tok.key]
        return v, f, True  # a participle opens its own clause, like a conjoined verb
    return None


def _is_participle(tok: _Tok) -> bool:
    """"مشيرا"، "قائلة": a circumstantial participle, whose speaker is the clause's subject."""
    return tok.kind == "w" and tok.key in cues.PARTICIPLE_FORMS


def _is_comp(doc: _Doc, i: int) -> int:
    """Number of tokens of a complementiser starting at ``i`` (إن، أن، بأن، إلى أن، من أن), else 0."""
    if i >= len(doc.toks) or doc.toks[i].kind != "w":
        return 0
    if doc.toks[i].text.startswith("آ"):
        return 0  # "آن" (a name, "وانغ آن شون") folds like the complementiser أن
    if doc.toks[i].key in cues.COMPLEMENTIZERS:
        return 1
    if doc.toks[i].key in cues.COMPLEMENTIZER_PREPS and i + 1 < len(doc.toks) and doc.toks[i + 1].key in cues.COMPLEMENTIZERS:
        return 2
    return 0


def _is_name_ali(doc: _Doc, t: _Tok) -> bool:
    """Whether the word is the name "علي" rather than the preposition "على".

    :func:`khabar.arabic.fold` maps ى to ي, so both fold to one key. A text
    that writes the preposition with ى somewhere keeps the spelling apart:
    there a written final ي ("المرشد علي خامنئي") is the name.
    """
    return t.key in (_ALI, _WA_ALI) and t.text.endswith("ي") and doc.writes_ala


def _is_stop(doc: _Doc, t: _Tok) -> bool:
    """A word that ends a speaker phrase (cues.SPEAKER_STOPS), not the name "علي"."""
    return t.kind == "w" and t.key in cues.SPEAKER_STOPS and not _is_name_ali(doc, t)


def _head_keys(key: str) -> set[str]:
    """Forms of a folded head word to look up in the ``cues.*_HEADS`` lists: as written, clitic-stripped, definite."""
    bare = strip_clitics(key)
    return {key, bare, "ال" + bare}


def _coordinated_speaker(doc: _Doc, w: _Tok) -> bool:
    """Whether "و" + word joins a second speaker ("ومصدران", "والوزير", "وماسك"), not a noun inside the first one's name.

    "رئيس نقابة عمال الشحن والتفريغ منصور الدباغ" is one man: "والتفريغ"
    coordinates two nouns of his union's name, so the phrase stays singular.
    """
    rest = w.key[1:]
    if rest in cues.PLURAL_HEADS or _head_keys(rest) & _SPEAKER_HEADS:
        return True
    return any(e.label in ("PER", "ORG") for e in doc.entities_in(w.start + 1, w.end))


def _head_info(doc: _Doc, start: int, end: int) -> tuple[str, bool]:
    """Speaker kind of the phrase ``[start, end)`` by its head word and entities, and whether it is plural."""
    ws = [t for t in doc.toks[doc.tok_at(start) :] if t.start < end and t.kind == "w"]
    plural = False
    if ws and ws[0].key in cues.QUANTIFIERS and len(ws) > 1:
        ws = ws[1:]
        plural = True
        if len(ws) > 1 and ws[0].key == fold("من"):
            ws = ws[1:]  # "عدد من المتسوقين"
    if not ws:
        return "unspecified", plural
    head = ws[0].key
    bare = strip_clitics(head)
    keys = _head_keys(head)
    if keys & cues.PLURAL_HEADS:
        plural = True
    if any(len(w.key) > 4 and w.key[0] == "و" and _coordinated_speaker(doc, w) for w in ws[1:]):
        plural = True  # "علي الحسيني ومصدران بالشرطة": coordinated subjects agree in the plural
    ents = doc.entities_in(start, end)
    has_per = any(e.label == "PER" for e in ents)
    if keys & cues.MEDIA_HEADS:
        return "media", plural
    if keys & cues.DOCUMENT_HEADS:
        return "document", plural
    if keys & cues.ANONYMOUS_HEADS and not has_per:
        return "anonymous", plural
    if keys & cues.ENTOURAGE_HEADS and has_per:
        return "organization", plural  # "فريق ترامب": the person's camp
    if keys & cues.PERSON_HEADS or has_per:
        return "person", plural
    if keys & cues.ORGANIZATION_HEADS or any(e.label == "ORG" for e in ents):
        return "organization", plural
    if keys & cues.PLACE_HEADS or any(e.label == "LOC" for e in ents):
        return "organization", plural  # a capital or country speaking: its government
    if plural and len(bare) > 4 and bare.endswith(("ون", "ين")):
        return "anonymous", plural  # "المنتقدون": an unnamed group
    # an unknown head after a verb is most often a name or a personal title ("الألماني توماس باخ")
    return "person", plural


def _trim(doc: _Doc, i: int, j: int) -> tuple[int, int] | None:
    """Char span of tokens ``[i, j)`` without edge punctuation or unbalanced edge quote marks."""
    while i < j:
        t = doc.toks[i]
        if t.kind == "p" or (t.kind == "q" and not _partner_inside(doc, i, i, j)):
            i += 1
        elif t.kind == "q" and doc.toks[j - 1].kind == "q" and _partner_inside(doc, i, j - 1, j) and doc.quotes[t.quote].close_tok == j - 1:
            i, j = i + 1, j - 1
        else:
            break
    while j > i:
        t = doc.toks[j - 1]
        if t.kind == "p" or (t.kind == "q" and not _partner_inside(doc, j - 1, i, j)):
            j -= 1
        else:
            break
    if i >= j:
        return None
    return doc.toks[i].start, doc.toks[j - 1].end


def _partner_inside(doc: _Doc, k: int, i: int, j: int) -> bool:
    t = doc.toks[k]
    if t.quote < 0:
        return False
    q = doc.quotes[t.quote]
    other = q.close_tok if q.open_tok == k else q.open_tok
    return i <= other < j and other != k


def _content_span(doc: _Doc, start: int, end: int) -> tuple[int, int] | None:
    """Strip whitespace and trailing clause punctuation from ``[start, end)``."""
    text = doc.text
    while start < end and (text[start].isspace() or text[start] in _PUNCT):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _PUNCT):
        end -= 1
    return (start, end) if end > start else None


# ---------------------------------------------------------------- verb frames


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
            comp = doc.toks[j + c - 1]
            begin = comp.start if comp.key not in {"ان", "بان"} else comp.end
            span = _content_span(doc, begin, _clause_end(doc, j + c, sent_end))
            return ("indirect", span) if span else None
        if t.kind == "w" and (t.key in cues.TIME_WORDS or _is_audience(t.key) or _is_manner(t.key)):
            j += 1
            steps += 1
            continue
        if _verb_of(t) is not None:
            break  # "، قائلة إن ...": the content belongs to the next cue
        if t.kind == "w" and first_non_time is None and cues.PREP_OBJECT.get(verb.lemma) == t.key and not _is_comp(doc, j + 1):
            # "أعلن المعبر عن فتح أبوابه", "مشيرا إلى احتمال": the content is the preposition's object
            span = _content_span(doc, t.end, _clause_end(doc, j + 1, sent_end))
            return ("indirect", span) if span else None
        prefix = cues.PREFIX_OBJECT.get(verb.lemma)
        if prefix and t.kind == "w" and first_non_time is None and t.key.startswith(prefix) and len(t.key) > 3 \
                and t.key != _BISM:
            # "أفادت الوكالة بعثور الجيش": the بـ phrase is the content, preposition included
            span = _content_span(doc, t.start, _clause_end(doc, j + 1, sent_end))
            return ("indirect", span) if span else None
        if t.kind == "p" and t.text in "،,":
            j += 1
            continue
        if first_non_time is None:
            first_non_time = j
        if _is_stop(doc, t):
            # a prepositional adverbial: runs to a comma, colon, quotation or complementiser
            k = j + 1
            while k < n and doc.toks[k].start < sent_end and k - j <= cfg["adverbial_max_words"]:
                tk = doc.toks[k]
                if (tk.kind == "p" and tk.text in "،,:") or _is_comp(doc, k) or doc.speech_opens_at(k):
                    break
                k += 1
            if k < n and doc.toks[k].start < sent_end and k - j <= cfg["adverbial_max_words"]:
                steps += k - j + 1
                j = k
                continue
        break
    if verb.np_object and first_non_time is not None and first_non_time < n \
            and doc.toks[first_non_time].key not in _CLAUSE_OPENERS and not _contrast_follows(doc, first_non_time):
        span = _content_span(doc, doc.toks[first_non_time].start, _clause_end(doc, first_non_time, sent_end))
        return ("indirect", span) if span else None
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
    k = j
    words_seen = 0
    commas = 0
    cut: int | None = None  # where the speaker ends when the words after it still precede the frame
    while k < n and doc.toks[k].start < sent_end and words_seen < doc.cfg["speaker_max_words"]:
        t = doc.toks[k]
        if t.kind == "p" and t.text not in "،,":
            break
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
            if k > j and (_is_audience(t.key) or _is_manner(t.key)):
                break  # "مسؤول لرويترز", "كيري مازحا": audience or manner, not the speaker
            if k > j and verb.lemma in cues.ADDRESSEE_VERBS and (_head_keys(t.key) & cues.MEDIA_HEADS or t.key in cues.ADDRESSEE_NOUNS):
                break  # "أبلغت المتحدثة إذاعة شمس": the outlet told, not part of the speaker
            if k > j and verb.np_object and (t.key in cues.CONTENT_HEADS or t.key in cues.OBJECT_OPENERS):
                break
            if k > j and verb.np_object and t.key in cues.DOCUMENT_HEADS and doc.toks[k - 1].key not in _SPEAKER_HEADS:
                break  # "رفض روحاني قرار ترمب": a document noun after the subject opens the object
            if k > j and t.key in cues.RELAY_SAYING and verb.relay:
                break
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
    if not _head_keys(doc.toks[j].key) & heads or cues.PREP_OBJECT.get(verb.lemma) == doc.toks[k].key:
        return None
    n = len(doc.toks)
    m = k + 1
    if m >= n or doc.toks[m].kind != "w":
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
        if _is_stop(doc, t) or _verb_of(t) or t.key in cues.CLAUSE_PRONOUNS:
            return None
        seen += 1
        m += 1
    return None


_LI = fold("لـ")
_BISM = fold("باسم")  # "المتحدث باسم": part of a title, never a بـ object
_CLAUSE_OPENERS = cues.CLAUSE_PARTICLES | frozenset(fold(w) for w in "لكن ولكن بيد غير".split())
_CONTRAST = frozenset(fold(w) for w in "بينما وبينما".split())
_KAMA = frozenset(fold(w) for w in "كما وكما".split())
# function words a sentence-initial و joins; the content of "و<clause>، كما قال X" starts after it
_WA_JOINED = frozenset(fold(w) for w in "ما من لا لم لن قد كان كانت هو هي هناك".split())
_DEMONSTRATIVE_ENDS = frozenset(fold(w) for w in "ذلك ذاك هذا هذه تلك".split())
_GAP_BREAKS = "-–—()[]"  # a dash or bracket between words: a dateline or caption, never inside a subject


def _is_audience(key: str) -> bool:
    """ "لرويترز"، "لوكالة"، "للقناة": a media outlet spoken to, after the speaker."""
    if len(key) < 4 or key[0] != "ل":
        return False
    rest = key[1:]
    return rest in cues.MEDIA_HEADS or (rest.startswith("ل") and "ا" + rest in cues.MEDIA_HEADS)


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


_SPEAKER_HEADS = (cues.MEDIA_HEADS | cues.DOCUMENT_HEADS | cues.ORGANIZATION_HEADS | cues.PERSON_HEADS
                  | cues.ANONYMOUS_HEADS)  # words a speaker phrase opens with: "وزارة", "وكالة", "وزير" are not "و" + word


_QAD = fold("قد")


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
    if lead.key in cues.KANA and len(ws) > 1:
        ws, lead = ws[1:], ws[1]  # "وكان المعبر أعلن": the subject follows كان
        first = doc.tok_at(lead.start)
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
        if prev is not None and prev.kind == "w" and prev.key in cues.NOUN_MAKERS and not _is_participle(tok) \
                and not _is_name_ali(doc, prev):
            continue  # "على أمل أن": a noun after a preposition, not a verb
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
        if frame is None and speaker is not None and prev is not None and prev.key in _KAMA:
            frame = _as_said_frame(doc, i - 1, s_start)  # "أعيد فتح المطار، كما أعلن وزير النقل"
        if frame is None or speaker == frame[1]:
            log.debug("no frame for cue %r at %d", tok.text, tok.start)
            if frame is None and speaker is not None and nested is None:
                ghost = _Draft((tok.start, tok.end), (tok.end, tok.end), "indirect", speaker, features=feats, ghost=True)
                ghost.speaker_kind, plural = _head_info(doc, *speaker)
                ghost.features = (feats[0], "p" if plural or feats[1] == "p" else feats[1])
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
            d.speaker_kind, plural = _head_info(doc, *d.speaker)
            g = feats[0]
            d.features = (g, "p" if plural or feats[1] == "p" else feats[1])
        if nested is not None:
            d.nested_kind = _head_info(doc, *nested)[0]
        drafts.append(d)
    return drafts


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


# ---------------------------------------------------------------- other frames


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
        if t.kind == "w" and t.key in cues.COLON_LABELS and (
                "#" in before or (nxt.kind == "p" and nxt.text in _LABEL_MARKS)
                or any(ch in _LABEL_MARKS for ch in doc.text[t.end : nxt.start])):
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
        if any(t.key in cues.COLON_LABELS or t.key in cues.TIME_WORDS or _verb_of(t) or _is_stop(doc, t) for t in ws):
            continue
        colon = doc.toks[k]
        if any(s_start <= d.cue[0] < colon.end or d.content[0] <= colon.start < d.content[1] for d in drafts):
            continue
        ents = doc.entities_in(ws[0].start, ws[-1].end)
        if not (_head_keys(ws[0].key) & _COLON_SPEAKER_HEADS or any(e.label in ("PER", "ORG") for e in ents)):
            continue
        after = [t for t in doc.toks[k + 1 : k + 4] if t.start < s_end]
        if any(_verb_of(t) for t in after):
            continue
        q = doc.quote_opening(k + 1)
        content = (q.start, q.end) if q is not None else _content_span(doc, colon.end, s_end)
        if content is None or len(words(doc.text[content[0] : content[1]])) < 2:
            continue
        sp = (ws[0].start, ws[-1].end)
        d = _Draft((colon.start, colon.end), content, "direct", sp)
        d.speaker_kind, plural = _head_info(doc, *sp)
        if _head_keys(ws[0].key) & cues.MINISTRY_FIELDS and not any(e.label == "PER" for e in ents):
            d.speaker_kind = "organization"
        d.features = ("x", "p" if plural else "s")
        out.append(d)
    return out


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


# ---------------------------------------------------------------- resolution


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
    head = doc.toks[i].key
    if head.startswith(("ال", "وال")) or _is_stop(doc, doc.toks[i]) or head in cues.CLAUSE_PARTICLES or _is_comp(doc, i):
        return None
    sp, _k = _speaker_after(doc, i + 1, cues.VERBS[0], before)
    if sp is None or sp[1] > before:
        return None
    return _cut_object(doc, sp)


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
            elif (d.participle or d.pronoun) and (found is None or found.cue[0] < s_start):
                sp = _clause_subject(doc, s_start, d.cue[0])
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


def _span(pair: tuple[int, int] | None, label: str) -> Span | None:
    return None if pair is None else Span(pair[0], pair[1], label, STAGE)


def find_attributions(article: Article, *, settings: dict) -> None:
    """Fill ``article.attributions`` with who-said-what spans into ``article.text``.

    Args:
        article: an article with cleaned ``text``; the ``sentences`` and
            ``entities`` layers are used when present.
        settings: the ``[attribution]`` section (word-count limits, see defaults.toml).
    """
    doc = _Doc(article, settings)
    nominal, drafts = _nominal_frames(doc)
    drafts += _verb_drafts(doc, nominal)
    drafts += _according_drafts(doc)
    drafts += _colon_frames(doc, drafts)
    taken = [d.content for d in drafts]
    drafts += _quote_first_drafts(doc, taken)
    drafts += _adjacent_quotes(doc, drafts)
    drafts = _dedupe([d for d in _resolve(doc, drafts) if not d.ghost])
    out: list[Attribution] = []
    for d in sorted(drafts, key=lambda d: (d.cue[0], d.content[0])):
        cue = Span(d.cue[0], d.cue[1], "CUE", STAGE)
        content = Span(d.content[0], d.content[1], "CONTENT", STAGE)
        spans = [s for s in (cue, content, _span(d.speaker, "SPEAKER"), _span(d.nested, "SOURCE")) if s is not None]
        for s in spans:
            article.check_span(s)
        stance = speaker_stance(article.span_text(cue), article.span_text(content))
        out.append(
            Attribution(
                cue=cue,
                content=content,
                kind=d.kind,
                stance=stance,
                speaker=_span(d.speaker, "SPEAKER"),
                speaker_kind=d.speaker_kind if d.speaker is not None else "unspecified",
                nested_source=_span(d.nested, "SOURCE"),
            )
        )
    article.attributions = out


_SPEAKER_TYPES = ("PER", "ORG", "LOC", "MISC")  # preference when a speaker phrase holds several entities


def is_entourage(phrase: str) -> bool:
    """Whether a speaker phrase opens with a word for a person's camp (cues.ENTOURAGE_HEADS)."""
    first = next(iter(fold(phrase).split()), "")
    return bool(_head_keys(first) & cues.ENTOURAGE_HEADS)


def link_speakers(article: Article) -> None:
    """Point each speaker span's ``ref`` at the entity mentioned inside it.

    Runs after entity resolution (a corpus stage), so that "بيسكوف" and
    "المتحدث باسم الكرملين دميتري بيسكوف" are one speaker. Within a speaker
    phrase a person outranks an organisation ("المتحدث باسم الكرملين بيسكوف" is
    Peskov, not the Kremlin); among equals the last mention (the head name after
    a title) wins. A person's camp ("فريق ترامب", cues.ENTOURAGE_HEADS) is not linked
    to the person. Nested sources are linked the same way.
    """
    mentions = [m for m in article.spans("entities") if m.ref]
    if not mentions:
        return

    def link(span: Span | None) -> Span | None:
        if span is None:
            return None
        inside = [m for m in mentions if m.start < span.end and span.start < m.end]
        if not inside:
            return span
        best = max(inside, key=lambda m: (-_SPEAKER_TYPES.index(m.label) if m.label in _SPEAKER_TYPES else -9, m.start))
        if best.label == "PER" and best.start > span.start and is_entourage(article.span_text(span)):
            return span  # "فريق ترامب" speaks for Trump but is not Trump
        return replace(span, ref=best.ref)

    article.attributions = [
        replace(at, speaker=link(at.speaker), nested_source=link(at.nested_source)) for at in article.attributions
    ]
