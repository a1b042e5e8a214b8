"""DuplicateIndex: exact, near and syndicated copies; likely original; state."""

from __future__ import annotations

import json

import numpy as np
import pytest

from khabar.dedup import DuplicateIndex, names_agency

# A self-written wire story about an invented event, one sentence per line.
BODY = [
    "أعلنت وزارة الزراعة في الأردن اليوم عن خطة جديدة لتوزيع مياه الري على المزارعين في وادي الأردن.",
    "وتشمل الخطة تركيب عدادات ذكية في أكثر من ألفي مزرعة قبل بداية موسم الصيف المقبل.",
    "وقال الناطق باسم الوزارة إن الهدف هو تقليل الهدر بنسبة ثلاثين في المئة خلال عامين.",
    "وأضاف أن المزارعين الذين يلتزمون بالحصص الجديدة سيحصلون على دعم مالي مباشر.",
    "ورحبت نقابة المزارعين بالخطة لكنها طالبت بتأجيل تطبيقها حتى نهاية الحصاد.",
    "ويعاني الأردن من شح كبير في الموارد المائية ويعد من أفقر دول العالم بالمياه.",
    "وكانت الحكومة قد رفعت أسعار المياه للاستخدام الزراعي في العام الماضي.",
    "ويتوقع خبراء أن تنخفض كميات الأمطار هذا الشتاء مقارنة بالمعدل العام.",
    "وأشار الناطق إلى أن فرقا فنية ستزور المزارع خلال الأسابيع القادمة لشرح آلية العمل.",
    "ودعت الوزارة المواطنين إلى ترشيد الاستهلاك المنزلي أيضا خلال أشهر الصيف.",
]
WIRE = "عمان (أ ف ب) - " + " ".join(BODY)

OTHER_SAME_TOPIC = (
    "قالت نقابة المزارعين في الأردن إن موسم الحصاد هذا العام تأثر بموجة حر غير مسبوقة. "
    "وطالبت النقابة الحكومة بتعويض المزارعين عن خسائرهم في محاصيل الخضار والفواكه. "
    "وأوضح رئيس النقابة أن أسعار الأسمدة ارتفعت بشكل كبير خلال الأشهر الماضية. "
    "ودعا إلى فتح أسواق تصدير جديدة في دول الخليج لتصريف الفائض من الإنتاج. "
    "من جهتها قالت وزارة الزراعة إنها تدرس الطلب وستعلن قرارها الأسبوع المقبل."
)


def test_dedup_exact_ignores_diacritics_and_spelling_variants() -> None:
    idx = DuplicateIndex()
    assert idx.add("a", WIRE, published="2024-03-01", source="x") is None
    variant = WIRE.replace("أعلنت", "اعلنت").replace("الزراعة", "الزراعه").replace("اليوم", "اليَوْمَ")
    m = idx.add("b", variant, published="2024-03-01", source="y")
    assert m is not None and m.of == "a" and m.relation == "exact" and m.jaccard == 1.0


def test_dedup_near_duplicate_with_one_sentence_edited() -> None:
    idx = DuplicateIndex()
    idx.add("a", WIRE)
    edited = WIRE.replace("ثلاثين في المئة خلال عامين", "الربع خلال ثلاث سنوات")
    m = idx.add("b", edited)
    assert m is not None and m.of == "a" and m.relation == "near"
    assert 0.8 <= m.jaccard < 1.0


def test_dedup_different_article_on_same_topic_is_not_a_duplicate() -> None:
    idx = DuplicateIndex()
    idx.add("a", WIRE)
    assert idx.add("b", OTHER_SAME_TOPIC) is None
    assert idx.group("b") == ["b"]


def test_dedup_syndicated_copy_with_new_lead_and_trailer() -> None:
    idx = DuplicateIndex()
    idx.add("wire", WIRE, published="2024-03-01T08:00:00")
    copy = (
        "في خطوة طال انتظارها، كشفت الحكومة الأردنية عن حزمة إجراءات لمواجهة أزمة المياه التي تضرب البلاد. "
        "وجاءت الخطوة بعد اجتماعات مطولة مع ممثلي القطاع الزراعي والبلديات. "
        + " ".join(BODY[1:8])
        + " تابعوا آخر الأخبار على موقعنا وحملوا تطبيقنا المجاني للهواتف الذكية."
    )
    m = idx.add("copy", copy, published="2024-03-01T10:30:00")
    assert m is not None and m.of == "wire"
    assert m.relation == "syndicated"
    assert m.containment >= 0.6
    assert idx.group("copy") == ["wire", "copy"]


def test_dedup_original_is_earliest_then_agency_credit() -> None:
    idx = DuplicateIndex()
    plain = " ".join(BODY)
    idx.add("late", plain + " نقلا عن موقع محلي.", published="2024-03-02")
    idx.add("early", plain + " المصدر: صحيفة يومية.", published="2024-03-01")
    idx.add("agency", WIRE, published="2024-03-01")
    idx.add("undated", plain + " شارك الخبر.", published="")
    group = idx.group("early")
    assert set(group) == {"late", "early", "agency", "undated"}
    # Same earliest day: the copy crediting the agency wins over the one that does not.
    assert idx.original_of(group) == "agency"
    assert idx.original_of(["late", "undated"]) == "late"
    assert names_agency("نقلا عن وكالة الأنباء الرسمية") and names_agency("(رويترز)")
    assert not names_agency(OTHER_SAME_TOPIC)


def test_dedup_state_round_trip_keeps_matches_and_finds_new_ones() -> None:
    idx = DuplicateIndex()
    idx.add("a", WIRE, published="2024-03-01")
    idx.add("b", OTHER_SAME_TOPIC)
    idx.add("c", WIRE + " شارك الخبر.")
    state = idx.to_state()
    json.dumps({k: v for k, v in state.items() if not isinstance(v, np.ndarray)})
    again = DuplicateIndex.from_state(state)
    assert again.match_of("c") == idx.match_of("c")
    assert again.add("a", WIRE) is None  # known id: first answer again, nothing added
    assert len(again) == 3
    m = again.add("d", OTHER_SAME_TOPIC.replace("الأسبوع المقبل", "غدا"))
    assert m is not None and m.of == "b"
    assert again.group("d") == ["b", "d"]


def test_dedup_short_texts_match_only_exactly() -> None:
    idx = DuplicateIndex()
    idx.add("a", "عاجل: انفجار في الميناء")
    assert idx.add("b", "عاجل: انفجار في المطار") is None
    m = idx.add("c", "عاجل - انفجار في الميناء!")
    assert m is not None and m.relation == "exact"


def test_dedup_shared_permutations_give_the_same_signatures() -> None:
    # Signatures are drawn with permutations computed once per num_perm; they must equal
    # datasketch's own seeded MinHash, or saved states and new articles would disagree.
    from datasketch import MinHash

    from khabar.dedup import _MH_ARGS, _SEED

    idx = DuplicateIndex()
    shingles = {"أعلنت الوزارة اليوم".encode(), "الوزارة اليوم عن".encode(), "اليوم عن خطة".encode()}
    ref = MinHash(num_perm=idx.num_perm, seed=_SEED, **_MH_ARGS)
    ref.update_batch(sorted(shingles))
    assert (idx._minhash(shingles).hashvalues == ref.hashvalues).all()


def test_dedup_band_tables_give_datasketch_lsh_candidates() -> None:
    """Our compact band tables answer as MinHashLSH does, across merges of pending inserts."""
    from datasketch import MinHash, MinHashLSH

    from khabar.dedup import _BandIndex

    rng = np.random.default_rng(3)
    lsh = MinHashLSH(threshold=0.3, num_perm=128)
    bands = _BandIndex(lsh.hashranges)
    base = rng.integers(0, 2**32, size=(40, 128), dtype=np.uint64)
    sigs = []
    for i in range(400):  # > 4096 band entries: the pending dict is merged into the sorted arrays
        fresh = rng.integers(0, 2**32, size=128, dtype=np.uint64)
        sig = np.where(rng.random(128) < 0.6, fresh, base[i % 40])  # 40 families of similar signatures
        sigs.append(sig)
        lsh.insert(i, MinHash(num_perm=128, hashvalues=sig, scheme="affine32"), check_duplication=False)
        bands.insert(i, sig.astype(np.uint32))
    assert bands._keys.size > 0  # some were merged
    shared = 0
    for i in range(0, 400, 7):
        want = set(lsh.query(MinHash(num_perm=128, hashvalues=sigs[i], scheme="affine32")))
        assert bands.query(sigs[i].astype(np.uint32)) == want
        shared += i in want and len(want) > 1
    assert shared >= 40  # of 58 queries: most find their family, so the comparison is not vacuous


def test_dedup_state_written_before_compact_tables_loads_and_matches() -> None:
    idx = DuplicateIndex()
    idx.add("a", WIRE, published="2024-03-01", source="x")
    idx.add("b", WIRE.replace("اليوم", "أمس"), source="y")
    state = idx.to_state()
    assert state["signatures"].dtype == np.uint64 and len(state["exact"]) == 2
    assert all(len(k) == 64 for k in state["exact"])  # hex sha256, as before
    again = DuplicateIndex.from_state(json.loads(json.dumps({**state, "signatures": state["signatures"].tolist()})))
    assert again.group("b") == ["a", "b"] and again.match_of("b") == idx.match_of("b")
    m = again.add("c", WIRE, source="z")
    assert m is not None and m.relation == "exact" and m.of == "a"
    edited = WIRE.replace("ثلاثين في المئة خلال عامين", "الربع خلال ثلاث سنوات")
    m = again.add("d", edited)
    assert m is not None and m.relation == "near" and again.group("d") == ["a", "b", "c", "d"]


def test_dedup_signatures_must_fit_32_bits() -> None:
    with pytest.raises(ValueError, match="32 bits"):
        DuplicateIndex._signature(np.array([1, 2**40], dtype=np.uint64))
