"""User alias files, variant confidence, and undoing merges (split / merge) in the store and later runs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from khabar.aliases import AliasFileError, how_joined, load_aliases
from khabar.cli import app
from khabar.model import Article, Entity, Span
from khabar.pipeline import Analyzer
from khabar.resolve import EntityRegistry
from khabar.settings import Settings
from khabar.store import Store
from khabar.store.aliases import entity_detail, load_rules

runner = CliRunner()

# Hand-written articles. Automatic rules keep أبو مازن and محمود عباس apart (a kunya is no spelling
# variant) and merge أحمد الجابري with أحمد الجبري (one long vowel dropped), who here are two people.
ART_ABBAS = """عباس يدعو إلى وقف التصعيد في الضفة

دعا الرئيس الفلسطيني محمود عباس اليوم الأحد إلى وقف فوري للتصعيد في مدن الضفة الغربية.
وقال عباس في كلمة أمام المجلس المركزي إن "الشعب الفلسطيني لن يقبل بالحلول المؤقتة".
وأضاف رجل الأعمال أحمد الجابري أن الاستثمارات في المدينة تراجعت كثيرا خلال العام الماضي.
"""
ART_KUNYA = """أبو مازن: لا عودة إلى المفاوضات دون ضمانات

قال أبو مازن في خطاب متلفز مساء الاثنين إن القيادة لن تعود إلى المفاوضات دون ضمانات دولية واضحة.
وأكد اللاعب الدولي أحمد الجبري أن فريقه مستعد للمباراة النهائية الأسبوع المقبل.
"""
ART_LATER = """الجبري يعود إلى التدريبات

قال اللاعب أحمد الجبري اليوم الخميس إن إصابته لم تعد تمنعه من المشاركة في التدريبات.
وقال رجل الأعمال أحمد الجابري إن السوق تحتاج إلى وقت طويل قبل أن تتعافى.
وأشار أبو مازن في لقاء مع وفد برلماني إلى أن الأوضاع الاقتصادية صعبة.
"""

ALIAS_CSV = """canonical,aliases,wikidata
محمود عباس,أبو مازن|Mahmoud Abbas,Q127998
أحمد الجابري,,
أحمد الجبري,,
"""


# ---- alias files ----------------------------------------------------------------
def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_aliases_csv_parsed_and_matched_by_folding(tmp_path: Path) -> None:
    table = load_aliases(_write(tmp_path, "a.csv", "canonical,aliases,wikidata\nإيلون ماسك,Elon Musk|ماسك,Q317521\n"
                                "مدينة الرياض,الرياض,\n"))
    assert len(table) == 2
    musk = table.lookup("إيلون ماسك")
    assert musk is not None and musk.wikidata == "Q317521" and musk.aliases == ("Elon Musk", "ماسك")
    assert table.lookup("ايلون ماسك") is musk  # hamza seat folded
    assert table.lookup("إيلُون مَاسك") is musk  # diacritics folded
    assert table.lookup("elon   MUSK") is musk  # Latin: case and spaces
    assert table.lookup("الرياض").canonical == "مدينة الرياض"
    assert table.lookup("الرياض").wikidata is None
    assert table.lookup("جدة") is None


def test_aliases_json_parsed_with_type(tmp_path: Path) -> None:
    data = [{"canonical": "وكالة الفضاء الأمريكية", "aliases": ["ناسا", "NASA"], "wikidata": "Q23548", "type": "ORG"},
            {"canonical": "سلمى الحربي", "aliases": []}]
    table = load_aliases(_write(tmp_path, "a.json", json.dumps(data, ensure_ascii=False)))
    assert table.lookup("nasa").type == "ORG"
    assert table.lookup("سلمي الحربي").canonical == "سلمى الحربي"  # alef maqsura folded
    assert table.lookup("سلمى الحربي").type == "PER"


@pytest.mark.parametrize(
    ("name", "text", "where", "reason"),
    [
        ("dup.csv", "canonical,aliases,wikidata\nأحمد الجابري,الجابري,\nأحمد الجبري,الجابري,\n", "dup.csv:3",
         "listed under 'أحمد الجبري' and under 'أحمد الجابري'"),
        ("empty.csv", "canonical,aliases,wikidata\nأحمد الجابري,,\n ,الجبري,\n", "empty.csv:3", "empty canonical"),
        ("qid.csv", "canonical,aliases,wikidata\nأحمد الجابري,,Q12x\n", "qid.csv:2", "bad Wikidata id 'Q12x'"),
        ("header.csv", "name,aliases\nأحمد,,\n", "header.csv", "header must be canonical,aliases,wikidata"),
        ("cols.csv", "canonical,aliases,wikidata\nأحمد الجابري,,Q1,زائد\n", "cols.csv:2", "4 columns"),
        ("list.json", '{"canonical": "أحمد"}', "list.json", "expected a JSON list"),
        ("key.json", '[{"canonical": "أحمد", "alias": ["x"]}]', "key.json[entry 1]", "unknown keys ['alias']"),
        ("type.json", '[{"canonical": "أحمد"}, {"canonical": "سمير", "type": "CITY"}]', "type.json[entry 2]", "bad type"),
        ("broken.json", "[{", "broken.json", "not valid JSON"),
    ],
)
def test_aliases_bad_files_name_file_entry_and_reason(tmp_path: Path, name: str, text: str, where: str, reason: str) -> None:
    with pytest.raises(AliasFileError) as err:
        load_aliases(_write(tmp_path, name, text))
    assert err.value.source.endswith(where)
    assert reason in err.value.reason


def test_aliases_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(AliasFileError, match="cannot read"):
        load_aliases(tmp_path / "none.csv")


# ---- confidence --------------------------------------------------------------------
def test_aliases_confidence_of_how_a_variant_joined() -> None:
    assert how_joined("بوتين", [], []) == ("first", 1.0)
    assert how_joined("بُوتِين", ["بوتين"], []) == ("same_spelling", 1.0)
    assert how_joined("Elon Musk", ["إيلون ماسك"], []) == ("latin", 0.85)
    assert how_joined("ماسك", [], ["إيلون ماسك", "ماسك"]) == ("short_form", 0.9)  # its long form in the article
    assert how_joined("ماسك", ["إيلون ماسك"], []) == ("short_form", 0.7)
    near, far = how_joined("بوتن", ["بوتين"], []), how_joined("شولتس", ["شولتزي"], [])
    assert near[0] == far[0] == "spelling"
    assert 0.5 <= far[1] < near[1] < 1.0  # more edits, less sure
    assert how_joined("ماسك", ["إيلون ماسك", "ماسِك"], []) == ("same_spelling", 1.0)  # the best relation wins


# ---- the registry, on hand-built articles ------------------------------------------------
def _article(aid: str, text: str, names: list[str]) -> Article:
    art = Article(id=aid, path=f"{aid}.txt", raw=text, text=text)
    spans, pos = [], 0
    for n in names:
        start = text.index(n, pos)
        spans.append(Span(start, start + len(n), "PER", "test"))
        pos = start + len(n)
    art.add("entities", spans)
    return art


def _refs(art: Article) -> dict[str, str]:
    return {art.span_text(s): s.ref for s in art.spans("entities")}


def _resolve(table_path: Path | None) -> tuple[EntityRegistry, list[Article]]:
    reg = EntityRegistry()
    if table_path is not None:
        reg.pin_aliases(load_aliases(table_path))
    arts = [
        _article("a", "قال سمير الخطيب إن الخطيب سيعود. وقال أبو مازن إن العمل مستمر.", ["سمير الخطيب", "الخطيب", "أبو مازن"]),
        _article("b", "أكد محمود عباس أمس موقفه، وقال أحمد الجابري إن السوق هادئة.", ["محمود عباس", "أحمد الجابري"]),
        _article("c", "قال أحمد الجبري إن فريقه جاهز، وأضاف عباس أنه متفائل.", ["أحمد الجبري", "عباس"]),
    ]
    for a in arts:
        reg.resolve_article(a)
    return reg, arts


def test_aliases_registry_overrides_and_extends(tmp_path: Path) -> None:
    plain, (_, b0, c0) = _resolve(None)
    assert _refs(b0)["أحمد الجابري"] == _refs(c0)["أحمد الجبري"]  # the automatic rules merge them
    path = _write(tmp_path, "a.csv", ALIAS_CSV)
    reg, (a, b, c) = _resolve(path)
    abbas = _refs(b)["محمود عباس"]
    assert _refs(a)["أبو مازن"] == abbas  # joined by the file
    assert _refs(c)["عباس"] == abbas  # an unlisted short form joins the listed entity (extends)
    assert _refs(b)["أحمد الجابري"] != _refs(c)["أحمد الجبري"]  # two entries: kept apart
    ent = reg.get(abbas)
    assert ent.canonical == "محمود عباس" and reg.wikidata[abbas] == "Q127998"
    assert {"أبو مازن", "Mahmoud Abbas"} <= ent.variants
    links = {v: (how, conf) for _, v, how, conf in reg.variant_links([ent])}
    assert links["أبو مازن"] == ("user", 1.0)
    assert links["عباس"][0] == "short_form" and links["عباس"][1] < 1.0
    both = _article("d", "التقى أحمد الجابري أمس أحمد الجبري في النادي.", ["أحمد الجابري", "أحمد الجبري"])
    reg.resolve_article(both)  # one article, two entries: its cluster is split by pin
    assert _refs(both) == {"أحمد الجابري": _refs(b)["أحمد الجابري"], "أحمد الجبري": _refs(c)["أحمد الجبري"]}
    again, (a2, b2, c2) = _resolve(path)  # deterministic ids
    assert [_refs(x) for x in (a2, b2, c2)] == [_refs(x) for x in (a, b, c)]


def test_aliases_registry_split_rule_keeps_forms_apart() -> None:
    reg = EntityRegistry()
    first = _article("a", "قال أحمد الجابري إن السوق هادئة.", ["أحمد الجابري"])
    reg.resolve_article(first)
    old = _refs(first)["أحمد الجابري"]
    new_ent = reg.get(old)
    # A split-off entity, as the store would load it after `khabar entities split`; its id sorts first.
    reg2 = EntityRegistry.from_entities([new_ent, Entity("E0new", "أحمد الجبري", "PER", {"أحمد الجبري"})])
    reg2.pin_forms(["أحمد الجبري"], "E0new", extend=False)
    later = _article("b", "قال أحمد الجبري إن فريقه جاهز، وأضاف أحمد الجابري أن السوق هادئة.", ["أحمد الجبري", "أحمد الجابري"])
    reg2.resolve_article(later)
    assert _refs(later) == {"أحمد الجبري": "E0new", "أحمد الجابري": old}
    assert reg2.pin_forms(["x"], "Emissing", extend=True) is False


# ---- end to end: analyze, split, merge, page -----------------------------------------
def _inputs(folder: Path, **arts: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in arts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def _analyze(paths: Path, db: Path, *extra: str) -> None:
    res = runner.invoke(app, ["analyze", str(paths), "--db", str(db), "--no-embeddings", "--workers", "1", *extra])
    assert res.exit_code == 0, res.output


def _entity_of(db: Path, text: str, article_title_word: str | None = None) -> set[str]:
    con = sqlite3.connect(db)
    sql = "SELECT DISTINCT m.entity_id FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.text = ?"
    args: list[str] = [text]
    if article_title_word:
        sql += " AND a.title LIKE ?"
        args.append(f"%{article_title_word}%")
    ids = {r[0] for r in con.execute(sql, args)}
    con.close()
    return ids


@pytest.fixture(scope="module")
def plain_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two articles analysed without an alias file (the automatic rules only)."""
    root = tmp_path_factory.mktemp("plain")
    _analyze(_inputs(root / "in", abbas=ART_ABBAS, kunya=ART_KUNYA), root / "k.db")
    return root / "k.db"


def test_aliases_analyze_with_file(tmp_path: Path, plain_db: Path) -> None:
    assert len(_entity_of(plain_db, "أحمد الجابري") | _entity_of(plain_db, "أحمد الجبري")) == 1  # merged
    assert _entity_of(plain_db, "أبو مازن") != _entity_of(plain_db, "محمود عباس")  # apart
    db = tmp_path / "k.db"
    _analyze(_inputs(tmp_path / "in", abbas=ART_ABBAS, kunya=ART_KUNYA), db, "--aliases",
             str(_write(tmp_path, "aliases.csv", ALIAS_CSV)))
    (abbas,) = _entity_of(db, "محمود عباس")
    assert _entity_of(db, "أبو مازن") == {abbas}
    assert _entity_of(db, "أحمد الجابري") != _entity_of(db, "أحمد الجبري")
    with Store(db) as store:
        e = entity_detail(store, abbas)
        assert e["wikidata"] == "Q127998" and e["canonical"] == "محمود عباس"
        forms = {v["form"]: v for v in e["variants"]}
        assert forms["أبو مازن"]["how"] == "user" and forms["أبو مازن"]["confidence"] == 1.0
        assert forms["أبو مازن"]["mentions"] == 1
        assert e["n_articles"] == 2 and e["n_statements"] >= 2


def test_aliases_bad_file_fails_analyze_with_exit_2(tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.csv", "canonical,aliases,wikidata\nأحمد,,Q0\n")
    res = runner.invoke(app, ["analyze", str(_inputs(tmp_path / "in", a=ART_ABBAS)), "--db", str(tmp_path / "k.db"),
                              "--no-embeddings", "--workers", "1", "--aliases", str(bad)])
    assert res.exit_code == 2
    assert "bad.csv:2" in _said(res) and "bad Wikidata id" in _said(res)
    assert not (tmp_path / "k.db").exists()


def _said(res: object) -> str:
    """CLI output with the console's line wrapping undone."""
    return " ".join(res.output.split())


def _copy(src: Path, dst: Path) -> Path:
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


def test_aliases_split_then_reanalyse_keeps_apart(tmp_path: Path, plain_db: Path) -> None:
    db = _copy(plain_db, tmp_path / "k.db")
    (merged,) = _entity_of(db, "أحمد الجابري")
    with Store(db) as store:
        before = entity_detail(store, merged)
        n_claim_rows = store.conn.execute("SELECT COUNT(*) FROM claim_members").fetchone()[0]
    # The businessman leaves the player's entity. Folded spelling accepted. His new id sorts after the old
    # one (the old id with a suffix), so the automatic rules alone would send him back in a later run.
    res = runner.invoke(app, ["entities", "split", merged, "احمد الجابري", "--db", str(db)])
    assert res.exit_code == 0, res.output
    (new,) = _entity_of(db, "أحمد الجابري")
    assert new > merged and _entity_of(db, "أحمد الجبري") == {merged}
    with Store(db) as store:
        old_e, new_e = entity_detail(store, merged), entity_detail(store, new)
        assert old_e["n_mentions"] + new_e["n_mentions"] == before["n_mentions"]
        assert old_e["n_statements"] + new_e["n_statements"] == before["n_statements"]
        assert new_e["n_statements"] == 1  # the businessman's statement moved with his mention
        assert [v["form"] for v in new_e["variants"]] == ["أحمد الجابري"] and new_e["variants"][0]["how"] == "user"
        assert old_e["canonical"] == "أحمد الجبري"  # its canonical name left with the split
        assert store.conn.execute("SELECT COUNT(*) FROM claim_members").fetchone()[0] == n_claim_rows  # nothing lost
        members = store.conn.execute("SELECT source_entity, source FROM claim_members WHERE source_entity = ?", (new,)).fetchall()
        assert all(m[1] == "أحمد الجابري" for m in members)
        assert [(r["kind"], r["entity_id"], r["other_id"]) for r in load_rules(store)] == [("split", merged, new)]
    _analyze(_inputs(tmp_path / "later", later=ART_LATER), db)
    assert _entity_of(db, "أحمد الجابري", "التدريبات") == {new}  # the later run honours the split,
    assert _entity_of(db, "أحمد الجبري", "التدريبات") == {merged}  # even with both names in one article


def test_aliases_merge_moves_everything_and_later_runs_follow(tmp_path: Path, plain_db: Path) -> None:
    db = _copy(plain_db, tmp_path / "k.db")
    (abbas,), (kunya,) = _entity_of(db, "محمود عباس"), _entity_of(db, "أبو مازن")
    with Store(db) as store:
        n = entity_detail(store, abbas)["n_statements"] + entity_detail(store, kunya)["n_statements"]
    res = runner.invoke(app, ["entities", "merge", abbas, kunya, "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert _entity_of(db, "أبو مازن") == {abbas}
    with Store(db) as store:
        e = entity_detail(store, abbas)
        assert e["n_statements"] == n and e["n_articles"] == 2
        assert {v["form"]: v["how"] for v in e["variants"]}["أبو مازن"] == "user"
    res = runner.invoke(app, ["entities", "show", kunya, "--db", str(db)])
    assert res.exit_code == 2 and f"merged into {abbas}" in _said(res)
    with Store(db) as store:  # the story index a later run opens counts the merged entity under the survivor
        index = Analyzer(store, Settings.load(), embed=False).stories
        held = [st.entities for st in index._stories if st.alive]
        assert not any(kunya in ents for ents in held) and any(abbas in ents for ents in held)
        assert index._ent_postings.recent(kunya, 5) == () and index._ent_postings.recent(abbas, 5)
    _analyze(_inputs(tmp_path / "later", later=ART_LATER), db)
    assert _entity_of(db, "أبو مازن", "التدريبات") == {abbas}


def test_aliases_cli_errors_exit_2(tmp_path: Path, plain_db: Path) -> None:
    db = _copy(plain_db, tmp_path / "k.db")
    (abbas,) = _entity_of(db, "محمود عباس")
    for args, needle in [
        (["entities", "show", "Enope"], "no entity with id 'Enope'"),
        (["entities", "split", abbas, "بوتين"], "has no variant written 'بوتين'"),
        (["entities", "split", abbas, "محمود عباس"], None),  # fine: عباس stays
        (["entities", "merge", abbas, abbas], "with itself"),
        (["entities", "merge", abbas, "Enope"], "no entity"),
    ]:
        res = runner.invoke(app, [*args, "--db", str(db)])
        if needle is None:
            assert res.exit_code == 0, res.output
        else:
            assert res.exit_code == 2 and needle in _said(res), res.output
    res = runner.invoke(app, ["entities", "list", "--query", "عباس", "--json", "--db", str(db)])
    assert res.exit_code == 0 and {r["canonical"] for r in json.loads(res.output)} == {"عباس", "محمود عباس"}


def test_aliases_confidence_on_entity_page_and_api(tmp_path: Path) -> None:
    from khabar.web.app import create_app

    db = tmp_path / "k.db"
    _analyze(_inputs(tmp_path / "in", abbas=ART_ABBAS, kunya=ART_KUNYA), db, "--aliases",
             str(_write(tmp_path, "aliases.json", json.dumps([{"canonical": "محمود عباس", "aliases": ["أبو مازن"],
                                                               "wikidata": "Q127998"}], ensure_ascii=False))))
    (abbas,) = _entity_of(db, "محمود عباس")
    client = TestClient(create_app(db))
    data = client.get(f"/api/entity/{abbas}").json()
    links = {v["form"]: (v["how"], v["confidence"]) for v in data["variant_links"]}
    assert links["أبو مازن"] == ("user", 1.0) and data["wikidata"] == "Q127998"
    assert links["عباس"][0] == "short_form" and 0 < links["عباس"][1] < 1
    html = client.get(f"/entity/{abbas}?lang=en").text
    assert "Q127998" in html and "set by the user" in html and "short form" in html
    assert f"{links['عباس'][1]:.2f}" in html
