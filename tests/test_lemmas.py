"""Dictionary lemmas: plurals meet singulars, a word's own letters stay."""

from __future__ import annotations

from khabar.lemmas import dictionary_lemma, lemma_key


def test_lemmas_plural_and_nisba_forms_meet_their_singular() -> None:
    assert dictionary_lemma("الأطباء") == dictionary_lemma("طبيب") == "طبيب"
    assert dictionary_lemma("أسعار") == "سعر" and dictionary_lemma("الحكومية") == dictionary_lemma("الحكومي")


def test_lemmas_an_attached_proclitic_is_dropped_only_when_the_dictionary_lacks_the_word() -> None:
    assert dictionary_lemma("لتسريح") == "تسريح" and dictionary_lemma("والأطباء") == "طبيب"
    assert dictionary_lemma("وزارة") == "وزارة"  # listed: its و is its own, not a conjunction
    # simplemma's guessing strategies read بيته as ب + يته; the dictionary reads بيت + ه
    assert dictionary_lemma("بيته") == "بيت"


def test_lemmas_lemma_keys_list_only_lemmas_that_differ_from_the_word() -> None:
    assert lemma_key("أسعار") == "سعر"
    assert lemma_key("سعر") == ""  # the lemma is the word itself
    assert lemma_key("الرسوم") == "رسم"  # looked up without its article



def test_lemmas_a_four_letter_word_keeps_its_first_letter_only_before_a_pronoun_letter() -> None:
    # بيته is بيت + ه, not ب + يته; برفع، بدعم، لقطع end in no pronoun letter: ب / ل + a listed word
    assert dictionary_lemma("بيته") == "بيت"
    assert (dictionary_lemma("برفع"), dictionary_lemma("بدعم"), dictionary_lemma("لقطع")) == ("رفع", "دعم", "قطع")


def test_lemmas_an_attached_pronoun_is_dropped_when_the_dictionary_lacks_the_word() -> None:
    # "لا نية لتأجيلها" meets "تأجيل الامتحانات"; the ة a pronoun turns into ت comes back
    assert dictionary_lemma("لتأجيلها") == dictionary_lemma("تأجيل") == "تأجيل"
    assert (dictionary_lemma("حياته"), dictionary_lemma("وفاته"), dictionary_lemma("بدعمها")) == ("حياة", "وفاة", "دعم")
    assert dictionary_lemma("صوته") == "صوت"  # a three-letter stem keeps its ت (not صوة)
