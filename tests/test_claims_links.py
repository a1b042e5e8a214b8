"""How denials link to what they deny: not by which copy is stored or an undated copy; by the source they name."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from khabar.cli import app

runner = CliRunner()
MP = """---
source: الوطن
date: 2024-03-09
---
مصادر: تأجيل العام الدراسي أسبوعين بسبب الإنفلونزا

وأكد النائب محمد سليمان أن "عدد الإصابات تجاوز 5000 حالة في القاهرة وحدها".
"""
PM = """---
source: {source}
{date}---
الحكومة: لا تأجيل للدراسة

أكد رئيس الوزراء مصطفى مدبولي أن العام الدراسي سيبدأ في موعده، مشيرا إلى أن عدد الإصابات بالإنفلونزا لم يتجاوز 300 حالة.
"""


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0)])
def test_claims_an_undated_copy_of_the_answer_does_not_make_the_first_speaker_a_denier(tmp_path: Path, order) -> None:
    texts = [MP, PM.format(source="اليوم السابع", date="date: 2024-03-10\n"), PM.format(source="موقع آخر", date="")]
    paths = []
    for k in order:
        p = tmp_path / f"a{k}.txt"
        p.write_text(texts[k], encoding="utf-8")
        paths.append(str(p))
    db = tmp_path / "k.db"
    res = runner.invoke(app, ["analyze", *paths, "--db", str(db), "--no-embeddings", "--workers", "1"])
    assert res.exit_code == 0, res.output
    con = sqlite3.connect(db)
    rows = con.execute("SELECT m.claim_id, m.stance, m.source FROM claim_members m").fetchall()
    con.close()
    mp = [(c, s) for c, s, src in rows if src == "محمد سليمان"]
    pm = [(c, s) for c, s, src in rows if src == "مصطفى مدبولي"]
    (mp_claim, mp_stance), = mp
    assert mp_stance == "assert"  # he spoke first and denied nothing
    assert [s for c, s in pm if c == mp_claim] == ["deny", "deny"]  # each copy of the answer denies his figure


WHEAT = """---
source: النهار
date: 2024-06-01
---
جدل حول القمح في لبنان

وكذّبت وزارة الزراعة ما نشرته صحيفة الأخبار عن نقص في القمح.
وزعمت صحيفة الأخبار أن مخزون القمح لا يكفي إلا لشهر واحد.
وقال وزير الاقتصاد أمين سلام إن الحكومة سترفع سعر ربطة الخبز بنسبة 20 بالمئة الشهر المقبل.
"""


def test_claims_a_denial_naming_the_report_it_denies_joins_that_source(tmp_path: Path) -> None:
    # "نقص في القمح" and "مخزون القمح لا يكفي إلا لشهر واحد" share one word: the named source links them
    p = tmp_path / "a.txt"
    p.write_text(WHEAT, encoding="utf-8")
    db = tmp_path / "k.db"
    res = runner.invoke(app, ["analyze", str(p), "--db", str(db), "--no-embeddings", "--workers", "1"])
    assert res.exit_code == 0, res.output
    con = sqlite3.connect(db)
    rows = dict(((src, stance), claim) for claim, stance, src in
                con.execute("SELECT claim_id, stance, source FROM claim_members"))
    con.close()
    assert rows[("وزارة الزراعة", "deny")] == rows[("صحيفة الأخبار", "allege")]
    bread = next(c for (src, _), c in rows.items() if "أمين سلام" in src)
    assert bread != rows[("وزارة الزراعة", "deny")]  # the bread price is another claim


def test_claims_keep_their_id_when_a_later_article_words_them_better(tmp_path: Path) -> None:
    first = """---
source: الوطن
date: 2024-03-09
---
الحكومة تبحث تأجيل الدراسة

قالت مصادر مطلعة في وزارة التربية إن الحكومة تدرس تأجيل العام الدراسي أسبوعين كاملين بسبب ارتفاع الإصابات بالإنفلونزا في المدارس الحكومية والخاصة في القاهرة والجيزة والإسكندرية ومحافظات الصعيد كلها خلال الأسابيع الماضية.
"""
    later = """---
source: الشروق
date: 2024-03-10
---
تأجيل العام الدراسي

قالت مصادر في وزارة التربية إن الحكومة تدرس تأجيل العام الدراسي أسبوعين بسبب ارتفاع الإصابات بالإنفلونزا في المدارس.
"""
    db = tmp_path / "k.db"

    def claims() -> dict[str, str]:
        con = sqlite3.connect(db)
        rows = dict(con.execute("SELECT id, text FROM claims"))
        con.close()
        return rows

    for name, text in (("a", first), ("b", later)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        res = runner.invoke(app, ["analyze", str(tmp_path / f"{name}.txt"), "--db", str(db), "--no-embeddings",
                                  "--workers", "1"])
        assert res.exit_code == 0, res.output
        if name == "a":
            before = claims()
    after = claims()
    (cid, text_before), = [(c, t) for c, t in before.items() if "تأجيل العام الدراسي" in t]
    assert cid in after and after[cid] != text_before  # the clearer, later wording names the claim; its id stays


def test_claims_a_bare_title_speaks_as_the_person_the_article_named_with_it(tmp_path: Path) -> None:
    text = """---
source: الوطن
date: 2024-06-10
---
الجهاز ينفي منح ستارلينك ترخيصا

قال المتحدث باسم الجهاز القومي لتنظيم الاتصالات محمد شمروخ إن الجهاز لم يمنح ستارلينك أي ترخيص للعمل في مصر.
وأكد المتحدث أن أي خدمة إنترنت فضائي تحتاج إلى موافقة مسبقة من الجهاز.
"""
    p = tmp_path / "a.txt"
    p.write_text(text, encoding="utf-8")
    db = tmp_path / "k.db"
    assert runner.invoke(app, ["analyze", str(p), "--db", str(db), "--no-embeddings", "--workers", "1"]).exit_code == 0
    con = sqlite3.connect(db)
    sources = {r[0] for r in con.execute("SELECT source FROM claim_members")}
    con.close()
    assert "محمد شمروخ" in sources and "المتحدث" not in sources  # one column for the spokesman, not a second one


def test_claims_an_appeal_in_a_post_is_no_claim(tmp_path: Path) -> None:
    p = tmp_path / "p.jsonl"
    rows = [{"id": "r", "text": "عاجل: إغلاق جميع المدارس في الحديدة غدا بسبب الكوليرا. انشر قبل الحذف 🙏",
             "source": "تيليجرام أخبار الحديدة", "published": "2024-06-01T09:00:00"},
            {"id": "d", "text": "مكتب التربية: لا صحة لإغلاق المدارس. نهيب بالمواطنين عدم الالتفات إلى الشائعات",
             "source": "X @edu_hodeidah", "published": "2024-06-01T12:00:00"}]
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "k.db"
    assert runner.invoke(app, ["analyze", str(p), "--db", str(db), "--no-embeddings", "--workers", "1"]).exit_code == 0
    con = sqlite3.connect(db)
    spans = [r[0] for r in con.execute(
        'SELECT substr(a.text, m.start + 1, m."end" - m.start) FROM claim_members m JOIN articles a ON a.id = m.article_id')]
    con.close()
    assert not any(s.startswith("انشر") for s in spans)  # the appeal to share is not a claim
    assert any("الالتفات" in s for s in spans)  # an appeal that denies stays a statement


@pytest.mark.parametrize("member, wording", [
    ("فإن وزارة الصحة حذرت من انتشار الفيروس في المدارس", "وزارة الصحة حذرت من انتشار الفيروس في المدارس"),
    ("أنه تعرض للسرقة الأدبية", "تعرض للسرقة الأدبية"),
    ("أنشطة الشركة مستمرة في البلاد", "أنشطة الشركة مستمرة في البلاد"),  # a word that only starts like one
    ("أنها حقيقية", "أنها حقيقية"),  # too little would remain
])
def test_claims_wording_drops_an_opening_complementiser(member: str, wording: str) -> None:
    from khabar.claims import _wording

    assert _wording(member) == wording
