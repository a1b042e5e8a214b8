"""Checks on the bundled example corpus in ``examples/corpus/``.

The corpus is hand-written demo input: three invented stories told by seven
invented outlets in four file formats. ``examples/README.md`` promises that
particular phrases (a denial, a nested attribution, name variants, boilerplate
noise, ...) occur in particular files; these tests hold the files to that
promise so that an edit to the corpus cannot silently drop a feature the
demos and other modules' examples rely on.
"""

from __future__ import annotations

import difflib
import json
import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from khabar.ingest import split_front_matter

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"
README = REPO / "examples" / "README.md"

TXT_NAME = re.compile(r"^(?P<outlet>[a-z0-9]+(?:-[a-z0-9]+)*)_(?P<date>\d{4}-\d{2}-\d{2})_(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.txt$")
ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
LATIN_LETTER = re.compile(r"[A-Za-z]")

# Outlet slug used in file names -> the outlet name found in JSON/HTML metadata.
OUTLETS: dict[str, str] = {
    "rafid-agency": "وكالة أنباء الرافد",
    "sunbula": "صحيفة السنبلة",
    "bousla-news": "موقع البوصلة نيوز",
    "marfa-today": "صحيفة المرفأ اليوم",
    "shurfa24": "الشرفة 24",
    "waha-tv": "قناة الواحة الإخبارية",
    "coastal-herald": "The Coastal Herald",
}

HTML_FILE = "shurfa24_2024-05-25_federation-suspends-adviser.html"
JSON_FILE = "articles.json"
JSONL_FILE = "articles.jsonl"

# Document id -> story. A document id is a file name, or "file#index" for
# the articles inside the JSON and JSONL files.
STORIES: dict[str, str] = {
    "rafid-agency_2024-03-11_port-strike-begins.txt": "port",
    "sunbula_2024-03-12_port-deal-document.txt": "port",
    "bousla-news_2024-03-12_ministry-denies-port-deal.txt": "port",
    "marfa-today_2024-03-13_port-strike-third-day.txt": "port",
    "articles.json#0": "port",
    "articles.jsonl#0": "port",
    "rafid-agency_2024-04-02_reservoir-figures-dispute.txt": "drought",
    "shurfa24_2024-04-02_reservoir-figures-dispute.txt": "drought",
    "sunbula_2024-04-05_water-minister-defends-figures.txt": "drought",
    "articles.json#1": "drought",
    "articles.jsonl#1": "drought",
    "waha-tv_2024-05-20_federation-corruption-allegations.txt": "football",
    "bousla-news_2024-05-21_federation-denies-allegations.txt": "football",
    "marfa-today_2024-05-23_minister-orders-federation-audit.txt": "football",
    "articles.json#2": "football",
    HTML_FILE: "football",
}

# A document belongs to its story only if it names the story's place or body.
STORY_ANCHORS: dict[str, tuple[str, ...]] = {
    "port": ("رأس الغيم", "Ras al-Ghaim"),
    "drought": ("وادي الحمراء",),
    "football": ("الاتحاد الوطني لكرة القدم",),
}

# (feature number from examples/README.md, document id, exact phrase).
FEATURES: list[tuple[int, str, str]] = [
    (1, "rafid-agency_2024-03-11_port-strike-begins.txt", "إن وزارة النقل والموانئ وقعت الأسبوع الماضي اتفاقا"),
    (1, "bousla-news_2024-03-12_ministry-denies-port-deal.txt",
     "ونفى المتحدث باسم وزارة النقل والموانئ كريم العبادي أن تكون الوزارة قد وقعت أي اتفاق"),
    (1, "bousla-news_2024-05-21_federation-denies-allegations.txt",
     "ونفى المتحدث الرسمي باسم الاتحاد وائل السعدي أن يكون عقد حقوق البث قد منح دون منافسة"),
    (2, "rafid-agency_2024-03-11_port-strike-begins.txt", "جوناثان برايس"),
    (2, "bousla-news_2024-03-12_ministry-denies-port-deal.txt", "جوناثان برايز"),
    (2, "articles.json#0", "Jonathan Bryce"),
    (2, "articles.jsonl#0", "Jonathan Bryce"),
    (2, "waha-tv_2024-05-20_federation-corruption-allegations.txt", "غريغوري هولت"),
    (2, "bousla-news_2024-05-21_federation-denies-allegations.txt", "جريجوري هولت"),
    (3, "bousla-news_2024-03-12_ministry-denies-port-deal.txt", "ونقلت الصحيفة عن مصدر مطلع قوله إن"),
    (3, "articles.json#0", "ونقلت وكالة أنباء الرافد عن عضو في وفد النقابة قوله إن"),
    (3, "articles.json#2", "ونقلت قناة الواحة الإخبارية عن البنّاء قوله إن"),
    (5, "rafid-agency_2024-03-11_port-strike-begins.txt", "وأضاف الدباغ في كلمة أمام المعتصمين:"),
    (5, "bousla-news_2024-03-12_ministry-denies-port-deal.txt", "وأضاف العبادي في تصريح صحفي:"),
    (5, "sunbula_2024-04-05_water-minister-defends-figures.txt", "وأضافت: “لا نخفي شيئا"),
    (5, "sunbula_2024-04-05_water-minister-defends-figures.txt", "وأضافت المنصوري أن الوزارة"),
    (5, "articles.json#1", "وأضافت الشامي أن الفريق"),
    (5, "bousla-news_2024-05-21_federation-denies-allegations.txt", "وأضافت: «لا نخشى أي تدقيق"),
    (6, "rafid-agency_2024-03-11_port-strike-begins.txt", "وبحسب النقابة"),
    (6, "sunbula_2024-03-12_port-deal-document.txt", "ووفقا للوثيقة"),
    (6, "sunbula_2024-03-12_port-deal-document.txt", "وقالت مصادر مطلعة في الوزارة"),
    (6, "rafid-agency_2024-04-02_reservoir-figures-dispute.txt", "ووفقا لبيانات هيئة الأرصاد الجوية"),
    (6, "waha-tv_2024-05-20_federation-corruption-allegations.txt", "وقالت مصادر مطلعة داخل الاتحاد"),
    (7, "rafid-agency_2024-03-11_port-strike-begins.txt", "[ad_1]"),
    (7, "rafid-agency_2024-03-11_port-strike-begins.txt", "تصوير: ليث النعيمي"),
    (7, "rafid-agency_2024-03-11_port-strike-begins.txt", "اقرأ أيضا:"),
    (7, "waha-tv_2024-05-20_federation-corruption-allegations.txt", "هادي الصفار / أ ف ب"),
    (7, "waha-tv_2024-05-20_federation-corruption-allegations.txt", "[ad_2]"),
    (7, "marfa-today_2024-03-13_port-strike-third-day.txt", "اقرأ المزيد:"),
    (7, "sunbula_2024-03-12_port-deal-document.txt", "شارك هذا المقال"),
    (7, "sunbula_2024-03-12_port-deal-document.txt", "© صحيفة السنبلة 2024. جميع الحقوق محفوظة."),
    (7, "bousla-news_2024-05-21_federation-denies-allegations.txt", "جميع الحقوق محفوظة"),
    (7, "articles.jsonl#1", "[ad_1]"),
    (8, "marfa-today_2024-03-13_port-strike-third-day.txt",
     "وطالب رئيس لجنة النقل في مجلس النواب زياد العمري بفتح تحقيق"),
    (8, "sunbula_2024-04-05_water-minister-defends-figures.txt", "دعا النائب نبيل الحداد"),
    (8, "sunbula_2024-04-05_water-minister-defends-figures.txt", "إلى فتح تحقيق برلماني"),
    (8, "marfa-today_2024-05-23_minister-orders-federation-audit.txt",
     "طالب وزير الشباب والرياضة عمر الكبيسي، الأربعاء، ديوان المحاسبة بالتحقيق"),
    (8, "waha-tv_2024-05-20_federation-corruption-allegations.txt", "وزعم البنّاء"),
    (8, "waha-tv_2024-05-20_federation-corruption-allegations.txt", "كما زعم أن"),
    (9, "articles.jsonl#0", "Ministry spokesman Karim al-Abadi denied"),
]


class _ArticleText(HTMLParser):
    """Collects the text inside <article> and the page's metadata."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        elif tag == "meta":
            a = dict(attrs)
            if a.get("property") and a.get("content"):
                self.meta[a["property"]] = a["content"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def _read(name: str) -> str:
    path = CORPUS / name
    if not path.is_file():
        pytest.fail(f"example corpus file missing: {path}")
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{name} starts with a BOM"
    return raw.decode("utf-8")


def _json_records() -> list[dict]:
    data = json.loads(_read(JSON_FILE))
    assert isinstance(data, list)
    return data


def _jsonl_records() -> list[dict]:
    return [json.loads(line) for line in _read(JSONL_FILE).splitlines() if line.strip()]


def _html() -> _ArticleText:
    parser = _ArticleText()
    parser.feed(_read(HTML_FILE))
    return parser


def _txt_names() -> list[str]:
    return sorted(p.name for p in CORPUS.glob("*.txt"))


def _documents() -> dict[str, str]:
    """Every article in the corpus as document id -> full text (title + body)."""
    docs = {name: _read(name) for name in _txt_names()}
    for i, rec in enumerate(_json_records()):
        docs[f"{JSON_FILE}#{i}"] = rec["title"] + "\n\n" + rec["content"]
    for i, rec in enumerate(_jsonl_records()):
        docs[f"{JSONL_FILE}#{i}"] = rec["title"] + "\n\n" + rec["content"]
    docs[HTML_FILE] = " ".join(_html().parts)
    return docs


def _body_lines(text: str) -> list[str]:
    """Non-empty lines after the optional ``---`` front matter (source, date)."""
    _, body = split_front_matter(text)
    return [line.strip() for line in body.splitlines() if line.strip()]


def test_examples_corpus_txt_front_matter_names_outlet_and_date() -> None:
    for name in _txt_names():
        meta, _ = split_front_matter(_read(name))
        m = TXT_NAME.match(name)
        assert meta.get("published") == m["date"], name
        assert meta.get("source"), name


def _lead(lines: list[str]) -> str:
    """The first real paragraph after the title (skips captions and short lines)."""
    return next(line for line in lines[1:] if len(line.split()) > 15)


def test_examples_corpus_formats_present() -> None:
    names = {p.name for p in CORPUS.iterdir()}
    assert len(_txt_names()) >= 8
    for needed in (JSON_FILE, JSONL_FILE, HTML_FILE):
        assert needed in names, f"{needed} missing from {CORPUS}"
    assert set(STORIES) == set(_documents()), "STORIES table and corpus disagree"


def test_examples_corpus_txt_names_follow_pattern() -> None:
    for name in _txt_names():
        m = TXT_NAME.match(name)
        assert m, f"{name} is not <outlet-slug>_<yyyy-mm-dd>_<slug>.txt"
        date.fromisoformat(m["date"])
        assert m["outlet"] in OUTLETS, f"{name}: unknown outlet slug {m['outlet']}"


def test_examples_corpus_txt_first_line_is_a_title() -> None:
    for name in _txt_names():
        first = _body_lines(_read(name))[0]
        assert ARABIC_LETTER.search(first) and len(first.split()) >= 4, name
        assert not first.startswith("[") and not first.endswith("."), f"{name}: first line is not a title"


def test_examples_corpus_json_and_jsonl_fields() -> None:
    records = _json_records() + _jsonl_records()
    assert 2 <= len(_json_records()) <= 3 and len(_jsonl_records()) == 2
    for rec in records:
        assert set(rec) == {"title", "content", "source", "url", "date"}, rec.get("title")
        assert all(isinstance(v, str) and v.strip() for v in rec.values())
        assert rec["url"].startswith("https://") and ".example/" in rec["url"]
        assert datetime.fromisoformat(rec["date"]).tzinfo is not None
        assert rec["source"] in OUTLETS.values()


def test_examples_corpus_html_is_a_full_page() -> None:
    page = _read(HTML_FILE)
    for tag in ("<nav", "<header", "<article", "<footer", "<title>"):
        assert tag in page, f"{HTML_FILE} lacks {tag}"
    footer = page[page.index("<footer") :]
    assert "©" in footer and "جميع الحقوق محفوظة" in footer
    meta = _html().meta
    assert meta["og:site_name"] in OUTLETS.values()
    datetime.fromisoformat(meta["article:published_time"])


def test_examples_corpus_counts_articles_and_outlets() -> None:
    docs = _documents()
    assert len(docs) >= 14
    outlets = {OUTLETS[TXT_NAME.match(n)["outlet"]] for n in _txt_names()}
    outlets |= {r["source"] for r in _json_records() + _jsonl_records()}
    outlets.add(_html().meta["og:site_name"])
    assert len(outlets) >= 5, outlets


def test_examples_corpus_article_lengths() -> None:
    for doc_id, text in _documents().items():
        n = len(text.split())
        assert 120 <= n <= 350, f"{doc_id} has {n} words, outside [120, 350]"


def test_examples_corpus_stories_are_consistent() -> None:
    docs = _documents()
    per_story: dict[str, set[str]] = {}
    for doc_id, story in STORIES.items():
        assert any(a in docs[doc_id] for a in STORY_ANCHORS[story]), f"{doc_id} does not mention story {story}"
        others = [s for s in STORY_ANCHORS if s != story]
        assert not any(STORY_ANCHORS[s][0] in docs[doc_id] for s in others), f"{doc_id} mixes stories"
        per_story.setdefault(story, set()).add(doc_id)
    assert len(per_story) >= 3
    assert all(len(ids) >= 4 for ids in per_story.values())


@pytest.mark.parametrize(("feature", "doc_id", "phrase"), FEATURES)
def test_examples_corpus_feature_phrase_present(feature: int, doc_id: str, phrase: str) -> None:
    assert phrase in _documents()[doc_id], f"feature {feature}: {phrase!r} not in {doc_id}"


def test_examples_corpus_features_documented_in_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    for name in {d.split("#")[0] for d in STORIES}:
        assert name in readme, f"{name} not listed in examples/README.md"
    for _, _, phrase in FEATURES:
        assert phrase in readme, f"{phrase!r} not documented in examples/README.md"
    assert "Apache-2.0" in readme


def test_examples_corpus_claim_and_denial_in_different_articles() -> None:
    docs = _documents()
    claim = "إن وزارة النقل والموانئ وقعت الأسبوع الماضي اتفاقا"
    denial = "ونفى المتحدث باسم وزارة النقل والموانئ كريم العبادي"
    claim_docs = {d for d, t in docs.items() if claim in t}
    denial_docs = {d for d, t in docs.items() if denial in t}
    assert claim_docs and denial_docs and not claim_docs & denial_docs


def test_examples_corpus_name_variants_in_separate_articles() -> None:
    docs = _documents()
    for variants in (("جوناثان برايس", "جوناثان برايز", "Jonathan Bryce"), ("غريغوري هولت", "جريجوري هولت")):
        holders = [{d for d, t in docs.items() if v in t} for v in variants]
        assert all(holders), variants
        for i, a in enumerate(holders):
            for b in holders[i + 1 :]:
                assert not a & b, f"two spellings of {variants[0]} share an article"


def test_examples_corpus_syndicated_near_copy() -> None:
    """shurfa24 republished the rafid agency piece: new lead, a few words changed."""
    original = _body_lines(_read("rafid-agency_2024-04-02_reservoir-figures-dispute.txt"))
    copy = _body_lines(_read("shurfa24_2024-04-02_reservoir-figures-dispute.txt"))
    assert difflib.SequenceMatcher(None, _lead(original), _lead(copy)).ratio() < 0.6
    rest_o = "\n".join(original[original.index(_lead(original)) + 1 :][:6])
    rest_c = "\n".join(copy[copy.index(_lead(copy)) + 1 :][:6])
    ratio = difflib.SequenceMatcher(None, rest_o, rest_c, autojunk=False).ratio()
    assert 0.9 <= ratio < 1.0, ratio


def test_examples_corpus_boilerplate_shapes() -> None:
    repeated = [n for n in _txt_names() if _body_lines(_read(n))[0] == _body_lines(_read(n))[1]]
    assert len(repeated) >= 2, "title repeated at the top in fewer than two articles"
    empty_sources = [n for n in _txt_names() if _body_lines(_read(n))[-1] == "المصادر:"]
    assert empty_sources, "no article ends with an empty 'المصادر:' trailer"
    text = "\n".join(_documents().values())
    assert text.count("“") >= 10 and text.count("«") >= 5


def test_examples_corpus_english_article() -> None:
    english = [d for d, t in _documents().items() if not ARABIC_LETTER.search(t)]
    assert english == ["articles.jsonl#0"]
    text = _documents()["articles.jsonl#0"]
    assert len(LATIN_LETTER.findall(text)) > 500 and STORIES["articles.jsonl#0"] == "port"
