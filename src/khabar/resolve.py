"""Entity resolution: one :class:`~khabar.model.Entity` per real-world referent.

Mentions from :mod:`khabar.entities` are grouped inside an article (short and
long forms, spelling variants, Latin and Arabic script) and then matched to
the entities of an :class:`EntityRegistry` shared across articles.

Spelling variants of transliterated names are matched by rule, not by a list
of known pairs. Names are compared token by token on their folded form
(:func:`khabar.arabic.fold`); two tokens are the same name when

* they are equal; or
* both are at least ``min_fuzzy_len`` letters, neither is a common native
  Arabic given name (those have one fixed spelling: محمد/محمود, حسن/حسين,
  سلمان/سليمان are different people), and
  - they are equal after mapping letters that render one foreign sound
    (g: غ ج ك ق; t: ت ط; s: س ص; d: د ض; z: ز ظ ذ; p/b and v/f are folded
    already), or
  - their consonant skeletons (long vowels ا و ي dropped inside the word) are
    equal and the long vowels differ by a move (ديمتري/دميتري) or by one
    letter in a word of at least ``vowel_drop_min_len`` letters (بوتين/بوتن,
    ترامب/ترمب, ماكرون/ماكرن).

A skeleton edit distance of 1 is accepted for one token of a multi-token name
when all its other tokens agree (أولاف شولتز / أولاف شولتس). A Latin-script
name is compared with an Arabic one through a lossy consonant key of its
romanisation (:func:`transliterate`): "Elon Musk" ~ إيلون ماسك, SpaceX ~ سبيس إكس.

Person names also match when one is the other's surname alone (ماسك ~ إيلون
ماسك) or the other with a middle name dropped; two full names with different
first names never match.

Across articles a bare name (one token) joins, in this order (see
:meth:`EntityRegistry._match_bare`):

1. an entity of its type spelt exactly like it with no longer name among its
   variants (the city الرياض, the entity an ambiguous bare name got before);
2. when two or more entities with longer names match it, of its type if any
   entity of its type matches (جو بايدن and هانتر بايدن for بايدن, حسن نصر
   الله and آية الله for الله), it is ambiguous: it
   joins no long-named entity, only an entity of 1., else a new one, which the
   next such mention joins: one entity per spelling and type, not one per
   mention;
3. otherwise the best entity that matches it: its own type first, then spelt
   exactly like it, then the most mentioned, then the oldest.

The registry finds candidates through an index of keys that any two forms
these rules accept share (:func:`_form_keys`), so the cost of a mention does
not grow with the number of entities known.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from khabar.aliases import AliasTable, form_key, how_joined
from khabar.arabic import fold, is_arabic, match_key, words
from khabar.entities import roles_for
from khabar.model import Article, Entity, Span

log = logging.getLogger(__name__)

# Common native Arabic given names. Their spelling is fixed, so the fuzzy
# transliteration rules never apply to them (folded forms, built at import).
_NATIVE = frozenset(
    fold(w)
    for w in (
        "محمد محمود أحمد حامد حمد حمدي حمود حميد مجيد مجدي حسن حسين حسان حسنين حسني حسام علي عليا علياء عمر عمرو "
        "عمار عامر عمران سلمان سليمان سليم سالم سلامة سلمى سلام سعد سعيد سعود مسعود سعدي سعاد خالد خليل خلف "
        "خليفة جمال كمال كامل جميل جميلة كريم كريمة كرم عادل عدنان عدلي عبيد عبد عباس عبير فاطمة فاطم فهد فهمي "
        "فيصل فايز فواز فؤاد فريد فريدة نبيل نبيلة نادر نادية ناصر نصر نصير منصور منير منى مني مريم مروان "
        "مراد مصطفى مصطفي يوسف يونس يحيى يحيي زكي زكريا زياد زيد زيدان زين زينب هشام هاشم هاني هند هدى "
        "رشيد رشاد راشد رامي رامز رياض رضا رضوان رائد ريم سامي سامية سمير سميرة سهام شريف شريفة صالح صلاح "
        "طارق طلال طه عثمان عصام عماد عمادة غسان غادة قاسم قيس ماجد ماهر مالك ليلى لينا وليد وائل وسام ياسر "
        "ياسين ياسمين إبراهيم إسماعيل إسحاق أنور أنس أيمن أمين أمينة أمل إيمان بشار بشير بكر تامر توفيق ثامر "
        "جابر جعفر جلال جواد حازم حافظ حمزة خديجة خالدة داود دينا رانيا رجب رفيق رمضان زهير سارة سعدية شادي "
        "صابر صبري صفاء ضياء عائشة عبير عزيز عزة عفاف علاء عواد غازي فادي فارس فتحي فرح لطفي لؤي مؤمن محسن "
        "مختار مدحت مهدي نايف نواف نور نوري هادي هيثم وجدي ياسمينة يزيد"
    ).split()
)
# Letters that render one foreign sound, mapped to one representative.
_SOUND_CLASSES = str.maketrans({"غ": "ج", "ك": "ج", "ق": "ج", "ط": "ت", "ص": "س", "ض": "د", "ظ": "ز", "ذ": "ز", "ث": "س"})
_LONG_VOWELS = frozenset("اوي")


def _sound(tok: str) -> str:
    """``tok`` with :data:`_SOUND_CLASSES` applied, and a final ز read as س.

    A foreign name's final s is written either way (برايس / برايز for Bryce,
    ويليامز / ويليامس); inside a word the two letters stay apart, since Arabic
    names differ by them there (نزار / نصار).
    """
    t = tok.translate(_SOUND_CLASSES)
    return t[:-1] + "س" if len(t) > 3 and t.endswith("ز") else t
_NAME_LINKS = frozenset(fold(w) for w in ("بن", "ابن", "أبو", "آل", "ولد"))
# First halves of compound given names, written joined or apart (عبدالملك / عبد الملك).
_COMPOUND_HEADS = frozenset(fold(w) for w in ("عبد", "أبو"))
# Generic heads of place and organisation names: "المملكة العربية السعودية" is
# السعودية, "وكالة ناسا" is ناسا. After a head, an adjective of the official style
# (العربية، الهاشمية ...) is dropped too.
_GENERIC_HEADS = frozenset(
    fold(w)
    for w in "مملكة جمهورية دولة سلطنة إمارة وكالة شركة صحيفة جريدة مجلة قناة موقع مدينة ولاية محافظة منطقة مجموعة".split()
)
_STYLE_ADJECTIVES = frozenset(fold(w) for w in "عربية إسلامية هاشمية اتحادية".split())
_ROMAN = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r",
    "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "'", "غ": "gh", "ف": "f",
    "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ء": "'", "ة": "a", "ى": "a",
}  # fmt: skip
_LATIN_DIGRAPHS = (("sch", "s"), ("sh", "s"), ("ch", "s"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("kh", "k"), ("gh", "g"), ("ck", "k"), ("qu", "k"))
_LATIN_MAP = str.maketrans({"x": "gs", "c": "g", "q": "g", "k": "g", "j": "g", "v": "f", "p": "b", "z": "s"})
_SOFT_C = re.compile(r"c(?=[eiy])")
_INITIAL_X = re.compile(r"\bx")  # Xi, Xavier: Arabic writes ش / س


@functools.lru_cache(maxsize=1)
def _default_settings() -> dict[str, Any]:
    from khabar.settings import Settings

    return Settings().section("entities")


def _cfg(settings: dict[str, Any] | None) -> tuple[int, int]:
    s = settings or _default_settings()
    return int(s.get("min_fuzzy_len", 4)), int(s.get("vowel_drop_min_len", 5))


def name_tokens(name: str) -> list[str]:
    """Folded word tokens of a name, each without a leading article ال.

    Proclitics (و، ب، ل) are not stripped: mentions arrive trimmed, and a name
    may begin with those letters (وليد، بوتين، لافروف).
    """
    return list(_name_tokens(name))


@functools.lru_cache(maxsize=1 << 16)
def _name_tokens(name: str) -> tuple[str, ...]:
    """:func:`name_tokens` as a tuple, cached: resolution asks for the same forms many times."""
    f = fold(name)
    raw = [f[a:b] for a, b in words(f)]
    toks: list[str] = []
    for t in raw:
        t = t.replace("وو", "و")  # داوود / داود: a doubled waw is one letter in names
        if toks and toks[-1] in _COMPOUND_HEADS and t.startswith("ال"):
            toks[-1] += t  # عبد الملك -> عبدالملك
            continue
        toks.append(t[2:] if t.startswith("ال") and len(t) >= 5 else t)
    return tuple(toks)


def _without_generic_head(toks: tuple[str, ...]) -> tuple[str, ...]:
    """Name tokens with a generic head and style adjectives removed (``وكالة ناسا`` -> ``ناسا``)."""
    if len(toks) < 2 or toks[0] not in _GENERIC_HEADS:
        return toks
    rest = toks[1:]
    while len(rest) > 1 and rest[0] in _STYLE_ADJECTIVES:
        rest = rest[1:]
    return rest


@functools.lru_cache(maxsize=1 << 16)
def _is_latin(tok: str) -> bool:
    return not is_arabic(tok, threshold=0.01)


def transliterate(arabic: str) -> str:
    """Rough Arabic -> Latin romanisation of a name, for display and cross-script matching.

    Letters map one to one (ش sh, خ kh, غ gh, ع '); و and ي are w/y at the
    start of a word or after a vowel letter and u/i after a consonant; alef
    with hamza below is i. Not a standard scheme: "إيلون ماسك" -> "Ilun Mask".
    """
    out_words = []
    for tok in arabic.split():
        out: list[str] = []
        prev_vowel = True
        for pos, ch in enumerate(tok):
            if ch in "وي" and pos == len(tok) - 1 and pos > 0:
                roman = "u" if ch == "و" else "i"  # a final و/ي is a vowel: بومبيو -> Bumbiu
            elif ch == "ي" and out and out[-1] == "i":
                roman = ""  # إي: one long i
            elif ch in "وي":
                roman = ("w" if ch == "و" else "y") if prev_vowel else ("u" if ch == "و" else "i")
                prev_vowel = not prev_vowel
            elif ch == "إ":
                roman, prev_vowel = "i", True
            elif ch in "أآٱ":
                roman, prev_vowel = "a", True
            elif ch in "ئؤ":
                roman, prev_vowel = "'", False
            else:
                roman = _ROMAN.get(ch, ch if ch.isascii() else "")
                prev_vowel = roman in ("a", "'")
            out.append(roman)
        word = "".join(out)
        if word:
            out_words.append(word[0].upper() + word[1:])
    return " ".join(out_words)


_transliterate = functools.lru_cache(maxsize=1 << 16)(transliterate)  # the registry asks again on every mention


@functools.lru_cache(maxsize=1 << 16)
def latin_key(text: str) -> str:
    """A lossy consonant key for comparing names across scripts.

    Arabic is romanised first. Digraphs collapse (sh, ph, th, kh ...), sounds
    Arabic renders with one letter share one key letter (c/k/q/g/j, p/b, v/f,
    z/s), vowels, w, y, h and apostrophes are dropped, doubled letters merge;
    a final "V" says the name ends in a vowel (a silent Latin final e aside).
    """
    consonants, final, _ = _latin_parts(text)
    return consonants + final


_NOT_LOWER = re.compile(r"[^a-z]")
_SILENT_E = re.compile(r"(?<=[^aeiouy])e$")
_VOWELS = re.compile(r"[aeiouwyh]")
_DOUBLED = re.compile(r"(.)\1+")


@functools.lru_cache(maxsize=1 << 17)
def _latin_parts(text: str) -> tuple[str, str, bool]:
    """:func:`latin_key` in parts: (consonant key, final "V" or "", whether any letter was left)."""
    arabic = not _is_latin(text)  # is_arabic(text, threshold=0.01), cached
    s = transliterate(text) if arabic else text
    s = _INITIAL_X.sub("s", _SOFT_C.sub("s", s.lower()))
    for a, b in _LATIN_DIGRAPHS:
        s = s.replace(a, b)
    s = s.translate(_LATIN_MAP)
    s = _NOT_LOWER.sub("", s)
    if not arabic:
        s = _SILENT_E.sub("", s)  # silent final e: Google ~ جوجل
    final = "V" if s[-1:] in ("a", "e", "i", "o", "u", "y") else ""  # Tesla ~ تسلا, not تسليح
    return _DOUBLED.sub(r"\1", _VOWELS.sub("", s)), final, bool(s)


def _joined_latin_key(toks: tuple[str, ...]) -> str:
    """``latin_key(" ".join(toks))`` from the (cached) keys of the tokens where that is exact.

    Arabic words are romanised one by one and no rule of the key looks across
    a space, so for Arabic tokens the key of the name is the tokens' consonant
    keys joined (doubled letters merged again at the seams) with the final
    mark of the last token, when that token left any letter.
    """
    parts = [_latin_parts(t) for t in toks]
    if len(toks) < 2 or not parts[-1][2] or any(_is_latin(t) for t in toks):
        return latin_key(" ".join(toks))
    return _DOUBLED.sub(r"\1", "".join(p[0] for p in parts)) + parts[-1][1]


def _skeleton(tok: str) -> str:
    """``tok`` without its inner long vowels (first and last letter kept)."""
    if len(tok) <= 2:
        return tok
    return tok[0] + "".join(c for c in tok[1:-1] if c not in _LONG_VOWELS) + tok[-1]


def _edit1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are at most one insertion, deletion or substitution apart."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :] if i < len(b) else True


def token_same(x: str, y: str, settings: dict[str, Any] | None = None) -> bool:
    """Whether two folded name tokens spell the same name (see the module docstring)."""
    if x == y:
        return True
    min_len, drop_len = _cfg(settings)
    if _is_latin(x) or _is_latin(y):
        kx, ky = latin_key(x), latin_key(y)
        return len(kx) >= 2 and kx == ky
    if min(len(x), len(y)) < min_len or x in _NATIVE or y in _NATIVE:
        return False
    cx, cy = _sound(x), _sound(y)
    if cx == cy:
        return True
    sx, sy = _skeleton(cx), _skeleton(cy)
    if sx != sy:
        return False
    vx, vy = sorted(c for c in cx[1:-1] if c in _LONG_VOWELS), sorted(c for c in cy[1:-1] if c in _LONG_VOWELS)
    if vx == vy:
        return True  # the same long vowels, moved: ديمتري/دميتري
    short, long_ = (vx, vy) if len(vx) < len(vy) else (vy, vx)
    if len(long_) - len(short) != 1 or max(len(x), len(y)) < drop_len:
        return False  # بوتين/بوتان: a different vowel is a different name
    rest = list(long_)
    for v in short:
        if v not in rest:
            return False
        rest.remove(v)
    return True


def _token_close(x: str, y: str, settings: dict[str, Any] | None) -> bool:
    """Looser than :func:`token_same`: skeleton edit distance 1, for long foreign names only."""
    min_len, _ = _cfg(settings)
    if _is_latin(x) or _is_latin(y) or x in _NATIVE or y in _NATIVE:
        return False
    sx, sy = _skeleton(_sound(x)), _skeleton(_sound(y))
    return min(len(sx), len(sy)) >= min_len and _edit1(sx, sy)


def _same_sequence(ta: tuple[str, ...], tb: tuple[str, ...], settings: dict[str, Any] | None, allow_close: bool) -> bool:
    """Token-by-token match; with ``allow_close`` one token may be only close.

    A close token is one skeleton edit apart (:func:`_token_close`) or, when at
    least two other tokens are spelt identically, any token with the same
    skeleton however short (وول ستريت جورنال / وال ستريت جورنال).
    """
    if len(ta) != len(tb):
        return False
    loose = 0
    exact = sum(x == y for x, y in zip(ta, tb, strict=True))
    for x, y in zip(ta, tb, strict=True):
        if token_same(x, y, settings):
            continue
        if allow_close and (_token_close(x, y, settings) or (exact >= 2 and _short_close(x, y))):
            loose += 1
            continue
        return False
    return loose <= 1


def _short_close(x: str, y: str) -> bool:
    """Same consonant skeleton (vowel letters differ), for tokens held in place by their neighbours."""
    if _is_latin(x) or _is_latin(y) or x in _NATIVE or y in _NATIVE:
        return False
    return _skeleton(_sound(x)) == _skeleton(_sound(y))


def alias_same(a: str, b: str, type: str = "PER", *, settings: dict[str, Any] | None = None) -> bool:  # noqa: A002
    """Whether surface forms ``a`` and ``b`` may name the same ``type`` entity.

    Symmetric. For PER a bare surname matches a full name ending in it, and a
    full name matches itself with middle names dropped; other types must match
    token for token. See the module docstring for the token rules. Cached on
    the two forms, the type and the two thresholds (a pure function of them).
    """
    return _alias_same(a, b, type, *_cfg(settings))


@functools.lru_cache(maxsize=1 << 18)
def _alias_same(a: str, b: str, type: str, min_len: int, drop_len: int) -> bool:  # noqa: A002
    settings = {"min_fuzzy_len": min_len, "vowel_drop_min_len": drop_len}
    ta, tb = _name_tokens(a), _name_tokens(b)
    if not ta or not tb:
        return False
    if "".join(ta) == "".join(tb):
        return True
    if type != "PER":
        ta, tb = _without_generic_head(ta), _without_generic_head(tb)
    if _is_latin("".join(ta)) != _is_latin("".join(tb)):
        ka, kb = latin_key(" ".join(ta)), latin_key(" ".join(tb))
        if len(ka) >= 3 and ka == kb:
            return True
        if _cross_script_close(ta, tb):
            return True
    if _same_sequence(ta, tb, settings, allow_close=len(ta) >= 2):
        return True
    if type != "PER" or len(ta) == len(tb):
        return False
    short, long_ = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    if len(short) == 1:
        return token_same(short[0], long_[-1], settings)
    if _same_sequence(short, long_[-len(short) :], settings, allow_close=False):
        return True  # بن سلمان ~ محمد بن سلمان, دي ميستورا ~ ستيفان دي ميستورا: the given name dropped
    # Middle names dropped: first and last agree, the rest of short in order.
    if not (token_same(short[0], long_[0], settings) and token_same(short[-1], long_[-1], settings)):
        return False
    it = iter(long_[1:-1])
    return all(any(token_same(t, u, settings) for u in it) for t in short[1:-1])


def _cross_script_close(ta: tuple[str, ...], tb: tuple[str, ...]) -> bool:
    """Latin and Arabic names of two or more tokens: the last keys equal, the others one key edit apart.

    Arabic renders some foreign letters by sound (Benjamin / بنيامين), so a
    given name may lose a key letter; the surname must still agree exactly.
    """
    if len(ta) != len(tb) or len(ta) < 2:
        return False
    ka, kb = [latin_key(t) for t in ta], [latin_key(t) for t in tb]
    if len(ka[-1]) < 2 or ka[-1] != kb[-1]:
        return False
    return all(x == y or (min(len(x), len(y)) >= 3 and _edit1(x, y)) for x, y in zip(ka[:-1], kb[:-1], strict=True))


def entity_id(type_: str, canonical: str) -> str:
    """Deterministic id: "E" + 10 hex digits of sha1(type + match key of the canonical form)."""
    digest = hashlib.sha1(f"{type_}|{match_key(canonical)}".encode()).hexdigest()
    return "E" + digest[:10]


def _is_full(form: str) -> bool:
    return len(_name_tokens(form)) >= 2


@dataclass
class _Cluster:
    """Mentions of one referent inside one article."""

    type_counts: Counter[str] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)
    spans: list[Span] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    form_types: dict[str, Counter[str]] = field(default_factory=dict)
    spellings: set[tuple[str, ...]] = field(default_factory=set)  # name tokens of ``forms``
    keys: set[int] = field(default_factory=set)  # index keys of ``forms`` (_form_keys, as for a person)
    _type: str | None = None  # cached :attr:`type`; :meth:`add` clears it

    def add(self, form: str, label: str, span: Span, min_len: int) -> None:
        """Count one mention (``label`` prefixed "LATIN:" for Latin-script forms).

        ``min_len``: the ``min_fuzzy_len`` setting, for the retrieval keys.
        """
        if form not in self.forms:
            self.keys |= _form_keys(form, False, True, min_len)
        self.type_counts[label] += 1
        self.forms[form] += 1
        self.spellings.add(_name_tokens(form))
        self.form_types.setdefault(form, Counter())[label] += 1
        self.spans.append(span)
        self._type = None

    @property
    def type(self) -> str:
        """Label of the canonical form's mentions (full names are tagged most reliably),
        else the majority of Arabic-script mentions, else of the Latin-rule guesses."""
        if self._type is None:
            self._type = self._compute_type()
        return self._type

    def _compute_type(self) -> str:
        canon = canonical_form(self.forms) if self.forms else ""
        of_canon = Counter(self.form_types.get(canon, {}))
        if of_canon and not _is_latin(canon):
            return min(of_canon, key=lambda t: (-of_canon[t], t))
        arabic = Counter({t: n for t, n in self.type_counts.items() if not t.startswith("LATIN:")})
        if arabic:
            return min(arabic, key=lambda t: (-arabic[t], t))
        latin = Counter({t[6:]: n for t, n in self.type_counts.items()})
        return min(latin, key=lambda t: (-latin[t], t))

    def matches(self, form: str, type_: str, settings: dict[str, Any] | None) -> bool:
        if not self.forms:
            return False
        key = _name_tokens(form)
        if key in self.spellings:
            return True  # one spelling, whatever label the tagger gave each occurrence
        mine = self.type
        latin = _is_latin(form) or all(_is_latin(f) for f in self.forms)
        bare_of_person = mine == "PER" and len(key) == 1
        if not (latin or bare_of_person or type_ == mine):
            return False
        min_len = _cfg(settings)[0]
        query, person = _form_keys(form, True, False, min_len), mine == "PER"
        if query.isdisjoint(self.keys):
            return False  # no form of the cluster can be an alias (person keys are a superset)
        return any(
            alias_same(form, f, mine, settings=settings)
            for f in self.forms
            if not query.isdisjoint(_form_keys(f, False, person, min_len))
        )


# Candidate retrieval. Each surface form gets two key sets, built so that
# alias_same(a, b, type) implies query_keys(a) & index_keys(b) != {} (for every
# type): the registry then compares a mention only with the entities that share
# a key, instead of every entity whose lossy Latin key agrees.
#
# Why this holds, rule by rule of _alias_same (on raw and head-stripped tokens):
# * joined spelling equal: key "J";
# * Latin ~ Arabic by whole-name key: "LA"/"LL" (script of the indexed side),
#   and by last-token key (_cross_script_close): "CA"/"CL";
# * token_same(x, y) implies x, y share a token class: the exact token for a
#   native given name, else the consonant skeleton after sound classes
#   (both Arabic), or the Latin key when one side is Latin (asymmetric, so that
#   two Arabic tokens never meet through their lossy Latin key);
# * equal lengths: first and last tokens same ("M"), or one of them only close:
#   a skeleton edit apart, so the two skeletons share an edit key (_edit_keys;
#   "F" last close, "G" first close; n in the key); a close middle token keeps
#   first and last same ("M");
# * PER, a bare name ~ the last token of a longer one ("B"/"T"), a dropped given
#   name (last two tokens same, "M" too), dropped middle names (first and last: "M").


def _edit_keys(s: str, min_len: int) -> tuple[str, ...]:
    """Keys two skeletons share when equal or, both at least ``min_len`` letters, one edit apart.

    With both at least 4 letters an edit leaves the first two or the last two
    letters alone, so those two keys suffice; below that, ``s`` and every
    string one letter shorter (the deletion neighbourhood).
    """
    if min_len >= 4:
        return ("<" + s[:2], ">" + s[-2:])
    return ("=" + s, *{"=" + s[:i] + s[i + 1 :] for i in range(len(s))})


@functools.lru_cache(maxsize=1 << 18)
def _token_classes(tok: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(index classes, query classes) of one folded name token; see the comment above."""
    latin = _is_latin(tok)
    base = "N" + tok if tok in _NATIVE else "S" + _skeleton(_sound(tok))
    lk = latin_key(tok)
    if latin:
        return (base, "KL" + lk), (base, "KL" + lk, "KA" + lk)
    return (base, "KA" + lk), (base, "KL" + lk)


def _close_keys(tok: str, min_len: int) -> tuple[str, ...]:
    """:func:`_edit_keys` of the skeleton, for a token that may be only close (else none)."""
    if _is_latin(tok) or tok in _NATIVE:
        return ()  # _token_close and _short_close never accept these
    return _edit_keys(_skeleton(_sound(tok)), min_len)


def _sequence_keys(toks: tuple[str, ...], query: bool, person: bool, min_len: int) -> set[str]:
    """Keys of one token sequence (see :func:`_form_keys` and the comment above)."""
    side = 1 if query else 0
    keys: set[str] = set()
    joined_latin = _is_latin("".join(toks))
    script = ("LA", "LL") if joined_latin == query else ("LL", "LA")  # query Latin -> index Arabic
    keys.add(script[0] + _joined_latin_key(toks))
    last = _token_classes(toks[-1])[side]
    if len(toks) == 1:
        keys.update("B" + c for c in last)
        if query:
            keys.update("T" + c for c in last)
        return keys
    keys.add(("CA" if script[0] == "LA" else "CL") + latin_key(toks[-1]))
    if query:
        keys.update("B" + c for c in last)
    elif person:
        keys.update("T" + c for c in last)
    first = _token_classes(toks[0])[side]
    before_last = _token_classes(toks[-2])[side]
    n = len(toks)
    keys.update(f"M{a}|{b}" for a in first for b in last)
    keys.update(f"M{a}|{b}" for a in before_last for b in last)  # the same keys when n == 2
    keys.update(f"F{n}|{a}|{d}" for a in first for d in _close_keys(toks[-1], min_len))
    keys.update(f"G{n}|{d}|{b}" for d in _close_keys(toks[0], min_len) for b in last)
    return keys


@functools.lru_cache(maxsize=1 << 15)
def _form_keys(form: str, query: bool, person: bool, min_len: int) -> frozenset[int]:
    """Retrieval keys of a surface form: ``query`` for a mention, else for an indexed variant.

    ``person``: the indexed entity is PER (only then may a bare name match the
    last token of a longer one); ``min_len``: the ``min_fuzzy_len`` setting.
    Keys of the raw and of the head-stripped tokens are both kept, as
    _alias_same strips heads for non-PER types only. Keys are stored as their
    hashes (a third of the memory of the strings); a collision only adds a
    candidate, which the rules then reject. Cached for the mentions and
    candidates asked about again; indexing calls the uncached function.
    """
    toks = _name_tokens(form)
    if not toks:
        return frozenset()
    keys = {"J" + "".join(toks)} | _sequence_keys(toks, query, person, min_len)
    stripped = _without_generic_head(toks)
    if stripped != toks:
        keys |= _sequence_keys(stripped, query, person, min_len)
    return frozenset(map(hash, keys))


@functools.lru_cache(maxsize=1 << 18)
def _latin_keys(form: str) -> tuple[str, ...]:
    """The Latin keys of the last token and of the whole name: the registry's first filter."""
    toks = _name_tokens(form)
    return (latin_key(toks[-1]), _joined_latin_key(toks)) if toks else ()


def _add_to(index: dict[Any, str | set[str]], key: Any, eid: str) -> None:
    """Add ``eid`` under ``key``: a bare id while it is the only one (most keys), else a set."""
    ids = index.get(key)
    if ids is None:
        index[key] = eid
    elif isinstance(ids, str):
        if ids != eid:
            index[key] = {ids, eid}
    else:
        ids.add(eid)


def _ids(value: str | set[str] | None) -> set[str] | tuple[str, ...]:
    """The ids an :func:`_add_to` index holds under one key."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else value


_SPOKESMAN_LINK = fold("باسم")


def _after_spokesman(text: str, start: int) -> bool:
    """Whether the word before ``start`` is "باسم" (on behalf of): "المتحدثة باسم الاتحاد ريم العطار"."""
    before = text[max(0, start - 12):start].split()
    return bool(before) and fold(before[-1]) == _SPOKESMAN_LINK


class EntityRegistry:
    """Entities seen so far, matched against each new article's mentions.

    Ids are fixed when an entity is created (:func:`entity_id` of its first
    canonical form), so the same articles in the same order give the same ids
    in every run, and an id stays valid when the canonical form later grows.

    Matching cost does not grow with the registry: a mention is compared only
    with entities retrieved through keys that every pair accepted by
    :func:`alias_same` shares (see :func:`_form_keys`), and among those only
    with entities sharing the Latin key of a last token or whole name (the
    registry's historical first filter, kept so that results do not change).
    """

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        self.settings = settings
        self._min_len = _cfg(settings)[0]
        self._entities: dict[str, Entity] = {}
        self._counts: dict[str, Counter[str]] = {}
        self._index: dict[int, str | set[str]] = {}  # retrieval key (_form_keys) -> id, or ids when several
        self._latin: dict[str, set[str]] = {}  # id -> Latin keys of its variants (_latin_keys), built on demand
        self._by_spelling: dict[tuple[str, ...], str | set[str]] = {}  # name tokens of a variant -> id(s)
        self._latin_forms: dict[str, set[str]] = {}  # id -> its Latin-script variants, if any
        self._next_suffix: dict[str, int] = {}  # base id -> smallest suffix that may be free
        self._stale: set[str] = set()  # ids loaded from a store: canonical and Latin form not yet recounted
        self._mentions: dict[str, int] = {}  # id -> mentions resolved to it (a loaded variant counts once)
        self._born: dict[str, int] = {}  # id -> rank of creation (or of loading): smaller is older
        self._long: set[str] = set()  # ids with a variant of two or more tokens (variants only grow)
        # id -> its entity_mark when first touched since take_changed() (None: created since): the
        # entities to save after a batch, found without a walk over the whole registry.
        self._changed: dict[str, EntityMark | None] = {}
        # User pins (alias file, split and merge rules; see pin_aliases): form_key -> target entity.
        self._pins: dict[str, _Pin] = {}
        self._fixed: dict[str, str] = {}  # id -> canonical name the user chose (never recounted)
        self._closed: set[str] = set()  # ids split off by the user: reached through their pins only
        self.wikidata: dict[str, str] = {}  # id -> Wikidata id from the alias file
        self._links: dict[str, dict[str, tuple[str, float]]] = {}  # id -> variant -> (how, confidence), this session

    @classmethod
    def from_entities(cls, entities: list[Entity], settings: dict[str, Any] | None = None) -> EntityRegistry:
        """Rebuild a registry from stored entities (every variant counted once).

        Cost: one pass over the variants (their keys, :func:`_form_keys`); the
        Latin keys of the old first filter are computed only for entities that
        become candidates. The cyclic garbage collector is paused meanwhile:
        collections triggered by the index's many small objects cost three
        times the indexing itself (2.0 s against 0.5 s at 40k entities).
        """
        reg = cls(settings)
        paused = gc.isenabled()
        gc.disable()
        try:
            for ent in entities:
                reg._entities[ent.id] = ent
                reg._counts[ent.id] = Counter(ent.variants)
                reg._mentions[ent.id] = len(ent.variants)
                reg._born[ent.id] = len(reg._born)
                reg._stale.add(ent.id)
                reg._reindex(ent, ent.variants)
        finally:
            if paused:
                gc.enable()
        return reg

    def entities(self) -> list[Entity]:
        return [self._entities[k] for k in sorted(self._entities)]

    def take_changed(self) -> list[Entity]:
        """Entities created, or whose :func:`entity_mark` changed, since the last call; in id order.

        What :meth:`khabar.store.Store.save_entities` must write after a batch:
        O(entities touched), not O(registry). The record is cleared; a caller
        whose write fails hands the entities back with :meth:`mark_unsaved`.
        """
        out = [self._entities[i] for i in sorted(self._changed)
               if self._changed[i] != entity_mark(self._entities[i])]
        self._changed = {}
        return out

    def mark_unsaved(self, entities: Iterable[Entity]) -> None:
        """Report ``entities`` as changed again at the next :meth:`take_changed` (their save was rolled back)."""
        for e in entities:
            self._changed[e.id] = None

    def names(self) -> Mapping[str, str]:
        """A live read-only view: entity id -> canonical form. O(1) to make, unlike a dict over the registry."""
        return _CanonicalNames(self._entities)

    def get(self, entity_id_: str) -> Entity | None:
        return self._entities.get(entity_id_)

    def __len__(self) -> int:
        return len(self._entities)

    def _reindex(self, ent: Entity, new: Iterable[str]) -> None:
        """Index ``new``, variants of ``ent`` not indexed yet (variants only ever grow)."""
        person = ent.type == "PER"
        latin = self._latin.get(ent.id)
        index = self._index
        for v in new:
            _add_to(self._by_spelling, _name_tokens(v), ent.id)
            if _is_full(v):
                self._long.add(ent.id)
            if _is_latin(v):
                self._latin_forms.setdefault(ent.id, set()).add(v)
            for k in _form_keys.__wrapped__(v, False, person, self._min_len):
                _add_to(index, k, ent.id)
            if latin is not None:
                latin.update(_latin_keys(v))

    def _latin_of(self, eid: str) -> set[str]:
        keys = self._latin.get(eid)
        if keys is None:
            keys = self._latin[eid] = {k for v in self._entities[eid].variants for k in _latin_keys(v)}
        return keys

    def _candidates(self, forms: list[str]) -> list[Entity]:
        """Entities that may match one of ``forms``, in id order."""
        ids: set[str] = set()
        for f in forms:
            for k in _form_keys(f, True, False, self._min_len):
                ids.update(_ids(self._index.get(k)))
        latin = {k for f in forms for k in _latin_keys(f)}
        return [self._entities[i] for i in sorted(ids) if not latin.isdisjoint(self._latin_of(i)) and i not in self._closed]

    def _match(self, cluster: _Cluster) -> Entity | None:
        """The entity ``cluster`` joins, or None for a new one (module docstring: full and bare names)."""
        forms = sorted(cluster.forms)
        full = [f for f in forms if _is_full(f)]
        if not full:
            return self._match_bare(cluster, forms)
        for ent in self._candidates(forms):
            if self._accepts(ent, cluster, forms, full):
                return ent  # a full name joins the first match in id order
        return None

    def _accepts(self, ent: Entity, cluster: _Cluster, forms: list[str], full: list[str]) -> bool:
        """Whether ``ent`` may be the referent of ``cluster`` (type allowed and one alias pair matches).

        An entity of another type is allowed when it has one of the cluster's
        spellings, a long one if the cluster has a long name: a bare place
        name (الرياض) must not pull the person عبد العزيز الرياض into the city.
        """
        type_ = cluster.type
        keys = [k for k in cluster.spellings if len(k) >= 2] if full else cluster.spellings
        same_spelling = any(ent.id in _ids(self._by_spelling.get(k)) for k in keys)
        latin_only = all(_is_latin(f) for f in forms)
        if ent.type != type_ and not (latin_only or same_spelling or (not full and ent.type == "PER")):
            return False
        ent_full = [v for v in ent.variants if _is_full(v)]
        mine, theirs = (full, ent_full) if type_ == "PER" and full and ent_full else (forms, sorted(ent.variants))
        person = ent.type == "PER"
        return any(
            alias_same(a, b, ent.type, settings=self.settings)
            for a in mine
            for b in theirs
            if not _form_keys(a, True, False, self._min_len).isdisjoint(_form_keys(b, False, person, self._min_len))
        )

    def _rank(self, ent: Entity, type_: str, spelt: set[str]) -> tuple[bool, bool, int, int]:
        """Sort key of candidates for a bare name: own type, exact spelling, most mentioned, oldest."""
        return (ent.type != type_, ent.id not in spelt, -self._mentions[ent.id], self._born[ent.id])

    def _match_bare(self, cluster: _Cluster, forms: list[str]) -> Entity | None:
        """The entity a cluster of bare names joins (steps 1-3 of the module docstring), or None.

        Deterministic: candidates are ranked on type, spelling, mentions and
        age, never on the order of a set. Cost: step 1 answers from the
        spelling index alone (the frequent names repeat it); steps 2 and 3
        check every retrieved candidate, as a full name's match does.
        """
        type_ = cluster.type
        spelt = set().union(*(_ids(self._by_spelling.get(k)) for k in cluster.spellings))
        short = [self._entities[i] for i in spelt if i not in self._long and i not in self._closed]
        own = [e for e in short if e.type == type_]
        if own:
            return min(own, key=lambda e: self._rank(e, type_, spelt))
        hits = [e for e in self._candidates(forms) if self._accepts(e, cluster, forms, [])]
        rivals = [e for e in hits if e.type == type_] or hits  # its own type first
        if sum(e.id in self._long for e in rivals) > 1:
            log.debug("bare name %s matches several entities with longer names; kept apart", forms)
            return None  # step 1 found no short entity of its type to join
        return min(rivals, key=lambda e: self._rank(e, type_, spelt)) if rivals else None

    def _new_id(self, type_: str, canonical: str) -> str:
        """:func:`entity_id`, with the smallest free suffix ``-2``, ``-3`` ... when taken."""
        base = entity_id(type_, canonical)
        if base not in self._entities:
            return base
        n = self._next_suffix.get(base, 2)
        while f"{base}-{n}" in self._entities:
            n += 1
        self._next_suffix[base] = n + 1  # ids are never removed, so no smaller suffix frees up
        return f"{base}-{n}"

    def _add(self, cluster: _Cluster, pin: _Pin | None = None) -> str:
        ent = self._match(cluster) if pin is None else self._entities[pin.target]
        if ent is None:
            canonical = canonical_form(cluster.forms)
            eid = self._new_id(cluster.type, canonical)
            ent = Entity(id=eid, canonical=canonical, type=cluster.type)
            self._entities[eid] = ent
            self._counts[eid] = Counter()
            self._mentions[eid] = 0
            self._born[eid] = len(self._born)
            self._changed[eid] = None
        elif ent.id not in self._changed:
            self._changed[ent.id] = entity_mark(ent)
        counts = self._counts[ent.id]
        counts.update(cluster.forms)
        self._mentions[ent.id] += sum(cluster.forms.values())
        new = [f for f in cluster.forms if f not in ent.variants]
        self._record_links(ent, cluster, new, pin)
        ent.variants.update(new)
        if ent.id in self._stale:  # loaded: its canonical form was counted elsewhere, recount all
            self._stale.discard(ent.id)
            ent.canonical = canonical_form(counts)
        else:  # only the counts of cluster.forms grew, so only they can overtake the canonical form
            ent.canonical = canonical_form(Counter({f: counts[f] for f in (ent.canonical, *cluster.forms)}))
        ent.canonical = self._fixed.get(ent.id, ent.canonical)
        ent.roles |= cluster.roles
        self._reindex(ent, new)
        latin_seen = self._latin_forms.get(ent.id)
        ent.latin = min(latin_seen, key=lambda f: (-counts[f], f)) if latin_seen else _transliterate(ent.canonical)
        return ent.id

    def resolve_article(self, article: Article) -> None:
        """Replace the ``"entities"`` layer with spans whose ``ref`` is the entity id."""
        mentions = article.spans("entities")
        if not mentions:
            return
        mentions = self._unglue(article, mentions)
        roles = roles_for(article)
        clusters = _cluster_mentions(article, mentions, roles, self.settings)
        refs: dict[tuple[int, int, str], str] = {}
        for c, pin in self._pinned(article, clusters, roles):
            eid = self._add(c, pin)
            for s in c.spans:
                refs[(s.start, s.end, s.label)] = eid
        article.set_layer("entities", [Span(s.start, s.end, s.label, s.stage, refs.get((s.start, s.end, s.label))) for s in mentions])


    def _unglue(self, article: Article, mentions: list[Span]) -> list[Span]:
        """Split mentions that run an organisation or a title into a known person's full name.

        The tagger often reads "... باسم الاتحاد وائل السعدي" as one ORG span,
        which would make the federation the speaker. When the last two or more
        name tokens of a mention are, as written, a person this article names
        on their own or a variant of a PER entity already known, or a given
        name (no ال) and a surname the article uses alone as a person ("وقال
        السعدي") or right after "باسم" (a spokesman's organisation is
        followed by the spokesman's name), they become a PER mention; the rest
        stays a mention of its label (dropped when that label was PER: then it
        is a title fragment, "الرياضة عمر الكبيسي").
        """
        text = article.text
        people = {_name_tokens(text[m.start:m.end]) for m in mentions if m.label == "PER"}
        surnames = {p[0] for p in people if len(p) == 1}
        people = {p for p in people if len(p) >= 2}
        out: list[Span] = []
        changed = False
        for m in mentions:
            ws = words(text[m.start:m.end])
            split = None
            if len(ws) >= 3:
                for k in range(1, len(ws) - 1):
                    tail = _name_tokens(text[m.start + ws[k][0]:m.end])
                    given = fold(text[m.start + ws[k][0]:m.start + ws[k][1]])
                    if len(tail) >= 2 and (tail in people or any(
                            self._entities[i].type == "PER" for i in _ids(self._by_spelling.get(tail)))
                            or (len(tail) == 2 and not given.startswith("ال")
                                and (tail[-1] in surnames or _after_spokesman(text, m.start)))):
                        split = k
                        break
            if split is None:
                out.append(m)
                continue
            if m.label != "PER":
                out.append(Span(m.start, m.start + ws[split - 1][1], m.label, m.stage))
            out.append(Span(m.start + ws[split][0], m.end, "PER", m.stage))
            changed = True
        if changed:
            article.set_layer("entities", out)
        return out

    # ---- user pins: alias file, split and merge rules (khabar.aliases) ----------------
    def pin_aliases(self, table: AliasTable) -> None:
        """Give every alias entry one entity, and every listed form a direct route to it.

        An entry's entity is the one a previous run made for it (id
        :func:`entity_id` of its type and canonical name, or that id with a
        suffix, holding the same canonical name and type), else a new one.
        Its canonical name is the file's, its variants include every listed
        form, and it is indexed like any entity, so unlisted forms still join
        it through the automatic rules (the file extends them). Listed forms
        never go through matching (:meth:`_pinned`), so two entries are never
        merged. Later calls override earlier ones for the same form.
        """
        for entry in table.entries:
            ent = self._entry_entity(entry.canonical, entry.type)
            self._changed[ent.id] = None  # saved with the first batch: the file's name or Wikidata id may be new
            new = [f for f in entry.forms if f not in ent.variants]
            links = self._links.setdefault(ent.id, {})
            for f in new:
                links[f] = ("user", 1.0)
            ent.variants.update(new)
            self._reindex(ent, new)
            ent.canonical = self._fixed[ent.id] = entry.canonical
            latin = sorted(f for f in ent.variants if _is_latin(f))
            ent.latin = latin[0] if latin else _transliterate(entry.canonical)
            if entry.wikidata:
                self.wikidata[ent.id] = entry.wikidata
            for f in entry.forms:
                self._pins[form_key(f)] = _Pin(ent.id, extend=True)

    def _entry_entity(self, canonical: str, type_: str) -> Entity:
        """The entity an alias entry already has in the registry, else a new one (deterministic id)."""
        base = entity_id(type_, canonical)
        for eid in (base, *(f"{base}-{n}" for n in range(2, self._next_suffix.get(base, 2) + 8))):
            ent = self._entities.get(eid)
            if ent is not None and ent.canonical == canonical and ent.type == type_:
                return ent
        eid = self._new_id(type_, canonical)
        ent = self._entities[eid] = Entity(id=eid, canonical=canonical, type=type_)
        self._counts[eid] = Counter()
        self._mentions[eid] = 0
        self._born[eid] = len(self._born)
        self._changed[eid] = None
        return ent

    def pin_forms(self, forms: Iterable[str], target: str, *, extend: bool) -> bool:
        """Send mentions written one of ``forms`` to entity ``target`` (a user split or merge rule).

        ``extend``: unlisted forms clustered with them in an article follow
        them (a merge); else those go through matching as usual (a split: the
        long name stays with the entity it was split from), and ``target`` is
        closed: matching never offers it, so only these forms reach it and the
        two entities stay apart. Returns False (and logs why) when ``target``
        is unknown: the rule is then ignored.
        """
        if target not in self._entities:
            log.warning("user rule names entity %s, which the store no longer holds; ignored", target)
            return False
        for f in forms:
            self._pins[form_key(f)] = _Pin(target, extend=extend)
        if not extend:
            self._closed.add(target)  # a split-off entity: matching never offers it, so the two stay apart
        return True

    def _pinned(self, article: Article, clusters: list[_Cluster], roles: dict[int, str]) -> list[tuple[_Cluster, _Pin | None]]:
        """Split clusters by pin: pinned mentions go to their entity, the rest are matched as usual.

        A cluster with one extending pin goes whole to its entity (unlisted
        short forms follow the listed long form); with several pins, or a
        non-extending one, each pinned group is its own cluster and the
        unpinned mentions form one more. O(mentions) when no pin is set.
        """
        if not self._pins:
            return [(c, None) for c in clusters]
        out: list[tuple[_Cluster, _Pin | None]] = []
        for c in clusters:
            groups: dict[_Pin | None, list[Span]] = {}
            for s in c.spans:
                groups.setdefault(self._pins.get(form_key(surface(article.span_text(s)))), []).append(s)
            pins = [p for p in groups if p is not None]
            if not pins or len(groups) == 1 or (len(pins) == 1 and pins[0].extend):
                out.append((c, pins[0] if pins else None))
                continue
            for pin, spans in groups.items():
                out.append((self._subcluster(article, spans, roles), pin))
        return out

    def _subcluster(self, article: Article, spans: list[Span], roles: dict[int, str]) -> _Cluster:
        """A cluster of ``spans`` built as :func:`_cluster_mentions` builds one."""
        c = _Cluster()
        for s in sorted(spans, key=lambda x: x.start):
            form = surface(article.span_text(s))
            c.add(form, "LATIN:" + s.label if _is_latin(form) else s.label, s, self._min_len)
            if s.start in roles:
                c.roles.add(surface(roles[s.start]))
        return c

    def _record_links(self, ent: Entity, cluster: _Cluster, new: list[str], pin: _Pin | None) -> None:
        """Note how each of ``new`` (forms not yet variants of ``ent``) joins it, and how sure that is.

        A form pinned to ``ent`` by the user is ``user`` 1.0; the form that
        creates an entity is ``first`` 1.0; others are rated by
        :func:`khabar.aliases.how_joined` against the entity's 32 variants
        closest in length and the article's other forms of it (bounded cost).
        """
        if not new:
            return
        links = self._links.setdefault(ent.id, {})
        created = not ent.variants
        known = sorted(ent.variants, key=lambda v: (abs(len(v) - len(new[0])), v))[:32]
        for f in new:
            if pin is not None and self._pins.get(form_key(f)) == pin:
                links[f] = ("user", 1.0)
            elif created and f == ent.canonical:
                links[f] = ("first", 1.0)
            else:
                links[f] = how_joined(f, known, cluster.forms)

    def variant_links(self, entities: Iterable[Entity]) -> list[tuple[str, str, str, float]]:
        """``(entity id, variant, how, confidence)`` recorded this session for ``entities``' variants."""
        return [(e.id, v, *hl) for e in entities for v, hl in sorted(self._links.get(e.id, {}).items())
                if v in e.variants]

    def wikidata_of(self, entities: Iterable[Entity]) -> dict[str, str]:
        """``{entity id: Wikidata id}`` the alias file gives for ``entities``."""
        return {e.id: self.wikidata[e.id] for e in entities if e.id in self.wikidata}


@dataclass(frozen=True, slots=True)
class _Pin:
    """Where the user sends a form: ``target`` entity id; ``extend``: its cluster's unlisted forms follow."""

    target: str
    extend: bool


EntityMark = tuple[str, str, str | None, int, int]


def entity_mark(e: Entity) -> EntityMark:
    """What :meth:`Store.save_entities` writes, cheaply: variants and roles only ever grow, so their counts suffice."""
    return (e.canonical, e.type, e.latin, len(e.variants), len(e.roles))


class _CanonicalNames(Mapping[str, str]):
    """Entity id -> canonical form over a registry's entities, read when asked (see :meth:`EntityRegistry.names`)."""

    def __init__(self, entities: dict[str, Entity]) -> None:
        self._entities = entities

    def __getitem__(self, key: str) -> str:
        return self._entities[key].canonical

    def __iter__(self) -> Iterator[str]:
        return iter(self._entities)

    def __len__(self) -> int:
        return len(self._entities)


def surface(text: str) -> str:
    """A mention's text as the registry keeps it: spaces collapsed, surrounding quotes dropped."""
    return " ".join(text.split()).strip("\"'“”«»‘’ ")


def canonical_form(counts: Counter[str]) -> str:
    """The canonical name among the forms counted in ``counts``.

    Prefer Arabic script, then full (multi-word) forms, then frequency, then length.
    """
    return min(counts, key=lambda f: (_is_latin(f), not _is_full(f), -counts[f], -len(_name_tokens(f)), f))


def _cluster_mentions(article: Article, mentions: list[Span], roles: dict[int, str], settings: dict[str, Any] | None) -> list[_Cluster]:
    """Group one article's mentions: longer forms first, a bare name to the nearest earlier full form."""
    order = sorted(mentions, key=lambda s: (-len(_name_tokens(article.span_text(s))), s.start))
    min_len = _cfg(settings)[0]
    clusters: list[_Cluster] = []
    for s in order:
        form = surface(article.span_text(s))
        if not _name_tokens(form):
            continue
        label = "LATIN:" + s.label if _is_latin(form) else s.label
        key, query = _name_tokens(form), _form_keys(form, True, False, min_len)
        # Cheap necessary condition first (see _Cluster.matches), then the rules.
        hits = [
            c for c in clusters if (key in c.spellings or not query.isdisjoint(c.keys)) and c.matches(form, s.label, settings)
        ]
        if len(hits) > 1:
            before = [c for c in hits if any(x.start < s.start for x in c.spans)]
            pool = before or hits
            hits = [max(pool, key=lambda c: max((x.start for x in c.spans if x.start < s.start), default=-1))]
        c = hits[0] if hits else _Cluster()
        if not hits:
            clusters.append(c)
        c.add(form, label, s, min_len)
        if s.start in roles:
            c.roles.add(surface(roles[s.start]))
    return clusters


def alias_keys(form: str, *, query: bool, person: bool, settings: dict[str, Any] | None = None) -> frozenset[int]:
    """Retrieval keys for callers outside the registry (search's name expansion).

    ``alias_same(a, b, type)`` implies ``alias_keys(a, query=True, person=False) &
    alias_keys(b, query=False, person=(type == "PER"))`` is not empty (as the
    registry itself queries: ``person`` matters for the indexed side only), so a
    caller may index variants by these keys and run ``alias_same`` only on the
    variants a query form shares a key with.
    """
    return _form_keys(form, query, person, _cfg(settings)[0])
