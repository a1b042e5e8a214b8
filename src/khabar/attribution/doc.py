"""Tokens, quote regions, sentences and entities of one article, and the word tests every frame uses.

Part of :mod:`khabar.attribution`: the token list (words, punctuation, quote
marks) with its lookups, the reporting-verb test, and what a speaker phrase's
head word says of its kind.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from dataclasses import dataclass

from khabar import cues
from khabar.arabic import fold, strip_clitics, words
from khabar.model import Article, Span

log = logging.getLogger(__name__)


STAGE = "attribution"


DEFAULTS: dict[str, int] = {
    "speaker_max_words": 14,
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
_NAME_BEFORE_ALI = frozenset(fold(w) for w in "أبو ابو أبي ابي بن ابن أم ام آل".split())


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
    if t.key not in (_ALI, _WA_ALI) or not t.text.endswith("ي"):
        return False
    if doc.writes_ala:
        return True
    i = doc.tok_at(t.start)  # after a kunya or a patronymic it is the name anyway: "أبو علي الحاج حسن"، "بن علي"
    return i > 0 and doc.toks[i - 1].kind == "w" and doc.toks[i - 1].key in _NAME_BEFORE_ALI


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


_SPEAKER_HEADS = (cues.MEDIA_HEADS | cues.DOCUMENT_HEADS | cues.ORGANIZATION_HEADS | cues.PERSON_HEADS
                  | cues.ANONYMOUS_HEADS)  # words a speaker phrase opens with: "وزارة", "وكالة", "وزير" are not "و" + word
