"""Spoken Arabic read as written Arabic: the words rumour posts are told in."""

from __future__ import annotations

from khabar.claim_tokens import word_token
from khabar.spoken import written
from khabar.stories import terms_of


def test_spoken_words_read_as_their_written_equivalent() -> None:
    assert written("بكرا") == written("بكرة") == "غدا"
    assert word_token("تسكر") == word_token("إغلاق") == word_token("لإقفالها")  # spoken, written, written
    assert word_token("النت") == word_token("الإنترنت") and word_token("البنوك") == word_token("المصارف")
    assert written("الحين") == "" and word_token("خلاص") is None  # fillers name nothing
    assert word_token("الموتوسيكلات") == word_token("الدراجات")  # "الدراجات النارية"
    assert word_token("البوطا") == word_token("البوتان")  # Moroccan: "ثمن البوطا" / "قنينة غاز البوتان"
    assert word_token("سبيطار") == word_token("المستشفى")  # Maghrebi: "سبيطار مصطفى باشا"
    assert written("عالعناية") == "العناية" and written("عالمية") == "عالمية"  # على + ال written as one word
    assert word_token("عم") is None  # the Levantine progressive ("عم يقولوا")
    assert word_token("المي") == word_token("المياه") and written("مية") == "مية"  # مية is also "a hundred"
    assert word_token("قفلوه") == word_token("إغلاق") and word_token("اتلغت") == word_token("إلغاء")
    assert word_token("انحبس") == word_token("مسكوه") == word_token("اعتقال")


def test_spoken_plural_imperfect_in_waw_reads_as_written() -> None:
    assert written("يقطعو") == "يقطعوا" and word_token("يقطعو") == word_token("انقطاع")  # "غادي يقطعو الما"
    assert word_token("تسكرو") == word_token("إغلاق")  # through the table's تسكر
    assert written("يدعو") == "يدعو" and written("نحو") == "نحو"  # written words ending in و stay


def test_spoken_verb_prefixes_are_cut_only_from_words_the_dictionary_lacks() -> None:
    assert written("هيقطع") == "يقطع" and word_token("هيقطع") == word_token("قطع")  # Egyptian future
    assert written("بيقولوا") == "يقولوا" and written("اتلغى") == "تلغى"  # progressive, Egyptian passive
    assert word_token("اتلغى") == word_token("إلغاء")
    assert written("هالشهر") == "الشهر"
    # written words that start the same way stay whole
    for word in ("بيروت", "هيئة", "اتفاق", "بيان", "حيث"):
        assert written(word) == word
    # sugar is not "close" (only the verb forms of سكّر are in the table)
    assert word_token("السكر") != word_token("تسكر")


def test_spoken_rumour_and_written_denial_share_story_terms() -> None:
    rumour = set(terms_of("عاجل يا شباب البنوك رح تسكر بكرا كلها", lemmas=True))
    denial = set(terms_of("جمعية المصارف: المصارف تفتح أبوابها غدا كالمعتاد", lemmas=True))
    assert {"مصرف", "غد"} <= rumour & denial  # lemma keys: مصرف، غد
