"""Who said what: speaker, reporting cue and content spans in one article.

The stage reads the ``sentences`` and ``entities`` layers when present (and
splits sentences itself when they are not), and fills ``article.attributions``.
All spans index ``article.text`` and are carried from token offsets, never
re-found by searching the text.

Detection works on a token list (words, punctuation, quote marks) of the whole
text:

1. Quote marks are paired per paragraph, so a quotation may cross sentences
   and an unclosed one runs to the paragraph end.
2. Each reporting-verb form from :mod:`khabar.cues` starts a draft. Its subject
   is found before the verb (SVO: "مسؤولون أكدوا"), as a pronoun ("لكنه نفى"),
   through a relative ("الصحيفة، والذي قال") or after it (VSO, the usual news
   order); then the frame: colon or quotation (direct), complementiser
   (indirect; mixed when it holds a quoted phrase), or a noun-phrase object for
   verbs like نفى. Relay verbs (نقل عن ... قوله) make the subject the nested
   source and the "عن" phrase the speaker.
3. According-to frames (بحسب، وفقا لـ، نقلا عن، على حد قوله), nominal frames
   ("وفي تصريح لـ X،"), headline and post frames with no verb ("الصحة: لا صحة
   لما يتداول ..."; the colon is the cue) and quotations followed by their cue
   ("...، قال X") add drafts.
4. Drafts without an explicit subject (وأضاف، وتابعت، وأضافوا) take the
   nearest earlier speaker whose agreement matches the verb's.
"""

from __future__ import annotations

from dataclasses import replace

from khabar import cues
from khabar.arabic import fold
from khabar.attribution.doc import DEFAULTS, STAGE, _Doc, _head_keys
from khabar.attribution.english import find_english_attributions
from khabar.attribution.drafts import (
    _according_drafts,
    _adjacent_quotes,
    _nominal_frames,
    renewal_ghosts,
    _quote_first_drafts,
    _verb_drafts,
)
from khabar.attribution.headlines import _colon_frames, _trailing_cue_frames
from khabar.attribution.resolution import _dedupe, _resolve
from khabar.model import Article, Attribution, Span
from khabar.stance import speaker_stance


def _span(pair: tuple[int, int] | None, label: str) -> Span | None:
    return None if pair is None else Span(pair[0], pair[1], label, STAGE)


def find_attributions(article: Article, *, settings: dict) -> None:
    """Fill ``article.attributions`` with who-said-what spans into ``article.text``.

    Args:
        article: an article with cleaned ``text``; the ``sentences`` and
            ``entities`` layers are used when present.
        settings: the ``[attribution]`` section (word-count limits, see defaults.toml).
    """
    if article.language == "en":  # an English copy of a story: its own reader (khabar.attribution.english)
        article.attributions = find_english_attributions(article)
        for at in article.attributions:
            for sp in (at.cue, at.content, at.speaker):
                if sp is not None:
                    article.check_span(sp)
        return
    doc = _Doc(article, settings)
    nominal, drafts = _nominal_frames(doc)
    drafts += _verb_drafts(doc, nominal)
    drafts += renewal_ghosts(doc)
    drafts += _according_drafts(doc)
    drafts += _colon_frames(doc, drafts)
    drafts += _trailing_cue_frames(doc, drafts)
    taken = [d.content for d in drafts]
    drafts += _quote_first_drafts(doc, taken)
    drafts += _adjacent_quotes(doc, drafts)
    drafts = _dedupe([d for d in _resolve(doc, drafts) if not d.ghost])
    out: list[Attribution] = []
    for d in sorted(drafts, key=lambda d: (d.cue[0], d.content[0])):
        cue = Span(d.cue[0], d.cue[1], "CUE", STAGE)
        content = Span(d.content[0], d.content[1], "CONTENT", STAGE)
        spans = [s for s in (cue, content, _span(d.speaker, "SPEAKER"), _span(d.nested, "SOURCE")) if s is not None]
        for s in spans:
            article.check_span(s)
        stance = speaker_stance(article.span_text(cue), article.span_text(content))
        out.append(
            Attribution(
                cue=cue,
                content=content,
                kind=d.kind,
                stance=stance,
                speaker=_span(d.speaker, "SPEAKER"),
                speaker_kind=d.speaker_kind if d.speaker is not None else "unspecified",
                nested_source=_span(d.nested, "SOURCE"),
            )
        )
    article.attributions = out

__all__ = ["DEFAULTS", "STAGE", "find_attributions", "is_entourage", "link_speakers"]


_SPEAKER_TYPES = ("PER", "ORG", "LOC", "MISC")  # preference when a speaker phrase holds several entities


def is_entourage(phrase: str) -> bool:
    """Whether a speaker phrase opens with a word for a person's camp (cues.ENTOURAGE_HEADS)."""
    ws = fold(phrase).split()
    first = ws[0] if ws else ""
    return bool(_head_keys(first) & cues.ENTOURAGE_HEADS) or " ".join(ws[:2]) in cues.ENTOURAGE_PHRASES


def link_speakers(article: Article) -> None:
    """Point each speaker span's ``ref`` at the entity mentioned inside it.

    Runs after entity resolution (a corpus stage), so that "بيسكوف" and
    "المتحدث باسم الكرملين دميتري بيسكوف" are one speaker. Within a speaker
    phrase a person outranks an organisation ("المتحدث باسم الكرملين بيسكوف" is
    Peskov, not the Kremlin); among equals the last mention (the head name after
    a title) wins. A person's camp ("فريق ترامب", cues.ENTOURAGE_HEADS) is not linked
    to the person. Nested sources are linked the same way.
    """
    mentions = [m for m in article.spans("entities") if m.ref]
    if not mentions:
        return

    def link(span: Span | None) -> Span | None:
        if span is None:
            return None
        inside = [m for m in mentions if m.start < span.end and span.start < m.end]
        if not inside:
            return span
        best = max(inside, key=lambda m: (-_SPEAKER_TYPES.index(m.label) if m.label in _SPEAKER_TYPES else -9, m.start))
        if best.label == "PER" and best.start > span.start and is_entourage(article.span_text(span)):
            return span  # "فريق ترامب" speaks for Trump but is not Trump
        return replace(span, ref=best.ref)

    article.attributions = [
        replace(at, speaker=link(at.speaker), nested_source=link(at.nested_source)) for at in article.attributions
    ]
