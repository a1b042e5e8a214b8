"""Article-vs-claim stance: features, the bundled model, training and scoring on self-written texts."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from khabar.eval.stance import cross_validate_stance, evaluate_stance
from khabar.stance import article_stance, train_stance
from khabar.stance_article import FEATURE_NAMES, ArticleStanceModel, Idf, article_features

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
    assert article_stance(CLAIM, DENIAL) == "disagree"
    assert article_stance(CLAIM, SUPPORT) == "agree"
    assert article_stance(CLAIM, OFF_TOPIC) == "unrelated"


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
    info = train_stance(cdir, out, min_samples_leaf=1)
    assert info["n_train"] == 16 and info["train_accuracy"] >= 0.75
    model = ArticleStanceModel.from_json(json.loads(out.read_text(encoding="utf-8")))
    assert sorted(model.classes) == ["agree", "disagree", "discuss", "unrelated"]
    scored = evaluate_stance(cdir, ["Fold_2"], model=model)
    assert scored["n"] == 8 and 0.0 <= scored["macro_f1"] <= 1.0
    lexical = evaluate_stance(cdir, lexical=True)
    assert lexical["n"] == 16
    cv = cross_validate_stance(cdir, folds=("Fold_1", "Fold_2"), min_samples_leaf=1)
    assert set(cv["folds"]) == {"Fold_1", "Fold_2"}
    assert cv["mean_macro_f1"] == pytest.approx(sum(f["macro_f1"] for f in cv["folds"].values()) / 2)
    assert cv["mean_macro_f1"] > 0.5  # the pattern is regular: held-out claims are learnable
