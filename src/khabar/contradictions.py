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
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from khabar.arabic import fold, match_key, strip_clitics, words
from khabar.model import Article, Claim, ClaimMember
from khabar.stance import ANTONYMS, NEGATIONS

DEFAULTS: dict[str, float] = {"contradiction_min_overlap": 0.5}
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
_MONTHS = frozenset(
    match_key(
        "يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر "
        "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين "
        "السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة أمس اليوم غدا"
    ).split()
)
_NUMBER_WORDS = frozenset(
    match_key(
        "واحد واحدة اثنان اثنين ثلاثة ثلاث أربعة أربع خمسة خمس ستة ست سبعة سبع ثمانية ثماني تسعة تسع عشرة عشر "
        "عشرون عشرين ثلاثون ثلاثين أربعون أربعين خمسون خمسين مئة مائة مئات ألف آلاف مليون ملايين مليار"
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


def _tokens(st: StatementText) -> list[_Tok]:
    out = []
    for s, e in words(st.text):
        key = strip_clitics(fold(st.text[s:e]))
        out.append(_Tok(key, st.offset + s, st.offset + e))
    return out


def _is_number(key: str) -> bool:
    return key.replace(".", "").replace(",", "").isdigit() or key in _NUMBER_WORDS


def _entity_label(st: StatementText, toks: list[_Tok]) -> tuple[str | None, str | None]:
    for s, e, label, ref in st.entities:
        if any(s <= t.start and t.end <= e for t in toks):
            return label, ref
    return None, None


def _span(toks: list[_Tok]) -> tuple[int, int] | None:
    return (toks[0].start, toks[-1].end) if toks else None


def _overlap(ta: list[_Tok], tb: list[_Tok]) -> float:
    sa = {t.key for t in ta if t.key not in _STOP and t.key not in NEGATIONS}
    sb = {t.key for t in tb if t.key not in _STOP and t.key not in NEGATIONS}
    return 2 * len(sa & sb) / (len(sa) + len(sb)) if sa and sb else 0.0


def compare(a: StatementText, b: StatementText, *, min_overlap: float = 0.5) -> Contradiction | None:
    """The contradiction between ``a`` and ``b``, or None when they agree or are about different things.

    Args:
        a, b: the statements.
        min_overlap: Dice overlap of topical words, in [0, 1], below which the two
            are taken to be about different things.
    """
    if not 0.0 <= min_overlap <= 1.0:
        raise ValueError(f"min_overlap must be in [0.0, 1.0], got {min_overlap}")
    ta, tb = _tokens(a), _tokens(b)
    if _overlap(ta, tb) < min_overlap:
        return None
    diffs: list[Difference] = []
    neg_a = [t for t in ta if t.key in NEGATIONS]
    neg_b = [t for t in tb if t.key in NEGATIONS]
    if len(neg_a) % 2 != len(neg_b) % 2:
        diffs.append(Difference("negation", _span(neg_a), _span(neg_b)))
    for x, y in _ANTONYMS:
        for p, q in ((x, y), (y, x)):
            ha = [t for t in ta if t.key == p]
            hb = [t for t in tb if t.key == q]
            if ha and hb and not any(t.key == p for t in tb) and not any(t.key == q for t in ta):
                diffs.append(Difference("antonym", _span(ha[:1]), _span(hb[:1])))
    ca = [t for t in ta if t.key not in NEGATIONS]
    cb = [t for t in tb if t.key not in NEGATIONS]
    sm = difflib.SequenceMatcher(a=[t.key for t in ca], b=[t.key for t in cb], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "replace" or i2 - i1 > 4 or j2 - j1 > 4:
            continue
        ra, rb = ca[i1:i2], cb[j1:j2]
        kind = _replace_kind(a, b, ra, rb, ca[i1 - 1].key if i1 > 0 else "", cb[j1 - 1].key if j1 > 0 else "")
        if kind is not None:
            diffs.append(Difference(kind, _span(ra), _span(rb)))
    return Contradiction(a.id, b.id, tuple(diffs)) if diffs else None


def _replace_kind(
    a: StatementText, b: StatementText, ra: list[_Tok], rb: list[_Tok], before_a: str, before_b: str
) -> str | None:
    """What kind of change a replaced run of words is, or None for a mere rewording."""
    keys = [t.key for t in ra + rb]
    if any(k in _MONTHS for k in keys) or any(len(k) == 4 and k.isdigit() and 1900 <= int(k) <= 2100 for k in keys):
        return "date"
    if any(_is_number(t.key) for t in ra) and any(_is_number(t.key) for t in rb):
        return "number"
    if {t.key for t in ra} & {t.key for t in rb}:
        return None
    (la, refa), (lb, refb) = _entity_label(a, ra), _entity_label(b, rb)
    if la and lb and refa != refb:
        if la == lb == "LOC":
            return "place"
        if la in ("PER", "ORG") and lb in ("PER", "ORG"):
            return "actor"
    if not a.entities and not b.entities and before_a == before_b and before_a in _PLACE_PREPS and len(ra) == len(rb) == 1:
        return "place"
    return None


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
    settings: dict | None = None, max_members: int = 20,
) -> list[tuple[ClaimMember, ClaimMember, Contradiction]]:
    """Pairs of one claim's members, from different sources and neither a denial, that contradict each other.

    Reads stored data only (article texts and mention spans), so a dossier can
    ask at read time. The first ``max_members`` affirming members are compared
    (every pair: the cost is quadratic), which bounds the work on a big story.
    """
    cfg = {**DEFAULTS, **{k: v for k, v in (settings or {}).items() if k in DEFAULTS}}
    keep = [m for m in claim.members if m.stance != "deny" and m.article_id in texts][:max_members]
    sts = []
    for m in keep:
        ents = tuple(e for e in mentions.get(m.article_id, ()) if m.start <= e[0] and e[1] <= m.end)
        sts.append(StatementText(f"{m.article_id}:{m.start}-{m.end}", texts[m.article_id][m.start : m.end], m.start, ents))
    out = []
    for (ma, a), (mb, b) in itertools.combinations(zip(keep, sts, strict=True), 2):
        if (ma.source_entity or fold(ma.source)) == (mb.source_entity or fold(mb.source)):
            continue
        c = compare(a, b, min_overlap=float(cfg["contradiction_min_overlap"]))
        if c is not None:
            out.append((ma, mb, c))
    return out
