"""A post's people as cross-script name keys: the people it names, and its author's own name.

A singer answers a rumour about her divorce from her own account: "كل ما يكتب عن انفصالي
غير صحيح" by "X @RimaKhouryOfficial", or a doctor from "Facebook د. معتصم الفاضل". The
reply names no one; its author is the person the rumour names. Both sides become terms of
the same key space, so the story index can see it: each pair of consecutive words of a
person's name as ``~key|key`` (:func:`khabar.resolve.latin_key` of each word, article and
Latin "al-" dropped), from the PER mentions of a post and from the author's display name or
handle (camel case and ``_`` split; platform words, titles and "official" dropped). A pair,
not a word: a shared first name alone (محمد، Ahmed) would join strangers.
"""

from __future__ import annotations

import re

from khabar.arabic import fold
from khabar.model import Article
from khabar.resolve import latin_key

# Words of a source string that are not the author's name (folded Arabic, lower-case Latin).
_NOT_NAME = frozenset(
    "x twitter facebook fb instagram insta tiktok youtube telegram whatsapp snapchat threads linkedin "
    "official officiel page news dr prof eng mr mrs ms the real ar tv media "
    "تويتر فيسبوك فيس بوك انستغرام انستقرام انستجرام تيك توك يوتيوب تلغرام تليغرام واتساب سناب "
    # a country code after the name in a handle ("@bukhalil_bh", "@sara_q8")
    "sa ksa kw q8 bh qa om ae uae eg jo iq sy lb ps ye sd ly tn dz ma "
    "د دكتور الدكتور م مهندس المهندس ا أ الاستاذ استاذ الشيخ شيخ صفحه الصفحه الرسميه الرسمي رسمي اخبار".split()
)
_CAMEL_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_WORD_RE = re.compile(r"[A-Za-z]+|[\u0621-\u064A]+")
_LATIN_AL_RE = re.compile(r"^(?:al|el)(?=[a-z]{3,})")
_DOUBLED_RE = re.compile(r"(.)\1+")


def _full_key(word: str) -> str:
    """:func:`khabar.resolve.latin_key` of a name word without its article (الخوري, al-fadil)."""
    if word.isascii():
        word = _LATIN_AL_RE.sub("", word.lower())
    else:
        word = fold(word)
        word = word[2:] if word.startswith("ال") and len(word) > 4 else word
    return latin_key(word)


def _key(word: str) -> str:
    """One name word's cross-script key: "الخوري" and "Khoury" -> "grV"; "" for a word too short to tell."""
    key = _full_key(word)
    return key if len(key.rstrip("V")) >= 2 else ""


def name_terms(words: list[str], *, whole: bool = False) -> list[str]:
    """``~a|b`` for each two consecutive words of a name that have a key (a short word between is skipped: "حسن ود
    الأمين"), and ``~~`` with the consonants of the whole name run together, for a handle written as one word
    ("@ramihaddad" ~ رامي حداد): from two or more words (``whole``: any), at least three consonants; also of
    each run of two to four consecutive words."""
    keys = [k for k in map(_key, words) if k]
    out = [f"~{a}|{b}" for a, b in zip(keys, keys[1:])]
    # ... and of each run of two or more consecutive words: a mention tagged one word too long ("شريف منصور اتنقل",
    # "ماهر العلي بحمص": NER's boundary in spoken text) still meets "@sherifmansour" in its first two words
    cons = [_consonants(w) for w in words]  # short words too: حداد is "d"
    spans = [(a, b) for a in range(len(words)) for b in range(a + 2, min(len(words), a + _MAX_RUN_WORDS) + 1)]
    if len(words) >= 2 or whole and words:
        spans.insert(0, (0, len(words)))  # the whole name, as a handle writes it
    for a, b in spans:
        run = _DOUBLED_RE.sub(r"\1", "".join(cons[a:b]))
        if len(run) >= 3 and f"~~{run}" not in out:
            out.append(f"~~{run}")
    return out


_MAX_RUN_WORDS = 4  # a name run together from at most this many words (عبد الرحيم بن سالم)


def family_key(words: list[str]) -> str:
    """``~^`` and the key of the last word of an author's name ("منى الحداد" -> the key of الحداد), "" for a name
    of one word: a son or daughter answering for a parent shares the family name, not the first name."""
    keys = [_full_key(w) for w in words]
    return f"~^{keys[-1]}" if len(keys) >= 2 and keys[-1].rstrip("V") else ""


def _consonants(word: str) -> str:
    """The consonant key of one name word, however short (:func:`_key` without its final mark or length floor)."""
    return _full_key(word).rstrip("V")


def author_words(source: str) -> list[str]:
    """The words of an author's name in a post's source string ("Facebook Sami Ouertani", "X @RimaKhouryOfficial")."""
    out: list[str] = []
    for tok in _WORD_RE.findall(source.replace("_", " ")):
        parts = _CAMEL_RE.findall(tok) if tok.isascii() and not tok.islower() else [tok]
        out += [p for p in parts if (p.lower() if p.isascii() else fold(p)) not in _NOT_NAME]
    return out


def person_terms(article: Article) -> list[str]:
    """Name terms of the people ``article`` names (its PER mentions)."""
    out: list[str] = []
    for span in article.spans("entities"):
        if span.label == "PER":
            words = _WORD_RE.findall(article.text[span.start : span.end])
            out += name_terms(words)
            # the family names it may hold (any word after the first: "ماهر العلي بحمص" is tagged a word long),
            # for a relative's answer (:func:`family_key`)
            out += [f"~^{k}" for w in words[1:] if (k := _full_key(w)).rstrip("V")] if len(words) >= 2 else []
    return out


# A post in the first person singular: "أنا بخير", Iraqi "آني زين", "ما يكتب عن انفصالي", "بخصوص استقالتي" (a noun with
# "my" after عن / حول / بشأن / بخصوص; not "الحالي": the article rules it out).
_FIRST_PERSON_RE = re.compile(
    r"(?<![\w])(?:[أا]نا|[أإا]نني|[إا]ني|آني|راني|[أا]نايا)(?![\w])|(?<![\w])(?:عن|حول|بشأن|بشان|بخصوص)\s+(?!ال)[\u0621-\u064A]{3,}ي(?![\w])"
)


# A post speaking of the writer's parent, child, sibling or spouse ("الوالد بخير"، "أبوي بخير"، "الواليد الحمد لله
# بخير"): a relative answers for the person a rumour names, from an account bearing the family name.
_KIN_RE = re.compile(
    r"(?<![\w])(?:ال)?(?:والد|والدة|واليد|والدي|والدتي|والدنا|والدتنا|ابوي|أبوي|ابويا|أبويا|امي|أمي|اخوي|أخوي"
    r"|اخويا|أخويا|أختي|اختي|ابني|إبني|بنتي|ابنتي|زوجي|زوجتي|جدتي)(?![\w])"
)


def speaks_of_kin(text: str) -> bool:
    """Whether ``text`` speaks of the writer's close relative (:data:`_KIN_RE`)."""
    return _KIN_RE.search(text) is not None


def in_first_person(text: str) -> bool:
    """Whether ``text`` speaks as "I" (:data:`_FIRST_PERSON_RE`): a person answering for themselves."""
    return _FIRST_PERSON_RE.search(text) is not None


def author_terms(article: Article) -> list[str]:
    """Name terms of ``article``'s author, read from its source (ask :func:`in_first_person` first: a ministry's
    or a club's account names no person)."""
    words = author_words(article.source)
    out = name_terms(words, whole=True)
    if len(words) == 1 and (m := _HANDLE_ARTICLE_RE.match(words[0])):
        # a handle in one word with the family name's article inside ("tamerelsherif" ~ تامر الشريف)
        out += [t for t in name_terms([m.group(1), m.group(2)]) if t not in out]
    return out


_HANDLE_ARTICLE_RE = re.compile(r"^([a-z]{3,})(?:el|al)([a-z]{3,})$")


def answering_keys(article: Article) -> tuple[frozenset[str], str]:
    """Whom a post may answer for: its author's name keys when it speaks in the first person (:func:`author_terms`),
    and its author's family key when it speaks of a relative (:func:`family_key`); empty when neither. Stories and
    claims both ask it of a denying post."""
    text = article.text
    author = frozenset(author_terms(article)) if in_first_person(text) else frozenset()
    family = family_key(author_words(article.source)) if speaks_of_kin(text) else ""
    return author, family
