"""Named-entity mentions and the role phrases attached to person mentions.

:func:`find_mentions` tags each sentence with the bundled CRF
(``data/ner.crfsuite``, then with ``stacked`` the pass-2 model
``data/ner_pass2.crfsuite`` reading its labels; trained by :mod:`khabar.ner_train`, with word clusters
from ``data/ner_clusters.tsv.gz`` and ANERGazet membership from
``data/ner_gazetteer.tsv.gz``) and adds two layers:

* ``"entities"``: one Span per mention, labelled PER / LOC / ORG / MISC, ``ref``
  None until :mod:`khabar.resolve` sets the entity id. A mention never starts
  with an attached proclitic: ``وبوتين`` gives a span over ``بوتين``.
* ``"roles"``: a ``ROLE`` Span over a title or function phrase standing right
  before a person (``الرئيس الروسي`` فلاديمير بوتين) or in apposition right
  after it (بيل نيلسون، ``مدير وكالة ناسا``). :func:`roles_for` pairs them.

Offsets are half-open character offsets into ``Article.text``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from khabar.arabic import fold, is_arabic, strip_clitics
from khabar.cues import NEGATORS
from khabar.errors import ModelMissingError
from khabar.model import Article, Span
from khabar.ner_autogaz import load_autogaz
from khabar.ner_train import (
    DEFAULT_CLUSTERS,
    DEFAULT_GAZETTEER,
    DEFAULT_MODEL,
    STACK_FEATURES,
    STACK_VERSION,
    add_autogaz,
    bio_spans,
    document_features,
    file_digest,
    load_clusters,
    load_gazetteer_index,
    pass1_tags,
    pass2_paths,
    propagate_entities,
    stacked_features,
    to_bio,
    tokenize,
    wordtype_path,
)
from khabar.ner_wordtype import load_wordtype, wordtype_features

if TYPE_CHECKING:
    import pycrfsuite

log = logging.getLogger(__name__)

STAGE = "entities"
TAG_TYPES = {"PERS": "PER", "PER": "PER", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC"}

# Title and function nouns that head a role phrase, in their folded form with
# the article removed (so رئيس and الرئيس are one entry).
_ROLE_HEADS = frozenset(
    strip_clitics(fold(w))
    for w in (
        "رئيس رئيسة المتحدث المتحدثة الناطق الناطقة وزير وزيرة مدير مديرة الأمين السفير السفيرة "
        "المستشار المستشارة قائد زعيم الملك الملكة الأمير الأميرة الشيخ ولي نائب النائبة عضو المرشح "
        "المرشحة الملياردير مؤسس المؤسس المدعي القاضي الجنرال اللواء العقيد العميد المشير البابا "
        "الإمام المفتي الكاردينال السيناتور الدكتور البروفيسور الكاتب الكاتبة الصحفي الصحفية المحلل "
        "الخبير المراسل المراسلة المبعوث المندوب المحافظ عمدة الحاكم المدير المديرة الرئيس الممثل "
        "المفوض المفوضة قائد المنسق المنسقة مساعد مساعدة كبير كبيرة المحامي المحامية رجل سيدة"
    ).split()
)
# Words that end a role phrase when scanning away from the name: clause words,
# verbs of saying and prepositions that introduce something other than a title.
_ROLE_STOP = frozenset(
    fold(w)
    for w in (
        "إن أن أنه أنها عن على مع إلى الذي التي الذين قال وقال قالت وقالت أكد وأكد أضاف وأضاف لكن أو ثم "
        "حيث كما بعد قبل منذ عند هو هي كان كانت لا لم لن ما قد اليوم أمس بين بينما فيما إذا لو"
    ).split()
)
_QUOTES = frozenset('"\'“”«»‘’„')
_ROLE_BREAK = frozenset(".,،:;؛!?؟()[]{}\n")
# A capitalised Latin word, then more, joined by spaces or hyphens and by the lowercase particles
# of names (Ras al-Ghaim, Karim al-Abadi, Charles de Gaulle) or one "of" / "for" (Ministry of Transport;
# not "of the", which more often ends a name: "Leila de Souza of the Ministry").
_LATIN_WORD = r"[A-Z][A-Za-z0-9'’]*"
_LATIN_PARTICLES = r"(?:(?:al|el|bin|ibn|bint|de|da|di|du|des|van|von|der|den|la|le)[ -])*|(?:of|for) "
_LATIN_SEQ_RE = re.compile(rf"\b{_LATIN_WORD}(?:[ -](?:{_LATIN_PARTICLES}){_LATIN_WORD})*\b")
# Capitalised only because they start a sentence or are calendar words: never a mention on their own,
# and peeled off the front of a longer one ("The Coastal Herald" keeps its name, "At Ras" loses "At").
_LATIN_NOT_NAMES = frozenset("""
a an the at in on by for from to of and but or as after before when while if since until though although
there here this that these those it its he she they we i you his her their our my your what which who
according meanwhile however also yet so then now today yesterday tomorrow last next
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december le la les un une des et en au aux du dans pour par sur avec selon
""".split())
_SENTENCE_END = frozenset(".!?\n:؟")
_HAMZA_ALEF = "أإآ"
_LATIN_RE = re.compile(r"[A-Za-z]")


@functools.lru_cache(maxsize=4)
def load_tagger(path: str) -> pycrfsuite.Tagger:
    """Open the CRF model at ``path`` once per process.

    Raises:
        ModelMissingError: the file is absent; the hint names ``make model``.
    """
    import pycrfsuite

    if not Path(path).is_file():
        raise ModelMissingError(
            "NER model file not found", source=str(path), hint="run `make model` (or `khabar train ner`) to build it"
        )
    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


@functools.lru_cache(maxsize=4)
def load_pass2(path: str) -> tuple[pycrfsuite.Tagger, tuple[str, ...]]:
    """The pass-2 tagger trained on the labels of the pass-1 model at ``path``, and its feature groups; once per process.

    Its manifest (:func:`khabar.ner_train.pass2_paths`) must name the current
    :data:`~khabar.ner_train.STACK_VERSION` and the SHA-256 of the pass-1 file:
    a pass-2 model reads pass 1's labels, so it is only valid with that model.

    Raises:
        ModelMissingError: the pass-2 model or manifest is absent, or does not
            match the pass-1 model; the hint names the retraining.
    """
    model2, manifest = pass2_paths(Path(path))
    hint = "retrain both passes with `make model` (or `khabar train ner`), or set stacked = false in [entities]"
    info = pass2_manifest(path)
    if not model2.is_file() or not info:
        raise ModelMissingError("NER pass-2 model or its manifest not found", source=str(model2), hint=hint)
    if info.get("version") != STACK_VERSION or info.get("pass1_sha256") != file_digest(Path(path)):
        raise ModelMissingError(f"NER pass-2 model was not trained on this pass-1 model (version {info.get('version')}, "
                                f"expected {STACK_VERSION})", source=str(manifest), hint=hint)
    return load_tagger(str(model2)), tuple(info.get("groups", STACK_FEATURES))


def pass2_uses_autogaz(path: str) -> bool:
    """Whether the pass-2 model beside the pass-1 model at ``path`` was trained with the auto-gazetteer (its manifest)."""
    return bool(pass2_manifest(path).get("autogaz", False))


def pass2_uses_wordtype(path: str) -> bool:
    """Whether the pass-2 model beside the pass-1 model at ``path`` was trained with the word-type guesser (its manifest)."""
    return bool(pass2_manifest(path).get("wordtype", False))


@functools.lru_cache(maxsize=4)
def pass2_manifest(path: str) -> dict[str, Any]:
    """The manifest of the pass-2 model beside the pass-1 model at ``path`` (``{}`` when there is none); read once per process."""
    import json

    manifest = pass2_paths(Path(path))[1]
    return json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}


def model_path(settings: dict[str, Any]) -> Path:
    """The model named by ``settings["model_path"]``, or the bundled one when empty."""
    value = str(settings.get("model_path", "") or "")
    return Path(value) if value else DEFAULT_MODEL


def clusters_path(settings: dict[str, Any]) -> Path:
    """The word-cluster table named by ``settings["clusters_path"]``, or the bundled one when empty.

    It must be the table the model was trained with (see the model card).
    """
    value = str(settings.get("clusters_path", "") or "")
    return Path(value) if value else DEFAULT_CLUSTERS


def gazetteer_path(settings: dict[str, Any]) -> Path:
    """The gazetteer table named by ``settings["gazetteer_path"]``, or the bundled one when empty.

    Like the cluster table, it must be the one the model was trained with.
    """
    value = str(settings.get("gazetteer_path", "") or "")
    return Path(value) if value else DEFAULT_GAZETTEER


def autogaz_path(settings: dict[str, Any]) -> Path:
    """The auto-gazetteer table named by ``settings["autogaz_path"]``, or the one beside the model when empty.

    :func:`khabar.ner_train.train_ner` writes it as ``<model stem>_autogaz.tsv.gz``
    (``ner_autogaz.tsv.gz``); like the other tables it must be the one the model was trained with.
    """
    value = str(settings.get("autogaz_path", "") or "")
    model = model_path(settings)
    return Path(value) if value else model.with_name(model.stem + "_autogaz.tsv.gz")


def _proclitic_len(tok: str, seen: Counter[str]) -> int:
    """How many leading characters of ``tok`` are proclitics (و ف ب ل ك), 0 to 2.

    A letter is removed when the rest is a word seen alone in the same article,
    begins with the article ال or a hamza alef, or (for و/ف) leaves a long
    enough rest that does not begin with a long vowel letter: ``وبوتين`` ->
    ``بوتين`` but ``وليد``, ``واشنطن``, ``ويليام`` stay whole. ب/ل/ك begin too
    many names (بوتين، لبنان، كيري) to strip without such evidence.
    """
    n = 0
    rest = tok
    if len(rest) > 3 and rest[0] in "وف":
        r = rest[1:]
        evidence = seen[fold(r)] or r.startswith("ال") or r[0] in _HAMZA_ALEF
        # ف before a name is rare and begins many (فلاديمير، فرنسا): strip it only on evidence.
        if evidence or (rest[0] == "و" and len(r) >= 4 and r[0] not in "اويى" and seen[fold(rest)] < 2):
            n, rest = 1, r
    if len(rest) > 3 and rest[0] in "بلك":
        r = rest[1:]
        if r[0] == "ل" and rest[0] == "ل":
            return n  # لل = ل + ال: the article's alef is gone, keep the word whole
        if seen[fold(r)] or r.startswith("ال") or r[0] in _HAMZA_ALEF or r[0] == rest[0]:
            n += 1
    return n


def _latin_mentions(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[Span]:
    """Capitalised Latin sequences (Elon Musk, SpaceX, Ras al-Ghaim) that the CRF did not tag.

    Leading function and calendar words are peeled off (:data:`_LATIN_NOT_NAMES`);
    a single word that begins a sentence counts only if it is also written
    capitalised inside a sentence somewhere in the text, since English and
    French capitalise every sentence's first word. Two to three capitalised
    words are guessed PER, anything else ORG; resolution lets a Latin mention
    join an Arabic entity of another type.
    """
    out = []
    for m in _LATIN_SEQ_RE.finditer(text, start, end):
        s, e = m.span()
        parts = m.group().replace("-", " ").split()
        while parts and (parts[0].lower() in _LATIN_NOT_NAMES or parts[0][0].islower()):
            parts.pop(0)
            s = _next_word(text, s)
        if not parts or e - s < 2 or any(s < te and ts < e for ts, te in taken):
            continue
        if len(parts) == 1 and _starts_sentence(text, s) and not _capitalised_inside(text, parts[0]):
            continue
        names = [p for p in parts if p[0].isupper()]
        label = "PER" if 2 <= len(names) <= 3 and all(p[1:].islower() for p in names) else "ORG"
        out.append(Span(s, e, label, STAGE))
    return out


def _next_word(text: str, i: int) -> int:
    """Offset of the first letter after the word at ``i`` and the separators after it."""
    while i < len(text) and text[i].isalnum():
        i += 1
    while i < len(text) and not text[i].isalnum():
        i += 1
    return i


def _starts_sentence(text: str, i: int) -> bool:
    """Whether only spaces, quotes or brackets separate ``i`` from a sentence end or the text's start."""
    j = i - 1
    while j >= 0 and (text[j].isspace() or text[j] in "\"'“”«»([-–—"):
        if text[j] == "\n":
            return True
        j -= 1
    return j < 0 or text[j] in _SENTENCE_END


def _capitalised_inside(text: str, word: str) -> bool:
    """Whether ``word`` occurs capitalised after another word of the same sentence (not at a sentence start)."""
    return any(not _starts_sentence(text, m.start()) for m in re.finditer(rf"\b{re.escape(word)}\b", text))


def tag_document(words: list[list[str]], *, settings: dict[str, Any]) -> list[list[str]]:
    """BIO tags (ANERcorp labels) of one document's sentences, as the configured model tags them.

    The one place the bundled models are applied: :func:`find_mentions` and
    ``khabar eval ner --folds 0`` both go through it, so an evaluation scores
    what analysis runs (document features, the auto-gazetteer table and, with
    ``stacked``, the second pass; see :func:`find_mentions` for the settings).
    """
    model = model_path(settings)
    tagger = load_tagger(str(model))
    clusters = load_clusters(str(clusters_path(settings)))
    gazetteer = load_gazetteer_index(str(gazetteer_path(settings))) if settings.get("gazetteer", True) else None
    feats = document_features(words, gazetteer, clusters, doc=bool(settings.get("doc_features", True)))
    stacked = bool(settings.get("stacked", False))
    # The table goes to the model trained with it: pass 2 when its manifest says so, else a single model with `autogaz`.
    agaz_on = pass2_uses_autogaz(str(model)) if stacked else bool(settings.get("autogaz", False))
    agaz = load_autogaz(str(autogaz_path(settings))) if agaz_on else None
    if stacked:
        tagger2, groups = load_pass2(str(model))
        first = [pass1_tags(tagger, xs, marginals="conf" in groups) for xs in feats]
        feats = stacked_features(feats, words, first, gazetteer, clusters, groups)
        tagger = tagger2
    add_autogaz(feats, words, agaz)  # the model trained with the table: pass 2 when stacked, else the only one
    wordtype_on = pass2_uses_wordtype(str(model)) if stacked else bool(settings.get("wordtype", False))
    if wordtype_on:  # the guesser fitted with the model that reads it, beside the pass-1 file
        wordtype_features(feats, words, load_wordtype(str(wordtype_path(model))))
    tags = [to_bio(tagger.tag(xs)) for xs in feats]  # a pass 2 trained on BIOES labels; BIO tags pass unchanged
    return propagate_entities(words, tags) if settings.get("propagate", True) else tags


def find_mentions(article: Article, *, settings: dict[str, Any]) -> None:
    """Add the ``"entities"`` and ``"roles"`` layers to ``article``.

    Args:
        article: the article; ``text`` must be set. Uses its ``"sentences"`` layer
            when present, else tags the whole text as one sequence.
        settings: the ``[entities]`` section (``model_path``, ``clusters_path``,
            ``gazetteer``, ``gazetteer_path``, ``doc_features``, ``autogaz``
            (single-pass; with ``stacked`` the pass-2 manifest decides, see
            :func:`pass2_uses_autogaz`), ``autogaz_path`` (:func:`autogaz_path`), ``stacked``,
            ``max_role_tokens``, ``latin_rule``). The whole article is featurised
            at once: a word's other occurrences in it inform each one
            (:func:`khabar.ner_train.document_features`). With ``stacked`` the
            article is tagged twice: the pass-2 model (:func:`load_pass2`) also
            reads pass 1's labels of each token, its neighbours and the other
            occurrences of its words and entity strings in the article
            (:func:`khabar.ner_train.stacked_features`).

    Raises:
        ModelMissingError: the CRF model file, the word-cluster table, the
            gazetteer table, (with ``autogaz``) the auto-gazetteer table or
            (with ``stacked``) the matching pass-2 model is absent.
    """
    text = article.text
    sents = [(s.start, s.end) for s in article.spans("sentences")] or [(0, len(text))]
    all_tokens = tokenize(text)
    seen = Counter(fold(text[s:e]) for s, e in all_tokens)
    mentions: list[Span] = []
    roles: list[Span] = []
    max_role = int(settings.get("max_role_tokens", 6))
    sent_toks = [toks for toks in (tokenize(text, a, b) for a, b in sents) if toks]
    words = [[text[a:b] for a, b in toks] for toks in sent_toks]
    for toks, tags in zip(sent_toks, tag_document(words, settings=settings), strict=True):
        s_start, s_end = toks[0][0], toks[-1][1]
        found: list[tuple[int, int, int, str]] = []  # first token, end token, char start, label
        for i, j, kind in sorted(bio_spans(tags)):
            label = TAG_TYPES.get(kind)
            if label is None:
                continue
            while j - i > 2 and fold(text[toks[i][0] : toks[i][1]]) in NEGATORS:
                i += 2  # "ولم ينف العبادي": a negator and its verb open the span, never a name
            a, b = toks[i][0], toks[j - 1][1]
            if _LATIN_RE.search(text, a, b):
                continue  # the CRF saw almost no Latin script: the Latin rule below handles it
            a += _proclitic_len(text[a : toks[i][1]], seen)
            found.append((i, j, a, label))
            mentions.append(Span(a, b, label, STAGE))
        if settings.get("latin_rule", True):
            mentions.extend(_latin_mentions(text, s_start, s_end, [(m.start, m.end) for m in mentions]))
        for i, j, a, label in found:
            if label == "PER":
                roles.extend(_role_spans(text, toks, i, j, found, max_role))
    mentions.sort(key=lambda sp: (sp.start, sp.end))
    article.add("entities", mentions)
    article.add("roles", sorted(set(roles), key=lambda sp: sp.start))


def _is_head(word: str) -> bool:
    return strip_clitics(fold(word)) in _ROLE_HEADS


def _role_spans(text: str, toks: list[tuple[int, int]], i: int, j: int, found: list[tuple[int, int, int, str]], max_role: int) -> list[Span]:
    """ROLE spans for the person mention over tokens ``[i, j)``: one before it, one after it."""
    per_tokens = {k for fi, fj, _, lab in found if lab == "PER" and (fi, fj) != (i, j) for k in range(fi, fj)}
    out: list[Span] = []
    # Before: scan left for the nearest head noun, through ordinary words and quotes.
    head = -1
    k = i - 1
    while k >= 0 and i - k <= max_role:
        w = text[toks[k][0] : toks[k][1]]
        if w in _ROLE_BREAK or k in per_tokens or fold(w) in _ROLE_STOP:
            break
        if _is_head(w):
            head = k
            break
        k -= 1
    if head >= 0:
        while head > 0 and _is_head(text[toks[head - 1][0] : toks[head - 1][1]]) and i - head < max_role:
            head -= 1  # نائب الرئيس، رئيس تحرير
        end_tok = i - 1
        quotes = sum(1 for k in range(head, i) if text[toks[k][0] : toks[k][1]] in _QUOTES)
        while end_tok > head and text[toks[end_tok][0] : toks[end_tok][1]] in _QUOTES and quotes % 2:
            end_tok -= 1  # an opening quote of the name, not the closing one of a quoted title
            quotes -= 1
        out.append(_role_span(text, toks[head][0], toks[end_tok][1]))
    # After: "name، head ...، " apposition up to the next break.
    if j + 1 < len(toks) and text[toks[j][0] : toks[j][1]] in "،," and _is_head(text[toks[j + 1][0] : toks[j + 1][1]]):
        k = j + 1
        last = k
        while k < len(toks) and k - j <= max_role:
            w = text[toks[k][0] : toks[k][1]]
            if w in _ROLE_BREAK or k in per_tokens or fold(w) in _ROLE_STOP:
                break
            last = k
            k += 1
        if k >= len(toks) or k - j > max_role or text[toks[k][0] : toks[k][1]] in _ROLE_BREAK:
            out.append(_role_span(text, toks[j + 1][0], toks[last][1]))
    return out


def _role_span(text: str, start: int, end: int) -> Span:
    """A ROLE span, without a leading conjunction و/ف attached to the head noun."""
    if text[start] in "وف" and end - start > 4 and _is_head(text[start + 1 : text.find(" ", start, end) if " " in text[start:end] else end]):
        start += 1
    return Span(start, end, "ROLE", STAGE)


def roles_for(article: Article) -> dict[int, str]:
    """Map each person mention's start offset to the role phrase attached to it.

    A ROLE span belongs to the PER mention it touches: ending right before the
    mention (only spaces and quote marks between) or starting right after it
    behind a comma.
    """
    roles = article.spans("roles")
    out: dict[int, str] = {}
    if not roles:
        return out
    text = article.text
    for m in article.spans("entities"):
        if m.label != "PER":
            continue
        for r in roles:
            if r.end <= m.start and all(c.isspace() or c in _QUOTES for c in text[r.end : m.start]):
                out[m.start] = text[r.start : r.end]
            elif r.start >= m.end and text[m.end : r.start].strip() in ("،", ",") and m.start not in out:
                out[m.start] = text[r.start : r.end]
    return out


def is_latin_name(text: str) -> bool:
    """True when ``text`` is written in Latin letters (no Arabic letters at all)."""
    return bool(text.strip()) and not is_arabic(text, threshold=0.01)
