"""Language of an article and of its sentences, as ISO 639-1 codes ("ar", "en", "fr", ...).

Arabic-script text (by letter share, :func:`khabar.arabic.is_arabic`) is "ar"
without a model. Other text goes to lingua (Apache-2.0; its n-gram models ship
inside the wheel, nothing is downloaded), restricted to the languages Arabic
news desks meet so that only those models are loaded. If lingua is missing, a
small stop-word heuristic covers en/fr/de/es. "" means undetermined (no letters).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from khabar.arabic import is_arabic
from khabar.model import Article, Span

log = logging.getLogger(__name__)

_MAX_CHARS = 2000  # characters given to the model: enough for a stable guess, keeps it fast
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to in is that for was with said on by".split()),
    "fr": frozenset("le la les des et est une dans pour que du a été sur".split()),
    "de": frozenset("der die das und ist nicht mit den von zu ein eine".split()),
    "es": frozenset("el la los las y que de en por para una con es".split()),
}
_LATIN_WORD = re.compile(r"[^\W\d_]+")


_LINGUA_LANGUAGES = ("ENGLISH", "FRENCH", "GERMAN", "SPANISH", "ITALIAN", "PORTUGUESE", "TURKISH",
                     "RUSSIAN", "PERSIAN", "URDU", "HEBREW", "INDONESIAN", "MALAY", "DUTCH", "ARABIC")


@lru_cache(maxsize=1)
def _detector():
    """A lingua detector over the news languages, or None when lingua is absent."""
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        log.info("lingua not installed; using the stop-word heuristic")
        return None
    langs = [getattr(Language, name) for name in _LINGUA_LANGUAGES]
    # Low-accuracy mode reads trigrams only: 1 MiB of models instead of ~230 MiB per worker process
    # (measured with these 15 languages); on a few words it confuses en / fr / de / es, which a stop-word vote settles.
    return LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()


_SHORT_CHARS = 120  # below this, trigram-only detection may confuse the stop-word languages


def _stopword_scores(text: str) -> dict[str, int]:
    """Occurrences of each :data:`_STOPWORDS` language's stop words in ``text``."""
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    return {lang: sum(w in sw for w in words) for lang, sw in _STOPWORDS.items()}


def _stopword_vote(text: str) -> str:
    """The language whose stop words occur at least twice in ``text``, twice as often as any other's; else ""."""
    scores = _stopword_scores(text)
    lang = max(scores, key=scores.__getitem__)
    best, second = sorted(scores.values(), reverse=True)[:2]
    return lang if best >= 2 and best >= 2 * second else ""


def _heuristic(text: str) -> str:
    scores = _stopword_scores(text)
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] else "en"


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s main language, "" when it has no letters."""
    if not any(c.isalpha() for c in text):
        return ""
    if is_arabic(text):
        return "ar"
    sample = " ".join(text[:_MAX_CHARS].split())
    detector = _detector()
    if detector is None:
        return _heuristic(sample)
    found = detector.detect_language_of(sample)
    code = found.iso_code_639_1.name.lower() if found is not None else ""
    if code in _STOPWORDS and len(sample) < _SHORT_CHARS:
        code = _stopword_vote(sample) or code  # trigrams confuse en / fr / de / es on a few words
    return code or _heuristic(sample)


# A run of Latin-script words (with the spaces, digits and light punctuation between them).
_LATIN_RUN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w'’.-]*(?:[ \t]+[A-Za-zÀ-ÖØ-öø-ÿ0-9][\w'’.-]*)*")
_ARABIC_LETTER = re.compile(r"[\u0620-\u064A]")
_RUN_MIN_WORDS = 4  # shorter foreign runs (names, brands) are too short to identify: labelled "und"


def detect_sentence_languages(article: Article) -> None:
    """Label each sentence with its language, and foreign-script runs inside Arabic ones.

    Adds two layers of spans into ``article.text`` (offsets of the sentences
    layer, or of :func:`khabar.sentences.split_sentences` when absent):
    ``"sent_lang"``, one span per sentence labelled with its ISO 639-1 code
    ("" never: undetermined sentences are labelled "und"); and ``"foreign"``,
    each Latin-script run inside an Arabic or mixed sentence, labelled with its
    language when it has at least four words, else "und" (a name such as
    "Elon Musk"); any sentence holding Arabic letters is scanned for such runs. The text itself is never changed, so such names stay as written.
    """
    sents = article.spans("sentences")
    if not sents:
        from khabar.sentences import split_sentences

        sents = split_sentences(article.text)
    text = article.text
    labels: list[Span] = []
    foreign: list[Span] = []
    for sent in sents:
        chunk = text[sent.start : sent.end]
        lang = detect_language(chunk) or "und"
        labels.append(Span(sent.start, sent.end, lang, "language"))
        if lang != "ar" and not _ARABIC_LETTER.search(chunk):
            continue
        for m in _LATIN_RUN.finditer(chunk):
            run = m.group().rstrip(".-'’")
            code = detect_language(run) if len(run.split()) >= _RUN_MIN_WORDS else "und"
            start = sent.start + m.start()
            foreign.append(Span(start, start + len(run), code or "und", "language"))
    article.set_layer("sent_lang", labels)
    article.set_layer("foreign", foreign)
