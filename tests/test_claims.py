"""Claim grouping across two self-written articles of one story."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.attribution import find_attributions
from khabar.claims import claim_matrix, group_claims
from khabar.model import Article, Claim, Span

A1 = (
    "وقال التقرير إن فارس وغسان كانا على اتصال منتظم منذ عام 2020.\n"
    "وقال المدير التنفيذي كريم عادل إن المحطة الشمسية في الواحة ستنتج خمسين ميغاواط من الكهرباء.\n"
    "وقال رئيس البلدية إن الطرق الجديدة ستفتح في الصيف المقبل أمام السيارات.\n"
)
A2 = (
    "وذكرت صحيفة الصباح أن محطة الواحة الشمسية ستنتج خمسين ميغاواط من الكهرباء سنويا.\n"
    "وقال المتحدث: “لم تكن هناك اتصالات بين فارس وغسان”.\n"
    "وأضاف: “هذه المعلومات كاذبة تماما”.\n"
)


def article(aid: str, text: str, source: str, names: dict[str, str]) -> Article:
    a = Article(id=aid, path=f"{aid}.txt", raw=text, text=text, source=source)
    spans = []
    for surface, ref in names.items():
        i = text.find(surface)
        while i >= 0:
            spans.append(Span(i, i + len(surface), "PER", "test", ref))
            i = text.find(surface, i + 1)
    a.add("entities", spans)
    find_attributions(a, settings={})
    return a


@pytest.fixture
def story() -> list[Article]:
    return [
        article("a1", A1, "الأفق", {"فارس": "E1", "غسان": "E2", "كريم عادل": "E3"}),
        article("a2", A2, "الصباح", {"فارس": "E1", "غسان": "E2"}),
    ]


def claim_of(claims, art: Article, needle: str):
    idx = next(i for i, at in enumerate(art.attributions) if needle in art.span_text(at.content))
    return next(c for c in claims if any(m.article_id == art.id and m.attribution_index == idx for m in c.members))


def test_claims_group_same_proposition_across_articles(story: list[Article]) -> None:
    claims = group_claims("S", story, entity_names={"E3": "كريم عادل"}, settings={"own_voice": False})
    power = claim_of(claims, story[0], "ميغاواط")
    assert claim_of(claims, story[1], "ميغاواط") is power
    assert {m.outlet for m in power.members} == {"الأفق", "الصباح"}
    karim = next(m for m in power.members if m.article_id == "a1")
    assert (karim.source, karim.source_entity) == ("كريم عادل", "E3")


def test_claims_link_denial_worded_differently(story: list[Article]) -> None:
    claims = group_claims("S", story, entity_names={}, settings={"own_voice": False})
    contact = claim_of(claims, story[0], "اتصال منتظم")
    denial = claim_of(claims, story[1], "لم تكن هناك")
    vague = claim_of(claims, story[1], "كاذبة")
    assert denial is contact and vague is contact
    stances = sorted(m.stance for m in contact.members)
    assert stances == ["assert", "deny", "deny"]
    assert contact.text == "فارس وغسان كانا على اتصال منتظم منذ عام 2020"  # the assertion, not a denial


def test_claims_keep_unrelated_statement_apart(story: list[Article]) -> None:
    claims = group_claims("S", story, entity_names={}, settings={"own_voice": False})
    roads = claim_of(claims, story[0], "الطرق")
    assert len(roads.members) == 1
    assert roads is not claim_of(claims, story[0], "ميغاواط")


def test_claims_ids_deterministic_and_written_back(story: list[Article]) -> None:
    first = group_claims("S", story, entity_names={}, settings={})
    again = group_claims("S", story, entity_names={}, settings={})
    assert [c.id for c in first] == [c.id for c in again]
    assert all(c.id.startswith("C") for c in first)
    other = group_claims("T", story, entity_names={}, settings={})
    assert {c.id for c in other}.isdisjoint({c.id for c in first})
    for art in story:
        for at in art.attributions:
            assert at.claim_id in {c.id for c in other}  # the latest grouping wrote its ids


def test_claims_own_voice_lead() -> None:
    text = "افتتحت البلدية حديقة عامة جديدة في حي النخيل.\nوقال العمدة إن الحديقة العامة في حي النخيل مفتوحة للجميع."
    a = Article(id="o", path="o.txt", raw=text, text=text, source="المدينة")
    find_attributions(a, settings={})
    claims = group_claims("S", [a], entity_names={}, settings={})
    own = [m for c in claims for m in c.members if m.attribution_index is None]
    assert len(own) == 1 and own[0].source == "المدينة"
    assert text[own[0].start : own[0].end] == "افتتحت البلدية حديقة عامة جديدة في حي النخيل"
    assert len(claims) == 1  # the mayor says the same thing about the park


def test_claim_matrix(story: list[Article]) -> None:
    claims = group_claims("S", story, entity_names={"E3": "كريم عادل"}, settings={"own_voice": False})
    m = claim_matrix(claims)
    assert [c["id"] for c in m["claims"]] == [c.id for c in claims]
    assert "كريم عادل" in m["sources"] and "المتحدث" in m["sources"]
    assert len(m["sources"]) == len(set(m["sources"]))
    cells = [c for c in m["cells"] if c["source"] == "المتحدث"]
    assert {c["stance"] for c in cells} == {"deny"}
    for c in m["cells"]:
        art = next(a for a in story if a.id == c["article_id"])
        assert 0 <= c["start"] < c["end"] <= len(art.text)


def test_claims_on_seeds(seeds_dir: Path) -> None:
    arts = []
    for p in sorted(seeds_dir.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        a = Article(id=p.stem, path=str(p), raw=text, text=text, source=p.stem[:3])
        find_attributions(a, settings={})
        arts.append(a)
    claims = group_claims("seed", arts, entity_names={}, settings={})
    both = [c for c in claims if len({m.article_id for m in c.members}) == 2]
    assert any({"assert", "deny"} <= {m.stance for m in c.members} for c in both)


def _ents(text: str, names: dict[str, tuple[str, str]]) -> list[Span]:
    """Entity spans for every occurrence of each surface: surface -> (ref, label)."""
    spans = []
    for surface, (ref, label) in names.items():
        i = text.find(surface)
        while i >= 0:
            spans.append(Span(i, i + len(surface), label, "test", ref))
            i = text.find(surface, i + len(surface))
    return sorted(spans, key=lambda s: s.start)


def test_claims_sources_resolve_media_and_bare_names() -> None:
    text = (
        "أشار تقرير جديد إلى أن السفينة غادرت الميناء محملة بالقمح.\n"
        "وذكرت صحيفة المرصد اليومي أن السفينة غادرت الميناء ليلا محملة بالقمح.\n"
        "وقال المتحدث باسم الوزارة، هشام الرفاعي، إن السفينة لم تغادر الميناء.\n"
        "وأضاف الرفاعي أن هذه المعلومات كاذبة تماما.\n"
    )
    a = Article(id="m", path="m.txt", raw=text, text=text, source="الأفق")
    a.add("entities", _ents(text, {"المرصد اليومي": ("EM", "ORG"), "الوزارة": ("EW", "ORG"),
                                   "هشام الرفاعي": ("EH", "PER")}))
    find_attributions(a, settings={})
    names = {"EM": "المرصد اليومي", "EH": "هشام الرفاعي", "EW": "الوزارة"}
    claims = group_claims("S", [a], entity_names=names, settings={"own_voice": False})
    by_source = {(m.source, m.stance) for c in claims for m in c.members}
    # "تقرير جديد" is the newspaper named later; "الرفاعي" is the spokesman, not his ministry
    assert ("المرصد اليومي", "assert") in by_source
    assert ("هشام الرفاعي", "deny") in by_source
    assert not any(src in {"تقرير جديد", "الرفاعي", "الوزارة"} for src, _ in by_source)
    m = claim_matrix(claims)
    assert m["sources"].count("هشام الرفاعي") == 1
    assert all(cell["outlet"] == "الأفق" for cell in m["cells"])


def test_claims_anonymous_speaker_credited_to_reporting_outlet() -> None:
    text = "ونقلت صحيفة المرصد اليومي عن مسؤول مطلع قوله إن الميناء سيغلق أسبوعا.\n"
    a = Article(id="n", path="n.txt", raw=text, text=text, source="الأفق")
    a.add("entities", _ents(text, {"المرصد اليومي": ("EM", "ORG")}))
    find_attributions(a, settings={})
    claims = group_claims("S", [a], entity_names={"EM": "المرصد اليومي"}, settings={"own_voice": False})
    sources = {m.source for c in claims for m in c.members}
    assert sources == {"المرصد اليومي"}, sources


def test_claims_tweet_length_rumour_and_official_denial() -> None:
    rumour = "عاجل: انقطاع المياه عن حي الزهور ثلاثة أيام"
    denial = "وزارة المياه: لا صحة لما يتداول عن انقطاع المياه عن حي الزهور"
    t1 = Article(id="t1", path="t1.txt", raw=rumour, text=rumour, source="حساب1")
    t2 = Article(id="t2", path="t2.txt", raw=denial, text=denial, source="حساب2")
    for t in (t1, t2):
        find_attributions(t, settings={})
    claims = group_claims("S", [t1, t2], entity_names={}, settings={})
    linked = [c for c in claims if {m.article_id for m in c.members} == {"t1", "t2"}]
    assert len(linked) == 1, [(c.text, [(m.article_id, m.stance) for m in c.members]) for c in claims]
    stances = {m.article_id: m.stance for m in linked[0].members}
    assert stances["t1"] == "assert" and stances["t2"] == "deny"
    for m in linked[0].members:
        art = t1 if m.article_id == "t1" else t2
        assert 0 <= m.start < m.end <= len(art.text)


GROUP_A = (
    "وقال دميتري بيسكوف، المتحدث باسم الكرملين، إن التقارير عن اتصالات منتظمة بين الرئيس ورجل الأعمال غير صحيحة.\n"
    "وقال المتحدث باسم وزارة الصحة سامي خليل إن المستشفى الجديد سيفتح أبوابه في الربيع.\n"
)
GROUP_B = (
    "وقال الكرملين في بيان إن الاتصالات المنتظمة بين الرئيس ورجل الأعمال لم تحدث أبدا.\n"
    "وقالت الصحيفة إن الرئيس ورجل الأعمال على اتصالات منتظمة منذ عامين.\n"
)


def _tagged(aid: str, text: str, source: str, mentions: list[tuple[str, str, str]], roles: list[str]) -> Article:
    """An article with hand-placed entity mentions ``(surface, label, ref)`` and ROLE phrases."""
    a = Article(id=aid, path=f"{aid}.txt", raw=text, text=text, source=source)
    spans = []
    for surface, label, ref in mentions:
        i = text.find(surface)
        while i >= 0:
            spans.append(Span(i, i + len(surface), label, "test", ref))
            i = text.find(surface, i + 1)
    a.add("entities", sorted(spans, key=lambda s: s.start))
    a.add("roles", [Span(text.find(r), text.find(r) + len(r), "ROLE", "test") for r in roles])
    find_attributions(a, settings={})
    return a


def test_claims_sources_grouped_by_affiliation() -> None:
    ents = [("دميتري بيسكوف", "PER", "P1"), ("الكرملين", "ORG", "K1"), ("سامي خليل", "PER", "P2"),
            ("وزارة الصحة", "ORG", "M1")]
    arts = [
        _tagged("g1", GROUP_A, "الأفق", ents, ["المتحدث باسم الكرملين", "المتحدث باسم وزارة الصحة"]),
        _tagged("g2", GROUP_B, "الصباح", ents, []),
    ]
    names = {"P1": "دميتري بيسكوف", "K1": "الكرملين", "P2": "سامي خليل", "M1": "وزارة الصحة"}
    claims = group_claims("S", arts, entity_names=names, settings={"own_voice": False})
    members = {m.source: m for c in claims for m in c.members}
    assert members["دميتري بيسكوف"].source_group == "الكرملين"  # role after the name, behind a comma
    assert members["سامي خليل"].source_group == "وزارة الصحة"  # role before the name
    assert members["الكرملين"].source_group is None  # the organisation itself has no role phrase
    matrix = claim_matrix(claims)
    groups = {g["name"]: g["sources"] for g in matrix["groups"]}
    assert groups["الكرملين"] == ["الكرملين", "دميتري بيسكوف"]  # the organisation first, then its spokesman
    assert groups["وزارة الصحة"] == ["سامي خليل"]  # the ministry never speaks itself
    assert not any("الصحيفة" in s for g in groups.values() for s in g)
    cell = next(c for c in matrix["cells"] if c["source"] == "دميتري بيسكوف")
    assert cell["source_group"] == "الكرملين" and cell["stance"] == "deny"


def test_claims_role_without_known_entity_gives_no_group() -> None:
    text = "وقال سامي خليل، مدير المستشفى، إن الأجنحة الجديدة ستفتح في الربيع المقبل.\n"
    art = _tagged("g3", text, "الأفق", [("سامي خليل", "PER", "P2")], ["مدير المستشفى"])
    claims = group_claims("S", [art], entity_names={"P2": "سامي خليل"}, settings={"own_voice": False})
    assert [m.source_group for c in claims for m in c.members] == [None]
    assert claim_matrix(claims)["groups"] == []


def test_claims_groups_spokesman_with_kremlin_on_seeds(seeds_dir: Path) -> None:
    from khabar import attribution
    from khabar.ingest import RawDocument, iter_documents
    from khabar.pipeline import process_documents
    from khabar.resolve import EntityRegistry
    from khabar.settings import Settings

    settings = Settings()
    docs = [d for d in iter_documents([seeds_dir], settings=settings.section("ingest")) if isinstance(d, RawDocument)]
    arts, _ = process_documents(docs, settings)
    registry = EntityRegistry.from_entities([])
    for a in arts:
        registry.resolve_article(a)
        attribution.link_speakers(a)
    names = {e.id: e.canonical for e in registry.entities()}
    claims = group_claims("seed", arts, entity_names=names, settings=settings.section("claims"))
    groups = {g["name"]: g["sources"] for g in claim_matrix(claims)["groups"]}
    kremlin = next(k for k in groups if "كرملين" in k)
    assert any("بيسكوف" in s for s in groups[kremlin])
    assert not any("جورنال" in s for g in groups.values() for s in g)  # the newspaper speaks for no one


def test_claims_do_not_chain_two_propositions_through_one_bridging_statement():
    """A~B and B~C but A and C share no topic: average-link guard keeps A and C apart."""
    from khabar.claims import _link_groups, _UnionFind

    uf = _UnionFind(3)
    _link_groups(uf, [(0.9, 0, 1), (0.8, 1, 2)], min_share=0.6)
    assert uf.find(0) == uf.find(1) and uf.find(2) != uf.find(0)
    uf = _UnionFind(3)
    _link_groups(uf, [(0.9, 0, 1), (0.8, 1, 2), (0.7, 0, 2)], min_share=0.6)
    assert uf.find(0) == uf.find(1) == uf.find(2)


def _posts(*texts: str) -> list[Article]:
    arts = []
    for k, text in enumerate(texts):
        a = Article(id=f"p{k}", path=f"p{k}.txt", raw=text, text=text, source=f"حساب{k}")
        find_attributions(a, settings={})
        arts.append(a)
    return arts


def _rumour_claim(rumour: str, reply: str) -> tuple[list[Claim], Claim]:
    """The claims of a rumour post (p0) and a reply (p1), and the claim that holds the rumour."""
    claims = group_claims("S", _posts(rumour, reply), entity_names={}, settings={})
    return claims, next(c for c in claims if any(m.article_id == "p0" for m in c.members))


def _split_rumour_claim(rumour: str, reply: str) -> tuple[list[Article], Claim]:
    """As :func:`_rumour_claim`, the posts split into sentences as the pipeline does (a post's later sentences
    are statements too): the two posts and the claim holding the rumour."""
    from khabar.sentences import split_sentences

    arts = _posts(rumour, reply)
    for a in arts:
        a.add("sentences", split_sentences(a.text))
    claims = group_claims("S", arts, entity_names={}, settings={})
    return arts, next(c for c in claims if any(m.article_id == "p0" for m in c.members))


def _assert_reply_denies(rumour: str, reply: str) -> None:
    """The rumour post (p0) asserts, the reply (p1) denies, in one claim."""
    claims, _ = _rumour_claim(rumour, reply)
    assert [(m.article_id, m.stance) for c in claims for m in c.members] == [("p0", "assert"), ("p1", "deny")], reply


def test_claims_loosely_worded_denial_joins_the_claim_it_answers() -> None:
    # the denial shares only two words with the rumour ("تحظر" / "لم نصدر أي قرار بحظر" do not meet)
    arts = _posts(
        "البلدية تحظر بيع الألعاب النارية في أسواق الحي القديم",
        "أسعار الخبز ترتفع في أسواق المدينة الجديدة",
        "البلدية: لم نصدر أي قرار بحظر الألعاب النارية والمنشور المتداول مزور",
    )
    claims = group_claims("S", arts, entity_names={}, settings={})
    by_article = {m.article_id: c.id for c in claims for m in c.members}
    assert by_article["p2"] == by_article["p0"]
    assert by_article["p1"] != by_article["p0"]  # the denial joins one claim, it does not chain two
    denial = next(m for c in claims for m in c.members if m.article_id == "p2")
    assert denial.stance == "deny" and denial.source == "البلدية"
    # below the denial threshold (and with the opening-denial rule off) it stays a claim of its own
    off = {"deny_link_threshold": 0.9, "opening_denials": False}
    alone = group_claims("S", arts, entity_names={}, settings=off)
    assert {m.article_id for c in alone for m in c.members if "p2" in {x.article_id for x in c.members}} == {"p2"}


def test_claims_own_voice_statement_skips_a_leading_label() -> None:
    arts = _posts("عاجل: إغلاق الطريق الساحلي بسبب الانهيارات")
    claims = group_claims("S", arts, entity_names={}, settings={})
    assert [c.text for c in claims] == ["إغلاق الطريق الساحلي بسبب الانهيارات"]


def test_claims_negation_without_denial_words_denies_the_claim() -> None:
    arts = _posts(
        "تأجيل افتتاح المعرض الدولي للكتاب إلى الشهر المقبل",
        "مدير المعرض: الافتتاح في موعده ولا تأجيل للمعرض الدولي",
        "مدير المعرض: الافتتاح في موعده والمعرض الدولي يستقبل الزوار",
    )
    for a in arts[1:]:
        assert all(at.stance == "assert" for at in a.attributions)  # no denial word: the cue and content assert
    claims = group_claims("S", arts, entity_names={}, settings={})
    stance = {m.article_id: (c.id, m.stance) for c in claims for m in c.members}
    assert stance["p1"] == (stance["p0"][0], "deny")  # "ولا تأجيل" answers "تأجيل"
    assert stance["p0"][1] == "assert"
    # no negated shared word, but "on its date" is the opposite state of a postponement in a post
    assert stance["p2"] == (stance["p0"][0], "deny")


def test_claims_body_of_a_place_is_its_own_source() -> None:
    text = "ونفت بلدية طرابلس إغلاق السوق المركزي. وقالت طرابلس إن الحدود ستبقى مفتوحة.\n"
    a = _tagged("b", text, "الأفق", [("طرابلس", "LOC", "L1")], [])
    claims = group_claims("S", [a], entity_names={"L1": "طرابلس"}, settings={"own_voice": False})
    sources = {m.source for c in claims for m in c.members}
    assert sources == {"بلدية طرابلس", "طرابلس"}, sources  # the city council, and the city speaking for itself

    # ... also when a document of the body is the source: "وفقا لبيان صادر عن مؤسسة كهرباء لبنان"
    text = "ووفقا لبيان صادر عن مؤسسة كهرباء لبنان، فإن المخزون يكفي حتى نهاية الشهر.\n"
    a = _tagged("c", text, "الأفق", [("لبنان", "LOC", "L2")], [])
    claims = group_claims("S", [a], entity_names={"L2": "لبنان"}, settings={"own_voice": False})
    assert {m.source_entity for c in claims for m in c.members} == {None}
    assert all("كهرباء لبنان" in m.source for c in claims for m in c.members)


def test_claims_a_few_posts_on_one_rumour_share_its_words_and_still_link() -> None:
    # three statements naming the same things: in a small story these words are the claim, not its protagonists
    arts = _posts(
        "تسجيل إصابات بالحصبة في مدارس الطائف وإغلاق مدرستين",
        "@Health_Taif : لا صحة لما يتم تداوله بشأن تسجيل إصابات بالحصبة في مدارس الطائف",
        "الصحة تنفي تسجيل إصابات بالحصبة في مدارس الطائف",
    )
    claims = group_claims("S", arts, entity_names={}, settings={})
    by_article = {m.article_id: (c.id, m.stance) for c in claims for m in c.members}
    assert by_article["p0"][0] == by_article["p1"][0] == by_article["p2"][0], [c.text for c in claims]
    assert by_article["p1"][1] == by_article["p2"][1] == "deny" and by_article["p0"][1] == "assert"
    apart = group_claims("S", arts, entity_names={}, settings={"common_min_statements": 1})
    assert len({c.id for c in apart}) > 1  # with the protagonist rule on, the words they all share link nothing


def test_claims_vague_doubt_joins_the_statement_it_doubts() -> None:
    text = ("وأعلنت الهيئة أن نسبة النجاح في الامتحانات بلغت 92 في المئة. "
            "غير أن رئيس لجنة الأهالي ماجد النمر شكك في هذه النسبة، وقال إن النتائج لم تنشر كاملة.\n")
    a = Article(id="q", path="q.txt", raw=text, text=text, source="الأفق")
    find_attributions(a, settings={})
    claims = group_claims("S", [a], entity_names={}, settings={"own_voice": False})
    doubt = next(c for c in claims for m in c.members if m.stance == "question")
    assert any("92" in c_m_text for c_m_text in [text[m.start : m.end] for m in doubt.members])  # joined the figure it doubts


def test_claims_templated_reports_of_different_days_stay_apart() -> None:
    def post(aid: str, text: str, day: str) -> Article:
        a = Article(id=aid, path=f"{aid}.txt", raw=text, text=text, source=f"منفذ{aid}", published=day)
        find_attributions(a, settings={})
        return a

    monday = post("m", "أغلق مؤشر السوق المالية عند 7120 نقطة مرتفعا 45 نقطة بتداولات بلغت 3 مليارات", "2024-06-03")
    thursday = post("t", "أغلق مؤشر السوق المالية عند 7010 نقطة منخفضا 88 نقطة بتداولات بلغت 4 مليارات", "2024-06-06")
    same_day = post("s", "أغلق مؤشر السوق المالية عند 7010 نقطة منخفضا 80 نقطة بتداولات بلغت 4 مليارات", "2024-06-06")
    claims = group_claims("S", [monday, thursday, same_day], entity_names={}, settings={})
    claim_of = {m.article_id: c.id for c in claims for m in c.members}
    assert claim_of["m"] != claim_of["t"]  # Monday's close and Thursday's are two reports
    assert claim_of["t"] == claim_of["s"]  # one day, two figures for one close: one claim (a conflicting account)
    together = group_claims("S", [monday, thursday], entity_names={}, settings={"figures_days_apart": 0})
    assert len({c.id for c in together}) == 1  # the rule off: the wording alone joins them


def test_claims_post_statement_leaves_out_its_tags_links_and_emoji() -> None:
    arts = _posts("انهيار جزئي لسقف سوق الخضار في بريدة 😱😱 #بريدة #عاجل https://t.co/Zx9")
    claims = group_claims("S", arts, entity_names={}, settings={})
    assert [c.text for c in claims] == ["انهيار جزئي لسقف سوق الخضار في بريدة"]
    pct = group_claims("S", _posts("ارتفع مؤشر الأسهم 2.5 %"), entity_names={}, settings={})
    assert [c.text for c in pct] == ["ارتفع مؤشر الأسهم 2.5 %"]  # a percent sign is part of the figure
    lead = group_claims("S", _posts("#عاجل انتشار فيروس جديد في جدة وإغلاق مستشفى الملك فهد"), entity_names={}, settings={})
    assert [c.text for c in lead] == ["انتشار فيروس جديد في جدة وإغلاق مستشفى الملك فهد"]  # a leading label tag too
    topic = group_claims("S", _posts("#جدة انتشار فيروس جديد"), entity_names={}, settings={})
    assert [c.text for c in topic] == ["#جدة انتشار فيروس جديد"]  # a place tag is not a label: kept


def test_claims_denial_with_a_pronoun_suffixed_noun_joins_the_rumour() -> None:
    from khabar.claim_tokens import word_token

    # "وفاته" (his death) and "وفاة" (death) are one word: ة turns ت before a pronoun, and the و is the root's.
    assert word_token("وفاته") == word_token("وفاة") == word_token("وفاتها")
    assert word_token("حكومته") == word_token("حكومة") and word_token("تصريحاته") == word_token("تصريحات")
    assert word_token("بيته") == word_token("بيت")  # too short a stem before the ت: a root ت, kept
    claims, _ = _rumour_claim(
        "وفاة الفنان محمد عبده قبل قليل في أحد مستشفيات باريس",
        "مكتب الفنان محمد عبده: الفنان بصحة جيدة وما يتم تداوله عن وفاته مجرد إشاعة",
    )
    assert len(claims) == 1
    assert [(m.article_id, m.stance) for m in claims[0].members] == [("p0", "assert"), ("p1", "deny")]


def test_claims_no_change_answers_a_reported_change() -> None:
    # "has not changed" / "stable" deny a rise, though they share no changed word with it
    claims, _ = _rumour_claim(
        "ارتفاع سعر ربطة الخبز إلى ريال واحد ابتداء من الغد",
        "وزارة التجارة تهيب بالمواطنين عدم الانسياق وراء الشائعات، وتؤكد أن سعر ربطة الخبز لم يتغير",
    )
    assert len(claims) == 1
    assert [(m.article_id, m.stance) for m in claims[0].members] == [("p0", "assert"), ("p1", "deny")]
    steady = _posts("رفع أسعار البنزين بنسبة 10% الشهر المقبل", "وزارة الطاقة: أسعار البنزين ثابتة الشهر المقبل")
    stances = [m.stance for c in group_claims("S", steady, entity_names={}, settings={}) for m in c.members]
    assert sorted(stances) == ["assert", "deny"]
    # both report the change: no denial
    same = _posts("رفع أسعار البنزين بنسبة 10% الشهر المقبل", "وزارة الطاقة: رفع أسعار البنزين بنسبة 10% الشهر المقبل")
    assert {m.stance for c in group_claims("S", same, entity_names={}, settings={}) for m in c.members} == {"assert"}


def test_claims_warning_of_rumours_denies_the_rumour() -> None:
    _, rumour = _rumour_claim(
        "البنك المركزي يقرر سحب الورقة النقدية فئة 200 جنيه من التداول نهاية الشهر",
        "البنك المركزي يحذر من شائعات سحب فئة 200 جنيه من التداول ويؤكد أنها عملة قانونية سارية",
    )
    assert sorted((m.article_id, m.stance) for m in rumour.members) == [("p0", "assert"), ("p1", "deny")]


def test_claims_post_opening_with_a_label_sentence_states_what_follows() -> None:
    _, rumour = _rumour_claim("عاجل.. وفاة الفنان عادل إمام منذ قليل",
                              "نقابة المهن التمثيلية: الفنان عادل إمام بخير والكلام ده مش صحيح خالص")
    assert rumour.text == "وفاة الفنان عادل إمام منذ قليل"  # not the label "عاجل"
    assert sorted((m.article_id, m.stance) for m in rumour.members) == [("p0", "assert"), ("p1", "deny")]


def test_claims_verb_and_verbal_noun_of_one_root_are_one_token() -> None:
    from khabar.claim_tokens import word_token

    # a rumour's future verb and the denial's verbal noun: ستقفل / إقفال, ستلغي / إلغاء / ألغى, يسرح / تسريح
    assert word_token("ستقفل") == word_token("إقفال") == word_token("يقفلون")
    assert word_token("ستلغي") == word_token("إلغاء") == word_token("لإلغاء") == word_token("الإلغاء") == word_token("ألغى")
    assert word_token("يسرح") == word_token("تسريح")
    assert word_token("إلغاء") != word_token("غاء")  # the ال of إلغاء is its own, not the article
    assert word_token("الاتفاق") == word_token("يتفق") and word_token("الحدود") != word_token("يتفق")
    # تفعيل is not form VII (تنظيم is نظم, not ت + ن + ظيم); a word in ة is no verb (نسبة is not ن + سبة)
    assert word_token("تنظيم") == word_token("ينظم") and word_token("ينسحب") == word_token("انسحاب")
    assert word_token("نسبة") != word_token("سبب") and word_token("نهاية") != word_token("هوى")
    assert word_token("يناير") == "يناير"  # ي + ن + ا is no form VII (its root's first letter is no ا)
    assert word_token("سقوط") == word_token("يسقط") and word_token("دخول") == word_token("يدخل")  # فعول
    claims, _ = _rumour_claim(
        "جمعية المصارف ستقفل جميع الفروع لمدة أسبوع بسبب الإضراب",
        "جمعية المصارف تنفي الأخبار المتداولة عن إقفال الفروع",
    )
    assert len(claims) == 1
    assert [(m.article_id, m.stance) for m in claims[0].members] == [("p0", "assert"), ("p1", "deny")]


def test_claims_reply_answering_a_question_denies_what_was_asked() -> None:
    # the reply is the clearer member, but it answers the question: the claim is the question's, the reply denies it
    claims, _ = _rumour_claim(
        "@MOI_KSA هل صحيح أنه تم إيقاف تجديد الإقامات للعمالة المنزلية؟",
        "@muqeem22 نفيدكم بأن تجديد إقامات العمالة المنزلية مستمر ولم يتم إيقافه",
    )
    assert len(claims) == 1
    assert claims[0].text == "هل صحيح أنه تم إيقاف تجديد الإقامات للعمالة المنزلية؟"  # the addressee is not the claim
    assert [(m.article_id, m.stance) for m in claims[0].members] == [("p0", "question"), ("p1", "deny")]


def test_claims_no_case_recorded_and_no_change_to_a_measure_deny_it() -> None:
    _assert_reply_denies(  # "without any deaths recorded" answers "15 dead"
        "وفاة 15 شخصا في حريق ضخم داخل مستشفى الأمل بمدينة حمص",
        "مديرية صحة حمص: الحريق في مستشفى الأمل محدود وتمت السيطرة عليه دون تسجيل أي وفيات",
    )
    _assert_reply_denies(  # "no change to the entry procedures" answers a ban on entry
        "السعودية تمنع دخول المقيمين القادمين من مصر اعتبارا من الغد",
        "السفارة السعودية في القاهرة: لا تغيير على إجراءات دخول المقيمين القادمين من مصر",
    )
    _assert_reply_denies(  # "the level is normal" answers "the level rises"
        "ارتفاع منسوب نهر النيل يهدد بإغراق قرى الأقصر خلال ساعات",
        "وزارة الري تطمئن المواطنين: منسوب النيل في الأقصر طبيعي ولا خطر على القرى",
    )
    # "without" alone is not a negation: "دون" before anything but a record word negates nothing
    same = _posts("افتتاح المعرض دون حضور الوزير", "وزارة الثقافة: افتتاح المعرض دون حضور الوزير")
    assert {m.stance for c in group_claims("S", same, entity_names={}, settings={}) for m in c.members} == {"assert"}


def test_claims_alive_and_well_denies_a_death_and_no_decision_denies_the_measure() -> None:
    from khabar.claim_tokens import word_token

    assert word_token("برفع") == word_token("رفع") and word_token("لخطف") == word_token("يخطف")
    assert word_token("بيته") == word_token("بيت")  # بيت + ه, not ب + يته
    _assert_reply_denies(  # shares only "الشيخ": a short "alive" statement answers the death
        "وفاة الشيخ عبد الرحمن الصالح إمام المسجد الكبير قبل قليل، إنا لله وإنا إليه راجعون",
        "أسرة الشيخ عبد الرحمن الصالح: الشيخ على قيد الحياة ويتلقى العلاج في المستشفى، ونرجو عدم تداول الشائعات",
    )
    _assert_reply_denies(
        "مقتل قائد الجيش في انفجار استهدف موكبه شمال البلاد",
        "المتحدث العسكري: قائد الجيش لم يصب بأذى وترأس اليوم اجتماعا للقيادة العامة",
    )
    _assert_reply_denies(  # "no decision to raise" negates the raising
        "الحكومة التونسية تقرر رفع سن التقاعد إلى 65 عاما بداية من السنة القادمة",
        "رئاسة الحكومة: لا قرار برفع سن التقاعد والمسألة ما تزال قيد الدراسة مع الشركاء الاجتماعيين",
    )
    _assert_reply_denies(  # an arrest answered by "carries on with his duties as usual"
        "عاجل: اعتقال رئيس بلدية صيدا في مطار بيروت قبل سفره",
        "المكتب الإعلامي: رئيس بلدية صيدا يمارس مهامه بشكل طبيعي وترأس اليوم جلسة المجلس البلدي",
    )
    _assert_reply_denies(  # "in a bad way" answered by "well"
        "الممثل نبيل سعادة في المستشفى وحالته صعبة، ادعوا له",
        "نبيل سعادة: أنا بخير والحمد لله وأتابع تصوير مسلسلي الجديد",
    )
    _assert_reply_denies(  # a freeze answered by "goes on normally", with no verb of working before it
        "مصادر: تجميد السحب من حسابات التوفير في بنوك الأردن لمدة شهر",
        "البنك المركزي الأردني: عمليات السحب من حسابات التوفير في بنوك الأردن تتم بشكل طبيعي",
    )
    # both report the death: nobody denies it
    same = _posts("وفاة الشيخ عبد الرحمن الصالح", "أسرة الشيخ: وفاة الشيخ عبد الرحمن الصالح بعد صراع مع المرض")
    assert {m.stance for c in group_claims("S", same, entity_names={}, settings={}) for m in c.members} == {"assert"}


def test_claims_a_call_with_one_topical_word_is_no_statement() -> None:
    claims = group_claims("S", _posts("انتبهوا يا جماعة!! في عصابة تخطف الأطفال من قدام المدارس في مدينة نصر"),
                          entity_names={}, settings={})
    assert [c.text for c in claims] == ["في عصابة تخطف الأطفال من قدام المدارس في مدينة نصر"]


def test_claims_reply_readings_stay_in_posts() -> None:
    from khabar.claim_tokens import topical_tokens
    from khabar.claims import _Statement
    from khabar.denials import negates

    def stmt(text: str, news: bool) -> _Statement:
        # the same sentence alone (a post) or opening a long article (news)
        body = text + ("\n" + "وتناول المقال موضوعات أخرى كثيرة في فقرات طويلة. " * 20 if news else "")
        art = Article(id=f"{text}|{news}", path="x.txt", raw=body, text=body, source="s")
        return _Statement(art, None, 0, len(text), "assert", "s", None, topical_tokens(art, 0, len(text)))

    for news in (False, True):
        # a root shared by the negated verb and the other's noun: a post's denial, not news' ("unexploded charges")
        a, b = stmt("العبوة لم تنفجر في السوق", news), stmt("تفجير العبوة في السوق", news)
        assert negates(a, b, {}, 0, 1) is (not news)
        # "continues" says no change to a reported stop in a post; in news it is an adjective ("الرعاية المستمرة")
        a, b = stmt("تجديد الإقامات مستمر", news), stmt("إيقاف تجديد الإقامات", news)
        assert negates(a, b, {}, 0, 1) is (not news)
        # written the same way, a negation counts in news too
        a, b = stmt("لم يتم تأجيل الامتحانات", news), stmt("تأجيل الامتحانات", news)
        assert negates(a, b, {}, 0, 1)


def test_claims_intact_not_detained_and_in_good_health_deny() -> None:
    from khabar.claim_tokens import word_token

    assert word_token("توقيف") == word_token("اعتقال") == word_token("القبض")  # one notion, as written
    for rumour, reply in (
        ("اعتقال الصحفي سامر عودة في مطار بيروت لدى عودته من باريس",
         "الأمن العام اللبناني: لم يتم توقيف الصحفي سامر عودة وقد غادر المطار بشكل طبيعي"),
        ("الفنان المصري أحمد حلمي في العناية المركزة بعد تدهور حالته الصحية",
         "نقابة المهن التمثيلية: الفنان أحمد حلمي بصحة جيدة ويصور حاليا فيلمه الجديد"),
        ("انهيار سد وادي ضيقة في عمان وغرق القرى المجاورة",
         "وزارة الثروة الزراعية: سد وادي ضيقة سليم ويعمل بكفاءة"),
    ):
        _assert_reply_denies(rumour, reply)


def test_claims_fine_without_injuries_and_machines_working_deny() -> None:
    from khabar.claim_tokens import word_token

    assert word_token("لإغلاقها") == word_token("إغلاق") == word_token("تغلق")  # the preposition before a hamza
    for rumour, reply in (
        ("وفاة رئيس نادي الوداد البيضاوي في حادث سير", "نادي الوداد: الرئيس بخير وتعرض لحادث بسيط دون إصابات"),
        ("بنك القاهرة يوقف السحب من ماكينات الصراف الآلي لمدة 3 أيام",
         "بنك القاهرة: ماكينات الصراف الآلي تعمل بكفاءة على مدار الساعة"),
    ):
        _assert_reply_denies(rumour, reply)


def test_claims_tokens_fuel_words_and_plural_verbs_meet() -> None:
    from khabar.claim_tokens import word_token

    # "البنزين رح يرتفع" / "أسعار المحروقات ثابتة"; "رح يقطعوا الكهربا" / "قطع التيار"
    assert word_token("البنزين") == word_token("المحروقات") == word_token("الوقود") != word_token("الكهرباء")
    assert word_token("يقطعوا") == word_token("قطع")


def test_claims_no_attack_suffered_and_no_case_recorded_deny() -> None:
    # "لم يتعرض أي حساب لاختراق": the ل-word after the subject is what did not happen
    _assert_reply_denies("تعطل خدمات مصرف الراجحي وسرقة أرصدة العملاء عبر اختراق إلكتروني",
                              "مصرف الراجحي: أنظمتنا تعمل بكفاءة ولم يتعرض أي حساب لاختراق، وأموال العملاء في أمان")
    # "لم تسجل أي إصابة بالكوليرا": the disease after the case word; NER tagged it in the rumour only, so in
    # both its token is the entity's (a negated word is read through the same aliases)
    rumour, reply = _posts("انتشار مرض الكوليرا في مخيمات اللاجئين شمال سوريا وعشرات الوفيات",
                           "مديرية الصحة في إدلب: لم تسجل أي إصابة بالكوليرا في المخيمات والوضع الصحي مستقر")
    rumour.add("entities", _ents(rumour.text, {"الكوليرا": ("EC", "MISC")}))
    claims = group_claims("S", [rumour, reply], entity_names={}, settings={})
    assert [(m.article_id, m.stance) for c in claims for m in c.members] == [("p0", "assert"), ("p1", "deny")]


@pytest.mark.parametrize("rumour,reply", [
    # the opposite state of a cancellation: it stands, on its date, as announced
    ("تعميم: إلغاء إجازة اليوم الوطني لموظفي القطاع الخاص هذا العام",
     "وزارة الموارد البشرية: إجازة اليوم الوطني لموظفي القطاع الخاص قائمة كما هو معلن"),
    # no decision regarding it, no forecast of it: the negation reaches past them
    ("زيادة الحد الأدنى للأجور إلى 6000 جنيه من الشهر القادم",
     "المجلس القومي للأجور: لم يتم اتخاذ أي قرار بشأن الحد الأدنى للأجور حتى الآن"),
    ("هطول ثلوج على مكة المكرمة الليلة لأول مرة في التاريخ",
     "المركز الوطني للأرصاد: لا توقعات بتساقط ثلوج على مكة المكرمة"),
    # no circular was issued: the negation reaches past "issued" and "circular"
    ("تعطيل الدوام الحكومي أسبوعا كاملا بسبب موجة الغبار",
     "ديوان الخدمة المدنية: لم يصدر أي تعميم بتعطيل الدوام الحكومي"),
    # "continues as usual" with the measure negated beside it says no change
    ("إغلاق المدارس أسبوعا بسبب موجة الغبار", "وزارة التعليم: الدراسة في المدارس مستمرة كالمعتاد ولا تعطيل"),
    # not received any notice of it; exports continue
    ("الصين تعلق استيراد التمور من الجزائر بسبب مبيدات محظورة",
     "وزارة الفلاحة الجزائرية: صادرات التمور نحو الصين متواصلة ولم نتلق أي إشعار بتعليقها"),
    # no change to the broadcaster answers a move to other channels
    ("نقل مباريات الدوري السعودي إلى قنوات مشفرة بالكامل الموسم المقبل",
     "رابطة الدوري: لا تغيير على الناقل الرسمي ومباريات الدوري ستبث كما في الموسم الحالي"),
    # no plans to close it, made no statement about it, at the set dates, premature, safe, available
    ("شركة أبل تغلق فرعها في الرياض نهائيا", "أبل: متجرنا في الرياض يعمل كالمعتاد ولا خطط لإغلاقه"),
    ("تصريح لوزير الخارجية المصري عن قطع العلاقات مع إثيوبيا",
     "المتحدث باسم الخارجية: الوزير لم يدل بأي تصريح عن قطع العلاقات مع إثيوبيا"),
    ("امتحانات الباكالوريا ستؤجل إلى شهر يوليوز بسبب الإضرابات",
     "وزارة التربية الوطنية: امتحانات الباكالوريا ستجرى في التواريخ المحددة سلفا"),
    ("الجيش يعلن السيطرة الكاملة على مدينة الفاشر",
     "مصدر عسكري: الأنباء عن السيطرة الكاملة على الفاشر سابقة لأوانها والمعارك مستمرة"),
    ("انهيار سد الموصل خلال ساعات", "وزارة الموارد المائية: سد الموصل آمن ولا داعي للقلق"),
    ("مستشفى الأطفال في بنغازي يرفض استقبال الحالات بسبب نفاد الأكسجين",
     "إدارة مستشفى الأطفال: الأكسجين متوفر والمستشفى يستقبل جميع الحالات"),
    # the picture is old, supply is regular; "day 24, not day 10"; no change to the bundles' prices; a bankruptcy
    # answered by business as usual
    ("طوابير طويلة أمام محطات الوقود في الخرطوم اليوم بسبب انقطاع الإمداد",
     "وزارة الطاقة: الصورة المتداولة تعود لعام 2019، والإمداد بالوقود منتظم في جميع المحطات"),
    ("موعد صرف الدعم السكني هذا الشهر يوم 10",
     "برنامج سكني: صرف الدعم السكني لهذا الشهر سيكون يوم 24 وليس يوم 10 كما يتم تداوله"),
    ("شركة الاتصالات ترفع أسعار باقات الجوال 30% ابتداء من أول الشهر",
     "الشركة: لا تعديل على أسعار باقات الجوال، ونهيب بالعملاء استقاء المعلومات من قنواتنا الرسمية"),
    ("الإعلان عن إفلاس شركة طيران الخليج البحرينية",
     "طيران الخليج: الشركة تمارس أعمالها بشكل اعتيادي وجميع رحلاتنا تسير وفق الجدول"),
    # the numbers are not set yet; no risk of a tsunami; no missile fell (سقوط / يسقط: one root)
    ("وزارة الحج: تقليص عدد الحجاج القادمين من الخارج إلى 100 ألف فقط هذا العام",
     "وزارة الحج والعمرة: لم يتم تحديد أعداد حجاج الخارج لهذا العام حتى الآن، وأي إعلان سيصدر عبر القنوات الرسمية"),
    ("عاجل جدا: تسونامي متوقع على سواحل عمان خلال الساعات القادمة",
     "المركز الوطني للإنذار المبكر: لا يوجد أي خطر تسونامي على سواحل سلطنة عمان"),
    ("سقوط صاروخ على مبنى سكني في أربيل وسقوط ضحايا",
     "المتحدث باسم حكومة الإقليم: لم يسقط أي صاروخ على أربيل، والأصوات ناتجة عن مناورة عسكرية"),
    # a negation covers the nouns coordinated with أو / ولا; a dismissal is a measure "as usual" answers
    ("ضريبة جديدة بنسبة 5% على التحويلات المالية للمقيمين في السعودية",
     "البنك المركزي السعودي: لا توجد أي رسوم أو ضرائب جديدة على التحويلات المالية"),
    ("تسريب بيانات ملايين العملاء من بنك مصر على الإنترنت",
     "بنك مصر: أنظمتنا آمنة ولم يحدث أي اختراق أو تسريب لبيانات العملاء"),
    ("الملك يعفي وزير الداخلية من مهامه",
     "مصدر حكومي: وزير الداخلية يزاول مهامه بشكل عادي وترأس اليوم اجتماعا بالرباط"),
    # no announcement about it was issued
    ("الأمم المتحدة تعلن المجاعة رسميا في كامل السودان",
     "مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية: لم يصدر أي إعلان رسمي عن المجاعة في كامل السودان"),
    # to ban is to prohibit: تمنع / لحظر
    ("الداخلية تمنع استخدام الدراجات النارية في القاهرة", "مصدر أمني: لا نية لحظر الدراجات النارية في القاهرة"),
])
def test_claims_it_stands_no_decision_and_no_forecast_deny(rumour: str, reply: str) -> None:
    _assert_reply_denies(rumour, reply)


@pytest.mark.parametrize("rumour,reply", [
    # an authority confirming or updating a rumour does not deny it
    ("إغلاق جسر الملك فهد بسبب الضباب",
     "المؤسسة العامة لجسر الملك فهد: إغلاق الجسر مؤقتا بسبب الضباب الكثيف حرصا على السلامة"),
    ("حريق في سوق الحميدية بدمشق", "محافظة دمشق: حريق محدود في أحد محال سوق الحميدية وتمت السيطرة عليه دون إصابات"),
    ("ارتفاع عدد ضحايا الفيضانات في درنة إلى 30 قتيلا",
     "وزارة الصحة الليبية: ارتفاع حصيلة ضحايا الفيضانات في درنة إلى 45 قتيلا"),
    # "no change to the ban" keeps the ban the rumour reports
    ("منع دخول الشاحنات إلى وسط المدينة نهارا",
     "أمانة الرياض: لا تغيير على قرار منع دخول الشاحنات وسط المدينة نهارا وسيستمر تطبيقه"),
    # a reply opening with the change it announces: its "no change" is about the rest
    ("بيقولون بيرفعون سعر البنزين الممتاز لـ 120 فلس من أول الشهر",
     "لجنة تسعير المنتجات البترولية: تعديل سعر لتر البنزين الممتاز ليصبح 120 فلسا اعتبارا من الأول من الشهر "
     "المقبل، مع بقاء أسعار بقية المنتجات دون تغيير"),
])
def test_claims_a_confirming_reply_is_no_denial(rumour: str, reply: str) -> None:
    claims, _ = _rumour_claim(rumour, reply)
    assert "deny" not in {m.stance for c in claims for m in c.members}


@pytest.mark.parametrize("rumour,reply", [
    ("تسرب إشعاعي من محطة براكة للطاقة النووية في أبوظبي",
     "الهيئة الاتحادية للرقابة النووية: محطة براكة تعمل بأمان تام ولم يحدث أي تسرب إشعاعي"),
    # "no victims" answers "20 killed": casualty words are one token
    ("انهيار عمارة سكنية في حي الشيخ عثمان بعدن ومقتل 20 شخصا",
     "السلطة المحلية في عدن: انهيار جزئي لمبنى مهجور في الشيخ عثمان دون أي ضحايا"),
    ("حريق هائل يلتهم سوق الحميدية في دمشق الآن",
     "محافظة دمشق: الحريق الذي نشب في أحد المحال قرب سوق الحميدية محدود وتمت السيطرة عليه دون إصابات، والسوق لم يتضرر"),
])
def test_claims_nothing_happened_and_unharmed_after_a_fire_deny(rumour: str, reply: str) -> None:
    _assert_reply_denies(rumour, reply)


@pytest.mark.parametrize("rumour,reply", [
    # a reply of 15 words negating the rumour's event (خطف), sharing little else with it
    ("عاجل: ملثمون يخطفون طالبا جامعيا في الزرقاء",
     "مديرية الأمن العام: الطالب المبلغ عن غيابه في الزرقاء عاد إلى منزله بعد زيارة أصدقائه، ولم تقع أي عملية خطف"),
    # the negation reaches past a qualifier after the case ("حالة مؤكدة") to the disease
    ("تسجيل إصابات بالملاريا في مدينة بورتسودان والمستشفيات ممتلئة",
     "وزارة الصحة: لم تسجل أي حالة مؤكدة بالملاريا في الولاية، والحالات المشتبه بها جاءت نتائجها سلبية"),
    # a delay answered by "as usual", in a reply longer than a no-change denial in news may be
    ("تأخير صرف رواتب المتقاعدين لشهر مارس بسبب نقص السيولة",
     "هيئة التقاعد: بدأنا اليوم صرف رواتب المتقاعدين لشهر مارس وفق المواعيد المعتادة، ويمكن الاستعلام عبر الموقع الإلكتروني"),
])
def test_claims_longer_replies_deny(rumour: str, reply: str) -> None:
    _assert_reply_denies(rumour, reply)


def test_claims_a_reply_about_the_named_person_being_stable_denies_his_death() -> None:
    # the two posts share only the person (one token, however long his name): the reply names its subject
    rumour, reply = _posts("وفاة الفنان سامي الخطيب في أحد مستشفيات بيروت بعد صراع مع المرض",
                           "نقابة الفنانين: الفنان القدير سامي الخطيب يخضع لفحوصات روتينية وحالته الصحية مستقرة")
    for a in (rumour, reply):
        a.add("entities", _ents(a.text, {"سامي الخطيب": ("EK", "PER")}))
    claims = group_claims("S", [rumour, reply], entity_names={"EK": "سامي الخطيب"}, settings={})
    assert [(m.article_id, m.stance) for c in claims for m in c.members] == [("p0", "assert"), ("p1", "deny")]


def test_claims_a_short_news_caption_says_no_change_only_to_posts() -> None:
    # a caption article as short as a post, with a "normal" word, against a long article's statement: no answer
    long_text = ("قررت الحكومة رفع أسعار الكهرباء بنسبة 10 في المئة اعتبارا من الشهر المقبل. " * 6).strip()
    caption = "رئيس الوزراء خلال زيارته محطة الكهرباء الجديدة التي تعمل بشكل طبيعي منذ افتتاحها في الشمال الشهر الماضي"
    arts = _posts(long_text, caption)
    claims = group_claims("S", arts, entity_names={}, settings={})
    assert len(long_text) > 320 and "deny" not in {m.stance for c in claims for m in c.members}


@pytest.mark.parametrize("rumour,answer", [
    # few shared words (the denial path) and most words shared (one claim from the start)
    ("ماكو رواتب للموظفين هالشهر، الحكومة مفلسة",
     "وزارة المالية العراقية: رواتب الموظفين لهذا الشهر ستصرف في موعدها والسيولة متوفرة"),
    ("لا دراسة غدا في مدارس الرياض", "وزارة التعليم: الدراسة غدا في مدارس الرياض مستمرة"),
])
def test_claims_a_rumour_that_something_will_not_happen_is_denied_by_the_answer(rumour: str, answer: str) -> None:
    arts = _posts(rumour, answer)
    arts[0].published, arts[1].published = "2027-07-10T08:00:00", "2027-07-10T12:00:00"
    [claim] = group_claims("S", arts, entity_names={}, settings={})
    assert [(m.article_id, m.stance) for m in claim.members] == [("p0", "assert"), ("p1", "deny")]
    assert claim.text == rumour


def test_claims_a_later_reply_correcting_the_figure_denies_it() -> None:
    from khabar.denials import figures

    assert figures("هزة بقوة ٧ درجات وارتفاع 30٪") == {"درج": frozenset({"7"}), "%": frozenset({"30"})}
    rumour, reply = ("تسجيل هزة أرضية بقوة 7 درجات قرب مدينة أكادير",
                     "المعهد الوطني للجيوفيزياء: الهزة التي سجلت قرب أكادير بلغت 3.1 درجات ولم تخلف أي أضرار")

    def stances(first: str, second: str, second_at: str = "2027-07-10T12:00:00") -> list[tuple[str, str]]:
        arts = _posts(first, second)
        arts[0].published, arts[1].published = "2027-07-10T08:00:00", second_at
        return [(m.article_id, m.stance) for c in group_claims("S", arts, entity_names={}, settings={}) for m in c.members]

    assert stances(rumour, reply) == [("p0", "assert"), ("p1", "deny")]
    # the same figure agrees, a higher one updates ("ارتفاع الحصيلة إلى 45"); the correction must come after
    assert stances(rumour, reply.replace("3.1", "7")) == [("p0", "assert"), ("p1", "assert")]
    assert stances(rumour, reply.replace("3.1", "7.4")) == [("p0", "assert"), ("p1", "assert")]
    assert figures("2,000 شخص و3,5 درجات") == {"شخص": frozenset({"2000"}), "درج": frozenset({"3.5"})}
    assert "deny" not in {s for _, s in stances(rumour, reply, second_at="2027-07-10T08:00:00")}
    # counts of people are one unit: "50 طالبا" / "3 حالات"; not a count of something else
    assert stances("تسمم 50 طالبا في مطعم المدينة الجامعية بالقاهرة",
                   "إدارة المدينة الجامعية: 3 حالات تسمم في مطعم المدينة الجامعية وخرجت جميعها") == [("p0", "assert"), ("p1", "deny")]
    assert stances("تسمم 50 طالبا في مطعم المدينة الجامعية بالقاهرة",
                   "إدارة المدينة الجامعية: 3 مطاعم في المدينة الجامعية أغلقت بعد حالات تسمم") == [("p0", "assert"), ("p1", "assert")]


def test_claims_in_news_a_negation_among_other_words_is_no_denial() -> None:
    from khabar.claim_tokens import topical_tokens
    from khabar.claims import _Statement
    from khabar.denials import negates

    filler = "\n" + "وتناول المقال موضوعات أخرى كثيرة في فقرات طويلة. " * 20

    def stmt(text: str) -> _Statement:
        art = Article(id=text, path="x.txt", raw=text + filler, text=text + filler, source="s")
        return _Statement(art, None, 0, len(text), "assert", "s", None, topical_tokens(art, 0, len(text)))

    # the two share the negated word (حرق) but most of the first's words are not the other's
    a, b = stmt("لم يكن حرقا لكتب ابن حيان في بغداد"), stmt("دعا بعضهم لحرق كتب ماركس في الحقبة المكارثية")
    assert not negates(a, b, {}, 0, 1)
    # nearly all its words are the other's: "no postponement of the exams" denies "postponement of the exams"
    a, b = stmt("لم يتم تأجيل امتحانات الثانوية العامة"), stmt("تأجيل امتحانات الثانوية العامة إلى يوليو")
    assert negates(a, b, {}, 0, 1)


@pytest.mark.parametrize("denial, claim", [
    ("الرئيس لا يخطط لزيارة تركيا الشهر المقبل", "زيارة مرتقبة للرئيس إلى تركيا الشهر المقبل"),
    ("الوزير لا ينوي الاستقالة من منصبه", "الوزير يعتزم الاستقالة من منصبه"),
    ("الشركة لا تفكر في بيع اللاعب", "الشركة تبيع اللاعب"),
])
def test_claims_a_negated_intention_negates_the_act(denial: str, claim: str) -> None:
    from khabar.claim_tokens import topical_tokens
    from khabar.claims import _Statement
    from khabar.denials import negates

    filler = "\n" + "وتناول المقال موضوعات أخرى كثيرة في فقرات طويلة. " * 20  # news, not posts

    def stmt(text: str) -> _Statement:
        art = Article(id=text, path="x.txt", raw=text + filler, text=text + filler, source="s")
        return _Statement(art, None, 0, len(text), "assert", "s", None, topical_tokens(art, 0, len(text)))

    # "does not plan to visit" says the visit will not happen: it is not grouped as asserting it
    assert negates(stmt(denial), stmt(claim), {}, 0, 1)


def test_claims_one_word_lead_sentence_is_a_label() -> None:
    claims = group_claims("S", _posts("رسميا.. انتقال اللاعب سالم الدوسري إلى نادي النصر"), entity_names={}, settings={})
    assert [c.text for c in claims] == ["انتقال اللاعب سالم الدوسري إلى نادي النصر"]


def test_claims_negated_verbal_noun_denies_the_imperfect_verb() -> None:
    from khabar.denials import verb_forms

    assert verb_forms("تسحب") == ("تسحب", "سحب") and verb_forms("سحب") == ("سحب",)
    claims, _ = _rumour_claim(
        "هيئة الغذاء والدواء تسحب حليب الأطفال من الأسواق بسبب تلوثه",
        "هيئة الغذاء والدواء: لم يتم سحب أي نوع من حليب الأطفال من الأسواق، وجميع المنتجات المسجلة آمنة",
    )
    assert len(claims) == 1
    assert [(m.article_id, m.stance) for m in claims[0].members] == [("p0", "assert"), ("p1", "deny")]


def test_claims_denial_in_singular_forms_joins_a_rumour_in_plurals() -> None:
    # Written for this test: الأطباء / طبيب, المستشفيات / المستشفى, الحكومية / الحكومي, تسريح / لتسريح share
    # no form; their dictionary lemmas are shared.
    claims, rumour = _rumour_claim(
        "تسريح مئات الأطباء من المستشفيات الحكومية بسبب خفض الميزانية",
        "وزارة الصحة: لا صحة لتسريح أي طبيب من المستشفى الحكومي",
    )
    assert len(claims) == 1
    assert [(m.article_id, m.stance) for m in rumour.members] == [("p0", "assert"), ("p1", "deny")]


def test_claims_spoken_rumour_joins_the_denial_and_a_headline_is_not_counted_twice() -> None:
    # Written for this test: a rumour in the spoken register, a company's "no plan" reply.
    claims, rumour = _rumour_claim(
        "يا جماعة سمعت إنهم راح يقطعون الكهرباء عن الرياض يومين كاملين للصيانة",
        "الشركة السعودية للكهرباء: لا توجد أي خطة لقطع الكهرباء عن الرياض",
    )
    assert [(m.article_id, m.stance) for m in rumour.members] == [("p0", "assert"), ("p1", "deny")]
    # the cue comes last: the headline is the directorate's words, once, not also the account's own voice
    claims, rumour = _rumour_claim(
        "وفاة 3 طلاب بعد تناول وجبات فاسدة في مقصف مدرسة بجدة",
        "لا صحة لوفاة طلاب في مدرسة بجدة.. تعليم جدة يوضح",
    )
    assert [(m.article_id, m.stance, m.source) for m in rumour.members if m.article_id == "p1"] == [
        ("p1", "deny", "تعليم جدة")]  # the city's education directorate speaks, not the city


def test_claims_no_change_statement_sharing_one_word_denies_the_reported_change() -> None:
    # Written for this test: the ministry names only what did not change (الرسوم); the outlet's
    # "حقيقة ..." headline takes no side.
    claims, rumour = _rumour_claim(
        "رسميا: رفع رسوم تأشيرة العمرة إلى 2000 ريال ابتداء من محرم",
        "حقيقة رفع رسوم تأشيرة العمرة.. وزارة الحج والعمرة: لم يطرأ أي تغيير على الرسوم",
    )
    stances = sorted((m.source, m.stance) for m in rumour.members if m.article_id == "p1")
    assert stances == [("حساب1", "other"), ("وزارة الحج والعمرة", "deny")]
    # one shared word without a no-change is not enough: a statement about other fees stays apart
    claims, rumour = _rumour_claim(
        "رسميا: رفع رسوم تأشيرة العمرة إلى 2000 ريال ابتداء من محرم",
        "وزارة النقل: الرسوم الجديدة للطرق السريعة تطبق الشهر المقبل",
    )
    assert [m.article_id for m in rumour.members] == ["p0"]


def test_claims_sparse_pair_scores_equal_the_pairwise_overlap() -> None:
    # _scored_pairs compares all statements in one sparse product; every pair it gives (and only those) must
    # have the score _overlap gives the pair, on random token sets with common and vague statements.
    import random
    from types import SimpleNamespace

    from khabar.claims import _idf_weights, _overlap, _scored_pairs

    rng = random.Random(7)
    vocab = [f"t{k}" for k in range(40)]
    stmts = [SimpleNamespace(tokens=frozenset(rng.sample(vocab, rng.randint(1, 9)))) for _ in range(120)]
    vague = [rng.random() < 0.1 for _ in stmts]
    df: dict[str, int] = {}
    for st in stmts:
        for t in st.tokens:
            df[t] = df.get(t, 0) + 1
    idf = _idf_weights(df, len(stmts))
    common = frozenset(vocab[:3])
    weight = [sum(idf[t] for t in st.tokens) for st in stmts]
    flagged = [rng.random() < 0.05 for _ in stmts]
    floor = 0.3
    got = {(i, j): sc for i, j, sc in _scored_pairs(stmts, vague, common, 2, idf, weight, floor, flagged)}  # type: ignore[arg-type]
    want = {}
    for i in range(len(stmts)):
        for j in range(i + 1, len(stmts)):
            if vague[i] or vague[j]:
                continue
            sc = _overlap(stmts[i].tokens, stmts[j].tokens, idf, common, 2, weight[i], weight[j])
            rare = bool((stmts[i].tokens & stmts[j].tokens) - common)
            if sc >= floor or (flagged[i] or flagged[j]) and rare:
                want[(i, j)] = sc
    assert got == want and any(sc >= 0.5 for sc in want.values()) and any(sc == 0 for sc in want.values())


def test_claims_kin_speakers_but_not_names_that_open_with_ibn() -> None:
    from khabar.claims import _speaks_for

    assert _speaks_for("نجل الشيخ عائض القرني") and _speaks_for("محامي اللاعب") and _speaks_for("فريق ترامب")
    assert not _speaks_for("ابن كيران") and not _speaks_for("ابن سلمان")  # names: the person speaks


@pytest.mark.parametrize("rumour,reply", [
    # Written for this test: the authority denies another rumour of the day, about the same people or places and
    # an event of another kind (an arrest, not a death; a shortage, not a rise; a fee, not a closure)
    ("وفاة المطرب سامر الحلو في أحد مستشفيات القاهرة بعد صراع مع المرض",
     "نقابة المهن الموسيقية: ما تردد عن القبض على المطرب فادي نور في القاهرة غير صحيح"),
    ("السولار هيزيد جنيه من أول الشهر والمحطات في الجيزة زحمة",
     "وزارة البترول: لا صحة لوجود نقص في السولار بمحطات الجيزة والكميات متوفرة"),
    ("إغلاق منفذ الوديعة أمام الشاحنات من الليلة حتى إشعار آخر",
     "وزارة الداخلية: لا صحة لفرض رسوم جديدة على الشاحنات العابرة من منفذ الوديعة"),
    # a price or fine with an amount or a percentage is a rise; rain is weather
    ("سعر كيلو الرز رح يصير 5000 ليرة من أول الشهر بكل المحلات بحلب",
     "وزارة التجارة الداخلية: لا صحة لإغلاق صالات السورية للتجارة في حلب بسبب نقص الرز"),
    ("طيران الخليج راح تزيد أسعار التذاكر إلى لندن 25% من الشهر الجاي",
     "طيران الخليج: لا صحة لإلغاء الرحلات إلى لندن خلال الصيف"),
    ("أمطار غزيرة وسيول متوقعة على جدة يوم الخميس، انتبهوا",
     "إدارة التعليم بجدة: لا صحة لما يتم تداوله عن تعليق الدراسة يوم الخميس"),
])
def test_claims_a_denial_of_another_kind_of_event_is_no_answer(rumour: str, reply: str) -> None:
    _, rumour_claim = _rumour_claim(rumour, reply)
    assert "p1" not in {m.article_id for m in rumour_claim.members}, reply


def test_claims_a_denial_of_the_same_kind_of_event_answers_in_other_words() -> None:
    # the same pair as above with the reply about the rumour's own event: it still joins, worded otherwise
    _assert_reply_denies("وفاة المطرب سامر الحلو في أحد مستشفيات القاهرة بعد صراع مع المرض",
                         "نقابة المهن الموسيقية: ما تردد عن رحيل المطرب سامر الحلو غير صحيح وهو بخير")


def test_claims_a_past_measure_is_answered_by_no_change() -> None:
    # Written for this test: "ألغت" reads as a token of its own (not إلغاء's); "no change to its durations" answers it
    _assert_reply_denies("قطر ألغت تأشيرة الزيارة العائلية لمدة 90 يوما ابتداء من الشهر المقبل",
                         "وزارة الداخلية: تأشيرة الزيارة العائلية لمدة 90 يوما سارية ولم يطرأ أي تعديل على مدتها")


@pytest.mark.parametrize("rumour,reply", [
    # "works normally" answers an outage (قطع), not only a measure
    ("قطع الانترنت عن المحافظة يومين بسبب صيانة الكابل 🌐 منقول",
     "هيئة الاتصالات: خدمات الإنترنت تعمل بشكل طبيعي، وأعمال صيانة الكابل لن تؤثر على المستخدمين"),
    # what "any decision to" names is not asserted: the reply says "as usual" to the closure
    ("بكرا عطلة رسمية بالمدارس بسبب المنخفض",
     "وزارة التربية: الدوام في المدارس غدا كالمعتاد، وأي قرار بتعطيل الدوام يعلن عبر المنصات الرسمية للوزارة"),
    # a date brought forward is a change ("دون تعديل" answers it)
    ("تقديم موعد اختبارات نهاية الفصل أسبوعين يقولون القرار طالع بكرة",
     "وزارة التعليم: موعد اختبارات نهاية الفصل كما هو معلن في التقويم الأكاديمي دون تعديل"),
    # a price that "becomes one dinar" names an amount: a rise, which "unchanged" answers
    ("سعر ربطة الخبز رح يصير دينار من أول الشهر 😡",
     "وزارة التموين: أسعار الخبز المدعوم ثابتة دون تغيير في جميع المخابز"),
])
def test_claims_as_usual_answers_an_outage_a_moved_date_and_a_price(rumour: str, reply: str) -> None:
    _assert_reply_denies(rumour, reply)


@pytest.mark.parametrize("rumour,reply", [
    # a place at work answers its closure: flights received, patients seen around the clock
    ("مطار سبها قفلوه اليوم والرحلات كلها اتلغت 😩",
     "استقبل مطار سبها اليوم 7 رحلات قادمة من طرابلس وبنغازي، وغادرت 6 رحلات حسب الجداول المعتمدة"),
    ("لا تروحون طوارئ مستشفى الملك خالد بحائل، قفلوه بسبب عدوى 🚫",
     "يستقبل قسم الطوارئ في مستشفى الملك خالد بحائل المراجعين على مدار الساعة"),
    # a cut in an amount ("ينقص") is a change "the usual amounts" answers
    ("الصندوق غادي ينقص 10% من المعاشات ابتداء من الشهر الجاي",
     "صرف معاشات شهر ماي ابتداء من 27 أبريل بنفس المبالغ المعتادة"),
    # a player said to have signed elsewhere "continues training with the team"
    ("رسمي: اللاعب سامي الورفلي وقّع للأهلي 3 سنين",
     "اللاعب سامي الورفلي يواصل تدريباته مع الفريق الأول، ويمتد عقده مع النادي حتى 2049"),
])
def test_claims_a_place_at_work_a_usual_amount_and_a_player_training_answer_the_rumour(rumour: str, reply: str) -> None:
    _assert_reply_denies(rumour, reply)


def test_claims_at_home_in_the_first_person_says_things_are_as_they_were() -> None:
    from khabar.denials import says_steady

    assert says_steady("أنا الآن في منزلي بين أهلي") and says_steady("آني بالبيت")
    assert not says_steady("نحن في البيت ننتظر الخبر")  # no first person singular


def test_claims_a_post_denying_in_its_second_sentence_joins_the_rumour() -> None:
    # the speaker's colon covers the first sentence; the second, which denies, is a statement of the post too
    arts, rumour = _split_rumour_claim("مياه الشفة ببيروت ملوثة، نصيحة ما تشربوا من الحنفية",
                                       "وزارة الصحة: نتائج فحوصات عينات مياه الشفة في بيروت مطابقة للمعايير. "
                                       "وما يتم تداوله عن تلوثها لا يستند إلى أي معطيات علمية")
    assert [(m.article_id, m.stance) for m in rumour.members] == [("p0", "assert"), ("p1", "deny")]
    denial = next(m for m in rumour.members if m.article_id == "p1")
    assert "تلوثها" in arts[1].text[denial.start : denial.end]


def test_claims_a_first_person_denial_in_a_post() -> None:
    _assert_reply_denies("وفاة الفنانة مريم السعدي بعد صراع مع المرض",
                         "أنفي خبر وفاة الوالدة الفنانة مريم السعدي جملة وتفصيلا، هي بخير والحمد لله")


def test_claims_the_feast_is_no_steady_word() -> None:
    # اعتيادي ("as usual") and العيد (Eid) share a token: a post's "الأطفال فرحتهم بالعيد" says nothing is unchanged
    from khabar.denials import says_steady

    assert says_steady("الدوام بشكل اعتيادي") and says_steady("الدراسة منتظمة غدا")
    assert not says_steady("وأظهر الأطفال فرحتهم بالعيد من خلال اقتناء الملابس الجديدة")
    assert not says_steady("نظمت الجمعية حفلا للأطفال")


def test_claims_a_post_own_words_before_a_quoted_report_are_a_statement() -> None:
    # "وأي مراجعة للأسعار تعلن عبر القنوات الرسمية" reads as an attribution; what the post says before it denies
    _, rumour = _rumour_claim("يقولون البنزين بيرتفع من الليلة، 91 يصير 3 ريال 😳 متداول بالقروبات",
                              "ما يتم تداوله عن تعديل أسعار البنزين اعتبارا من الليلة غير دقيق، والأسعار الحالية سارية "
                              "دون تغيير، وأي مراجعة للأسعار تعلن عبر القنوات الرسمية.")
    assert [(m.article_id, m.stance, m.attribution_index) for m in rumour.members] == [("p0", "assert", None),
                                                                                      ("p1", "deny", None)]


def test_claims_a_deduction_is_no_answer_to_a_delay() -> None:
    # the ministry denies another rumour of the day: a deduction from pensions, not the salaries' delay
    claims, _ = _rumour_claim("رواتب الموظفين راح تتأخر عشرة أيام هالشهر 😡 #رواتب",
                              "وزارة المالية: لا صحة لما يتم تداوله عن استقطاع نسبة من رواتب المتقاعدين، وأن الرواتب "
                              "التقاعدية ستصرف بمبالغها الكاملة.")
    assert not any(m.article_id == "p1" for c in claims if any(x.article_id == "p0" for x in c.members)
                   for m in c.members)


def test_claims_a_lone_not_true_opening_a_reply_denies_what_the_post_is_about() -> None:
    # "غير صحيح." is the reply's first sentence, a statement though it names nothing: it joins the rumour through
    # the rest of its post (which names the flights); a false attribution ("وفق جدولها") takes the second sentence
    arts, rumour = _split_rumour_claim(
        "يقولون الخطوط القطرية لغت كل رحلاتها لبيروت لين آخر الشهر، أحد يأكد؟",
        "غير صحيح. رحلاتنا بين الدوحة وبيروت تعمل وفق جدولها المعتاد، وننصح المسافرين بمتابعة حالة رحلاتهم")
    denial = next(m for m in rumour.members if m.article_id == "p1")
    assert denial.stance == "deny" and arts[1].text[denial.start : denial.end] == "غير صحيح"


def test_claims_a_post_mention_counts_its_words_too() -> None:
    # the tagger bounds names in a post otherwise than in its reply ("أحمد سمير اتقطع" / "أحمد سمير"; الرباط, the
    # ligament, read as Rabat): two entity ids each, so in a post the mention's words count beside its id; in news
    # a mention is its id only
    from khabar.claim_tokens import topical_tokens, word_token

    post = "مصادر بتقول إن أحمد سمير اتقطع في الرباط الصليبي في مران النهارده"
    news = post + ". " + "وأضافت المصادر أن الجهاز الطبي للنادي سيعلن تفاصيل الإصابة في بيان رسمي خلال الساعات المقبلة. " * 4
    for text, words_too in ((post, True), (news, False)):
        a = _posts(text)[0]
        a.add("entities", _ents(a.text, {"أحمد سمير اتقطع": ("E1", "PER"), "الرباط": ("E2", "LOC")}))
        toks = topical_tokens(a, 0, len(post))
        assert {"@E1", "@E2"} <= toks
        assert (word_token("اتقطع") in toks and word_token("الرباط") in toks) is words_too


@pytest.mark.parametrize("rumour,reply", [
    # a denial reported inside a post's quoted words
    ("وزير التربية قدم استقالتو اليوم الصباح لرئاسة الحكومة بعد أزمة النقابة",
     "وكالة الأنباء: مصدر مسؤول بوزارة التربية يفند الأخبار المتداولة حول استقالة الوزير، مؤكدا أنه يباشر مهامه"),
    # تثبيت says "unchanged"; the fils of a price is no bankruptcy (إفلاس shares its token)
    ("بحكوا رح يرفعوا البنزين 90 أوكتان 10 قروش مع بداية الشهر",
     "لجنة تسعير المشتقات النفطية تقرر تثبيت سعر البنزين أوكتان 90 عند 940 فلسا للتر لشهر تشرين الأول"),
    # ... and a bankruptcy is still a change "as usual" answers
    ("الإعلان عن إفلاس شركة طيران الخليج البحرينية",
     "طيران الخليج: الشركة تمارس أعمالها بشكل اعتيادي وجميع رحلاتنا تسير وفق الجدول"),
])
def test_claims_reported_denials_fixed_prices_and_bankruptcy(rumour: str, reply: str) -> None:
    _, claim = _rumour_claim(rumour, reply)
    assert ("p1", "deny") in [(m.article_id, m.stance) for m in claim.members]


def test_claims_a_steady_sentence_goes_with_its_own_post_denial() -> None:
    # the bank denies closing a branch and says the branch works normally: not an answer to the exchange-rate rumour
    _, rumour = _split_rumour_claim("يقولوا بنك السودان حيرفع سعر الصرف الرسمي للدولار بكرة الخبر دا صح؟",
                                    "بنك السودان المركزي ينفي ما تم تداوله عن إغلاق فرعه في مدينة بورتسودان، ويؤكد أن "
                                    "الفرع يقدم خدماته للجمهور والمصارف بصورة طبيعية.")
    assert [m.article_id for m in rumour.members] == ["p0"]


def test_claims_a_post_tag_line_is_no_statement() -> None:
    from khabar.claims import _says_something

    assert not _says_something("#الأردن") and not _says_something("😂😂") and not _says_something("منقول")
    assert _says_something("عبوا سياراتكم من هلأ! #الأردن") and _says_something("غير صحيح.")


def test_claims_a_spoken_closure_and_its_confirmation_are_one_claim() -> None:
    # "مسكّر" (Levantine: closed) is read as a closure, not as sugar (سكر), and "صحيح" confirms
    claims, claim = _rumour_claim("بيقولوا طريق المطار مسكّر من اليوم لحد الجمعة",
                                  "الداخلية تؤكد: إغلاق طريق المطار صحيح لأعمال صيانة حتى يوم الجمعة")
    assert len(claims) == 1
    assert sorted(m.stance for m in claim.members) == ["assert", "confirm"]


def test_claims_a_minister_answering_for_his_ministry_denies_the_rumour_he_is_grouped_with() -> None:
    # Written for this test: the clearest member was the minister's "نحن لا ندرس ...", so the claim read as his and
    # the source's report of the rise looked like it denied him
    other = ("وفي سياق آخر، افتتح المحافظ مدرسة جديدة في البلدة القديمة بحضور عدد من الأهالي والمسؤولين المحليين. "
             "وتضم المدرسة عشرين صفا ومختبرا للعلوم وملعبا، وتستقبل ستمئة طالب وطالبة مع بداية العام الدراسي.\n")
    a1 = article("t1", "وقال مصدر مطلع إن الحكومة تدرس رفع تعرفة الكهرباء مرة ثانية هذا العام.\n" + other, "الشرق", {})
    a2 = article("t2", "وأضاف وزير الطاقة: \"نحن لا ندرس أي رفع جديد لتعرفة الكهرباء. الزيادة التي أقرت في شباط "
                       "كانت الأخيرة هذا العام\".\n" + other.replace("المحافظ", "الوزير"), "النهار", {})
    claims = group_claims("S", [a1, a2], entity_names={}, settings={"own_voice": False})
    claim = claim_of(claims, a1, "تدرس رفع")
    assert claim is claim_of(claims, a2, "لا ندرس") and "تدرس رفع" in claim.text
    assert {(m.article_id, m.stance) for m in claim.members} == {("t1", "assert"), ("t2", "deny")}
