"""Contradictions between two statements that use no denial verb.

Two accounts of one event contradict each other when they are about the same
thing (most topical words shared) and differ in a way that cannot both be true:

* negation: one is negated and the other is not ("توقفت المحادثات" / "لم تتوقف");
* antonyms: opposite words ("توقف" / "استمرار", "ارتفع" / "انخفض");
* numbers and dates: "قتل 12" / "قتل 30", "يوم الاثنين" / "يوم الخميس", "2022" / "2023";
* places and actors: a changed entity (LOC -> place, PER/ORG -> actor) or, without
  entity spans, a changed word after a place preposition ("في دمشق" / "في حلب").

Words are compared through :func:`khabar.arabic.match_key` folding (per word,
with offsets kept), aligned with :class:`difflib.SequenceMatcher`. Every
difference is reported with its spans in both statements; a span is
``(start, end)`` into the statement's source text: a :class:`StatementText`
carries ``offset``, its position there (an article's ``text``), so spans index
``Article.text`` directly. Works the same on a tweet as on a news article.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from khabar.arabic import fold, match_key, strip_clitics, words
from khabar.cues import PLACE_HEADS, STATEMENT_NEGATORS
from khabar.model import Article, Claim, ClaimMember
from khabar.stance import ANTONYMS, NEGATIONS

DEFAULTS: dict[str, float] = {"contradiction_min_overlap": 0.5, "contradiction_max_members": 20}
KINDS: tuple[str, ...] = ("negation", "antonym", "number", "date", "place", "actor")

# Continue / stop and similar pairs beyond the pair model's antonym table (folded, clitic-stripped).
_EXTRA_ANTONYMS: tuple[tuple[str, str], ...] = tuple(
    (match_key(a), match_key(b))
    for a, b in (
        ("توقف", "استمرار"), ("توقف", "استمر"), ("توقفت", "استمرت"), ("يتوقف", "يستمر"), ("أوقف", "واصل"),
        ("توقف", "واصل"), ("توقفت", "تواصلت"), ("انتهت", "استمرت"), ("انسحب", "تقدم"), ("انسحاب", "تقدم"),
        ("حي", "ميت"), ("نجا", "قتل"), ("أفرج", "اعتقل"), ("الإفراج", "اعتقال"), ("ألغى", "أقر"), ("إلغاء", "إقرار"),
        ("صحيح", "كاذب"), ("صحيحة", "كاذبة"), ("مؤيد", "معارض"), ("أيد", "عارض"), ("ربح", "خسر"),
    )
)
_ANTONYMS = frozenset(ANTONYMS) | frozenset(_EXTRA_ANTONYMS)
# Absolute date words: month and weekday names. "اليوم" / "أمس" / "غدا" are left out: they count from
# each article's own date, so two outlets publishing a day apart say "اليوم" and "أمس" of one event.
_MONTHS = frozenset(
    match_key(
        "يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر "
        "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين "
        "السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة"
    ).split()
)
_NEGATORS = frozenset(match_key(" ".join(STATEMENT_NEGATORS)).split())
_STATES = frozenset(strip_clitics(w) for w in PLACE_HEADS) | frozenset(match_key("المملكة الدولة البلاد").split())
_NUMBER_RE = re.compile(r"\d+(?:[.,٫]\d+)?")
# Values of the number words that stand alone ("ألف موظف" / "1000 موظف"); plurals (آلاف) have none.
_WORD_VALUES: dict[str, float] = {
    match_key(w): float(v)
    for ws, v in (("واحد واحدة", 1), ("اثنان اثنين", 2), ("ثلاثة ثلاث", 3), ("أربعة أربع", 4), ("خمسة خمس", 5),
                  ("ستة ست", 6), ("سبعة سبع", 7), ("ثمانية ثماني", 8), ("تسعة تسع", 9), ("عشرة عشر", 10),
                  ("عشرون عشرين", 20), ("ثلاثون ثلاثين", 30), ("أربعون أربعين", 40), ("خمسون خمسين", 50),
                  ("مئة مائة", 100), ("ألف", 1000), ("مليون", 1e6), ("مليار", 1e9))
    for w in ws.split()
}
# Ordinals: two reports of "the fourth" and "the fifth" relief flight are about two events, not one.
_ORDINALS = frozenset(
    match_key(
        "الأول الأولى الثاني الثانية الثالث الثالثة الرابع الرابعة الخامس الخامسة السادس السادسة السابع السابعة "
        "الثامن الثامنة التاسع التاسعة العاشر العاشرة"
    ).split()
)
_PLACE_PREPS = frozenset(match_key("في من إلى الى نحو قرب داخل بمدينة مدينة محافظة منطقة").split())
_STOP = frozenset(match_key("و في من على الى إلى عن مع ان أن إن أنه كان كانت قد هذا هذه التي الذي يوم ما").split())


@dataclass(frozen=True, slots=True)
class StatementText:
    """A statement to compare: its text and where that text sits in its source.

    Args:
        id: caller's id ("article:start-end").
        text: the statement.
        offset: index of ``text[0]`` in the source text (0 for a standalone text).
        entities: ``(start, end, label, ref)`` spans in source offsets.
    """

    id: str
    text: str
    offset: int = 0
    entities: tuple[tuple[int, int, str, str | None], ...] = ()


@dataclass(frozen=True, slots=True)
class Difference:
    """One way two statements differ: ``kind`` (one of :data:`KINDS`) and the spans in each (None: absent)."""

    kind: str
    a: tuple[int, int] | None
    b: tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Statements ``a`` and ``b`` (ids) contradict each other through ``differences``."""

    a: str
    b: str
    differences: tuple[Difference, ...] = field(default_factory=tuple)

    @property
    def kinds(self) -> set[str]:
        return {d.kind for d in self.differences}


@dataclass(frozen=True, slots=True)
class _Tok:
    key: str
    start: int  # source offsets
    end: int


@functools.lru_cache(maxsize=1 << 16)
def _key(word: str) -> str:
    key = strip_clitics(fold(word))
    # "ولم نسجل" is "لم نسجل": a negator with و / ف (too short for strip_clitics) is the negator
    return key[1:] if len(key) > 2 and key[0] in "وف" and key[1:] in _NEGATORS else key


def _tokens(st: StatementText) -> list[_Tok]:
    return [_Tok(_key(st.text[s:e]), st.offset + s, st.offset + e) for s, e in words(st.text)]



def _entity_label(st: StatementText, toks: list[_Tok]) -> tuple[str | None, str | None, str]:
    """Label, entity id and clitic-free folded surface of the first mention inside ``toks``."""
    for s, e, label, ref in st.entities:
        if any(s <= t.start and t.end <= e for t in toks):
            surface = strip_clitics(fold(st.text[s - st.offset : e - st.offset])).replace(" ", "")
            return label, ref, surface
    return None, None, ""


def _span(toks: list[_Tok]) -> tuple[int, int] | None:
    return (toks[0].start, toks[-1].end) if toks else None


def _topical(ts: list[_Tok]) -> set[str]:
    return {t.key for t in ts if t.key not in _STOP and t.key not in NEGATIONS}


def _dice(sa: set[str], sb: set[str]) -> float:
    return 2 * len(sa & sb) / (len(sa) + len(sb)) if sa and sb else 0.0


def _overlap(ta: list[_Tok], tb: list[_Tok]) -> float:
    return _dice(_topical(ta), _topical(tb))


def compare(a: StatementText, b: StatementText, *, min_overlap: float = 0.5, guess_places: bool = True) -> Contradiction | None:
    """The contradiction between ``a`` and ``b``, or None when they agree or are about different things.

    Args:
        a, b: the statements.
        min_overlap: Dice overlap of topical words, in [0, 1], below which the two
            are taken to be about different things.
        guess_places: without entity spans on either side, take a changed word after
            a place preposition ("في دمشق" / "في حلب") for a changed place. Statements
            of analysed articles pass False: NER has said which words are places.
    """
    if not 0.0 <= min_overlap <= 1.0:
        raise ValueError(f"min_overlap must be in [0.0, 1.0], got {min_overlap}")
    return _compare(a, b, _tokens(a), _tokens(b), min_overlap, guess_places)


def _compare(a: StatementText, b: StatementText, ta: list[_Tok], tb: list[_Tok], min_overlap: float,
             guess_places: bool) -> Contradiction | None:
    """:func:`compare` on words already split (a claim's members are each compared with all the others)."""
    if min_overlap > 0 and _overlap(ta, tb) < min_overlap:
        return None
    oa, ob = {t.key for t in ta} & _ORDINALS, {t.key for t in tb} & _ORDINALS
    if oa and ob and oa != ob:
        return None  # "the fourth flight" / "the fifth flight": two events
    diffs: list[Difference] = []
    neg_a, neg_b = _negated(ta, tb), _negated(tb, ta)
    if bool(neg_a) != bool(neg_b):
        diffs.append(Difference("negation", _span(neg_a), _span(neg_b)))
    ka, kb = {t.key for t in ta}, {t.key for t in tb}
    for x, y in _ANTONYMS:
        for p, q in ((x, y), (y, x)):
            if p in ka and q in kb and p not in kb and q not in ka:
                ha = next(t for t in ta if t.key == p)
                hb = next(t for t in tb if t.key == q)
                diffs.append(Difference("antonym", _span([ha]), _span([hb])))
    ca = [t for t in ta if t.key not in _NEGATORS]
    cb = [t for t in tb if t.key not in _NEGATORS]
    sm = difflib.SequenceMatcher(a=[t.key for t in ca], b=[t.key for t in cb], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "replace" or i2 - i1 > 4 or j2 - j1 > 4:
            continue
        ra, rb = ca[i1:i2], cb[j1:j2]
        kind = _replace_kind(a, b, ra, rb, ca[i1 - 1].key if i1 > 0 else "", cb[j1 - 1].key if j1 > 0 else "",
                             guess_places)
        if kind is not None:
            diffs.append(Difference(kind, _span(ra), _span(rb)))
    return Contradiction(a.id, b.id, tuple(diffs)) if diffs else None


def _replace_kind(
    a: StatementText, b: StatementText, ra: list[_Tok], rb: list[_Tok], before_a: str, before_b: str,
    guess_places: bool = True,
) -> str | None:
    """What kind of change a replaced run of words is, or None for a mere rewording."""
    da, db = _dates(ra), _dates(rb)
    if da or db:
        return "date" if da and db and da != db else None  # a date on one side only is a detail, not a change
    na, nb = _numbers(a, ra), _numbers(b, rb)
    if na and nb:
        return "number" if na != nb else None  # "136.12" / "بـ 136.12", "44.53" / "44,53": the same figure
    if {t.key for t in ra} & {t.key for t in rb}:
        return None
    ja, jb = (fold(st.text[r[0].start - st.offset : r[-1].end - st.offset]).replace(" ", "") for st, r in ((a, ra), (b, rb)))
    if ja in jb or jb in ja:
        return None  # "عبد العزيز" / "عبدالعزيز آل سعود": the same name, spaced or lengthened
    (la, refa, sa), (lb, refb, sb) = _entity_label(a, ra), _entity_label(b, rb)
    if la and lb and refa != refb and sa != sb and min(len(sa), len(sb)) >= 3:
        if la == lb == "LOC" and not {sa, sb} & _STATES:
            return "place"  # countries and capitals stand for their governments: "المملكة" / "الرياض" / "السعودية"
        if la in ("PER", "ORG") and lb in ("PER", "ORG"):
            return "actor"
    if (guess_places and not a.entities and not b.entities and before_a == before_b and before_a in _PLACE_PREPS
            and len(ra) == len(rb) == 1 and not {ra[0].key, rb[0].key} & (_ORDINALS | _STOP)):
        return "place"
    return None


_VERB_PREFIXES = ("ت", "ي", "ن", "أ", "ا")
_VERB_SUFFIXES = ("وا", "ون", "ت", "ا", "ن")


@functools.lru_cache(maxsize=1 << 16)
def _forms(key: str) -> frozenset[str]:
    """A word and its forms without a person prefix and / or suffix, so "تتوقف" and "توقفت" meet."""
    out = {key}
    for k in (key, key[1:] if len(key) > 3 and key.startswith(_VERB_PREFIXES) else key):
        out.add(k)
        out.update(k[: -len(suf)] for suf in _VERB_SUFFIXES if len(k) - len(suf) >= 3 and k.endswith(suf))
    return frozenset(out)


def _negated(ta: list[_Tok], tb: list[_Tok]) -> list[_Tok]:
    """Negators of ``ta`` governing a word the other statement holds too ("لم تتوقف" / "توقفت")."""
    if not any(t.key in _NEGATORS for t in ta):
        return []
    other = set().union(*(_forms(t.key) for t in tb)) if tb else set()
    out = []
    for k, t in enumerate(ta):
        if t.key in _NEGATORS:
            nxt = next((x for x in ta[k + 1 : k + 4] if x.key not in _STOP), None)
            if nxt is not None and _forms(nxt.key) & other:
                out.append(t)
    return out


def _dates(run: list[_Tok]) -> set[str]:
    """Month and weekday names and years in a run of words."""
    return {t.key for t in run if t.key in _MONTHS or (len(t.key) == 4 and t.key.isdigit() and 1900 <= int(t.key) <= 2100)}


def _numbers(st: StatementText, run: list[_Tok]) -> set[float]:
    """Numeric values written in a run (digits anywhere in its text, decimal point or comma), else number words."""
    if not run:
        return set()
    text = st.text[run[0].start - st.offset : run[-1].end - st.offset]
    values = {float(m.group().replace(",", ".").replace("٫", ".")) for m in _NUMBER_RE.finditer(fold(text))}
    if values:
        return values
    words_ = [_WORD_VALUES[t.key] for t in run if t.key in _WORD_VALUES]
    return set(words_) if len(words_) == 1 else set()  # "ثماني عشرة" is 18: compounds are not read


def find_contradictions(statements: Sequence[StatementText], *, settings: dict | None = None) -> list[Contradiction]:
    """Every pair of ``statements`` that contradict each other, in input order.

    Args:
        statements: what to compare (each pair once).
        settings: the ``[claims]`` section (``contradiction_min_overlap``).
    """
    cfg = {**DEFAULTS, **{k: v for k, v in (settings or {}).items() if k in DEFAULTS}}
    out = []
    for a, b in itertools.combinations(statements, 2):
        c = compare(a, b, min_overlap=float(cfg["contradiction_min_overlap"]))
        if c is not None:
            out.append(c)
    return out


def member_statements(claim: Claim, articles: dict[str, Article]) -> list[StatementText]:
    """A claim's members as statements, with their articles' entity spans (article offsets)."""
    out = []
    for m in claim.members:
        art = articles.get(m.article_id)
        if art is None:
            continue
        ents = tuple(
            (e.start, e.end, e.label, e.ref) for e in art.spans("entities") if m.start <= e.start and e.end <= m.end
        )
        out.append(StatementText(f"{m.article_id}:{m.start}-{m.end}", art.text[m.start : m.end], m.start, ents))
    return out


def claim_contradictions(
    claims: Sequence[Claim], articles: Sequence[Article], *, settings: dict | None = None
) -> dict[str, list[Contradiction]]:
    """Contradictions among the members of each claim that neither denies outright, by claim id.

    Explicit denials are the stance's business (:func:`khabar.stance.speaker_stance`);
    this finds accounts that differ in a number, date, place, actor or negation.
    """
    by_id = {a.id: a for a in articles}
    out: dict[str, list[Contradiction]] = {}
    for c in claims:
        keep = [m for m in c.members if m.stance != "deny"]
        sts = member_statements(Claim(c.id, c.story_id, c.text, keep), by_id)
        found = find_contradictions(sts, settings=settings)
        if found:
            out[c.id] = found
    return out


def claim_member_contradictions(
    claim: Claim, texts: Mapping[str, str], mentions: Mapping[str, Sequence[tuple[int, int, str, str | None]]], *,
    days: Mapping[str, float] | None = None, settings: dict | None = None, max_members: int | None = None,
    max_days: float = 1.0, max_differences: int = 2, max_words: int = 60,
) -> list[tuple[ClaimMember, ClaimMember, Contradiction]]:
    """Pairs of one claim's members, from different sources (or one source quoted by two outlets) and neither a
    denial, that contradict each other.

    Reads stored data only (article texts and mention spans), so a dossier can
    ask at read time. The first ``max_members`` affirming members are compared
    (every pair: the cost is quadratic), which bounds the work on a big story;
    None reads ``contradiction_max_members`` from ``settings`` (0: no comparison).

    Two accounts of one event are published close together and differ in one or
    two points; templated reports (a daily market close, one committee per
    region) differ in many and days apart. So a pair is reported only when its
    articles' days (``days``: article id -> day number, when known) are at most
    ``max_days`` apart and it differs in at most ``max_differences`` places. The
    first ``max_words`` words of each member are compared (the claim is stated
    first; a long quotation's tail adds cost, not evidence).
    """
    cfg = {**DEFAULTS, **{k: v for k, v in (settings or {}).items() if k in DEFAULTS}}
    min_overlap = float(cfg["contradiction_min_overlap"])
    if not 0.0 <= min_overlap <= 1.0:
        raise ValueError(f"contradiction_min_overlap must be in [0.0, 1.0], got {min_overlap}")
    if max_members is None:
        max_members = int(cfg["contradiction_max_members"])
    keep = [m for m in claim.members if m.stance != "deny" and m.article_id in texts][:max_members]
    sts = []
    for m in keep:
        ents = tuple(e for e in mentions.get(m.article_id, ()) if m.start <= e[0] and e[1] <= m.end)
        sts.append(StatementText(f"{m.article_id}:{m.start}-{m.end}", texts[m.article_id][m.start : m.end], m.start, ents))
    toks = [_tokens(x)[:max_words] for x in sts]
    seqs = [tuple(t.key for t in ts) for ts in toks]
    topical = [_topical(ts) for ts in toks]
    tolls = [_tolls(ts) for ts in toks]
    out = []
    for i, j in itertools.combinations(range(len(keep)), 2):
        (ma, a, ta), (mb, b, tb) = (keep[i], sts[i], toks[i]), (keep[j], sts[j], toks[j])
        if seqs[i] == seqs[j]:
            continue  # copies of one wording cannot contradict
        if (ma.source_entity or fold(ma.source)) == (mb.source_entity or fold(mb.source)) and ma.outlet == mb.outlet:
            continue  # one speaker in one outlet; quoted with 10 km by one outlet and 25 km by another is a conflict
        da, db = (days or {}).get(ma.article_id), (days or {}).get(mb.article_id)
        if da is not None and db is not None and abs(da - db) > max_days:
            continue
        if (toll := _toll_difference(tolls[i], tolls[j])) is not None:
            # "لقي 12 شخصا حتفهم" / "ارتفعت الحصيلة إلى 17 قتيلا": two tolls of one event, however worded
            out.append((ma, mb, Contradiction(a.id, b.id, (toll,))))
            continue
        if _dice(topical[i], topical[j]) < min_overlap:
            continue  # unrelated wordings are not compared
        c = _compare(a, b, ta, tb, 0.0, False)
        if c is not None and len(c.differences) <= max_differences:
            out.append((ma, mb, c))
    return out


# A toll: a number, then within three words a word of the dead or of the injured ("12 قتيلا"، "12 شخصا حتفهم"،
# "30 جريحا"، "أكثر من 40 إصابة").
_TOLL_WORDS: dict[str, str] = {
    **{_key(w): "dead" for w in "قتيل قتيلا قتلى وفاة وفيات حتفهم حتفهما حتفه جثة جثث ضحية ضحايا متوفى متوفين".split()},
    **{_key(w): "injured" for w in "جريح جريحا جرحى مصاب مصابا مصابين مصابون إصابة إصابات".split()},
}
_TOLL_REACH = 3


def _tolls(toks: list[_Tok]) -> dict[str, list[_Tok]]:
    """Tolls a statement gives, by kind ("dead", "injured"): the number tokens (:data:`_TOLL_WORDS`)."""
    out: dict[str, list[_Tok]] = {}
    for k, t in enumerate(toks):
        if not t.key.isdigit():
            continue
        kind = next((_TOLL_WORDS[u.key] for u in toks[k + 1 : k + 1 + _TOLL_REACH] if u.key in _TOLL_WORDS), None)
        if kind is not None:
            out.setdefault(kind, []).append(t)
    return out


def _toll_difference(ta: dict[str, list[_Tok]], tb: dict[str, list[_Tok]]) -> Difference | None:
    """A "number" difference when two statements give a toll of one kind and no number in common."""
    for kind in ("dead", "injured"):
        if kind in ta and kind in tb and not {t.key for t in ta[kind]} & {t.key for t in tb[kind]}:
            return Difference("number", _span(ta[kind][:1]), _span(tb[kind][:1]))
    return None
