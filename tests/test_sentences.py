"""Sentence splitting: ends, quotes, numbers, abbreviations, span invariants; and language."""

from __future__ import annotations

from hypothesis import given, settings as hsettings, strategies as st

from khabar.language import detect_language
from khabar.sentences import split_sentences


def texts(t: str) -> list[str]:
    return [t[s.start : s.end] for s in split_sentences(t)]


def test_sentences_arabic_and_latin_ends():
    t = "وصل الوفد صباحا. هل يتفق الطرفان؟ نعم! Talks resume today. Really? ثم انتهى الاجتماع…  "
    assert texts(t) == ["وصل الوفد صباحا.", "هل يتفق الطرفان؟", "نعم!", "Talks resume today.", "Really?", "ثم انتهى الاجتماع…"]


def test_sentences_newline_is_boundary_and_spans_trimmed():
    t = "  عنوان بلا نقطة\n\n  سطر ثان   \n"
    spans = split_sentences(t)
    assert [t[s.start : s.end] for s in spans] == ["عنوان بلا نقطة", "سطر ثان"]
    assert all(s.label == "SENT" and s.stage == "sentences" for s in spans)


def test_sentences_short_quote_not_split_long_quote_split():
    short = "قال الوزير: «لن نوقع. ولن نتراجع». ثم غادر."
    assert texts(short) == ["قال الوزير: «لن نوقع. ولن نتراجع».", "ثم غادر."]
    long_q = "قال: «" + "كلام طويل جدا. " * 30 + "انتهى». بعدها صمت."
    assert len(texts(long_q)) > 3


def test_sentences_closing_quote_stays_with_sentence():
    assert texts('وقال: "هذه معلومات كاذبة." وأضاف شيئا.') == ['وقال: "هذه معلومات كاذبة."', "وأضاف شيئا."]


def test_sentences_decimals_and_abbreviations():
    t = "بلغ النمو 3.5 في المئة و 3 . 25 مليون فدان. قال د. أحمد ذلك ( أ . ف . ب ). Dr. Smith agreed."
    assert texts(t) == ["بلغ النمو 3.5 في المئة و 3 . 25 مليون فدان.", "قال د. أحمد ذلك ( أ . ف . ب ).", "Dr. Smith agreed."]


def test_sentences_empty():
    assert split_sentences("") == [] and split_sentences(" \n\t ") == []


@hsettings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("اب جد.؟!…\n\"«»“” 3.د")), max_size=200))
def test_sentences_spans_ordered_disjoint_in_bounds(t):
    spans = split_sentences(t)
    prev = 0
    for s in spans:
        assert prev <= s.start < s.end <= len(t)
        assert not t[s.start].isspace() and not t[s.end - 1].isspace()
        prev = s.end
    covered = "".join(t[s.start : s.end] for s in spans)
    assert "".join(covered.split()) == "".join(t.split())  # no text lost


def test_language_detection():
    assert detect_language("قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل") == "ar"
    assert detect_language("The minister said on Tuesday that the talks would resume next week.") == "en"
    assert detect_language("Le ministre a déclaré mardi que les négociations reprendraient bientôt.") == "fr"
    assert detect_language("2018 - 12 - 01") == ""


def test_sentence_languages_keep_latin_name_inside_arabic():
    from khabar.language import detect_sentence_languages
    from khabar.model import Article

    ar = "وقال رجل الأعمال Elon Musk في مقابلة مع الصحيفة إن شركته لم تتلق أي طلب رسمي."
    en = "The company declined to comment on the report when contacted by reporters on Friday."
    text = f"{ar} {en}"
    art = Article(id="t", path="t.txt", raw=text, text=text)
    detect_sentence_languages(art)
    assert [(s.label, art.span_text(s)) for s in art.spans("sent_lang")] == [("ar", ar), ("en", en)]
    foreign = art.spans("foreign")
    assert [(s.label, art.span_text(s)) for s in foreign] == [("und", "Elon Musk")]
    assert art.text == text  # nothing rewritten: the name stays as written


def test_sentence_languages_label_long_foreign_run_and_use_existing_sentences():
    from khabar.language import detect_sentence_languages
    from khabar.model import Article, Span

    text = ("ونقلت وكالة الأنباء الرسمية عن البيان الصادر عن وزارة الخارجية مساء الخميس قوله the situation remains "
            "very dangerous for everyone وأضاف المتحدث أن الوزارة تتابع التطورات الميدانية عن كثب مع الشركاء.")
    art = Article(id="t", path="t.txt", raw=text, text=text)
    art.add("sentences", [Span(0, len(text), "SENT", "sentences")])
    detect_sentence_languages(art)
    assert [s.label for s in art.spans("sent_lang")] == ["ar"]
    (run,) = art.spans("foreign")
    assert run.label == "en" and art.span_text(run) == "the situation remains very dangerous for everyone"


def test_language_short_texts_stop_word_vote_settles_only_its_own_languages():
    from khabar.language import detect_language

    assert detect_language("the situation remains very dangerous for everyone") == "en"
    assert detect_language("De minister zei maandag dat de haven snel weer opengaat.") == "nl"  # "de" is no Spanish vote here
    assert detect_language("Le ministre a déclaré lundi que le port rouvrira.") == "fr"
