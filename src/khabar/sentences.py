"""Rule-based sentence splitting for Arabic and Latin news text.

A sentence ends at a newline or at ``. ! ? ؟ …`` followed by whitespace (a
closing quote or bracket right after the mark stays in the sentence). Not an
end: a mark inside a quotation that closes within ``max_quote_chars``
characters (short quotes stay whole); a period between digits ("3 . 25",
tokenised decimals); a period after a one-letter token ("د." "أ . ف . ب")
or a listed abbreviation ("Dr." "U.S."). Spans are trimmed of whitespace,
ordered and disjoint, label "SENT", stage "sentences", offsets into the
given text.
"""

from __future__ import annotations

from functools import lru_cache

from khabar.model import Span

_ENDS = ".!?؟…"
_CLOSERS = "\"'”’»)]"
_PAIRS = {"«": "»", "“": "”"}
ABBREVIATIONS: frozenset[str] = frozenset(
    {"dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "vs", "etc", "no", "u.s", "u.k", "gen", "col", "lt", "sgt",
     "د", "أ", "م", "ص", "ق", "ه", "ج", "ت", "س", "ش", "ب", "ح", "ع"}
)


@lru_cache(maxsize=1)
def _default_settings() -> dict:
    from khabar.settings import Settings

    return Settings().section("sentences")


def _prev_token(text: str, i: int) -> str:
    """The word just before position ``i`` (skipping spaces), lower-cased."""
    j = i
    while j > 0 and text[j - 1] == " ":
        j -= 1
    k = j
    while k > 0 and not text[k - 1].isspace():
        k -= 1
    return text[k:j].lower().strip("(\"'«“")


def _is_abbreviation_or_number(text: str, i: int) -> bool:
    """True when the period at ``i`` belongs to a number or an abbreviation."""
    if text[i] != ".":
        return False
    j = i - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    k = i + 1
    while k < len(text) and text[k] == " ":
        k += 1
    if j >= 0 and k < len(text) and text[j].isdigit() and text[k].isdigit():
        return True
    tok = _prev_token(text, i)
    return len(tok) == 1 and tok.isalpha() or tok in ABBREVIATIONS


def _quote_closes_soon(text: str, i: int, closer: str, limit: int, opened_at: int) -> bool:
    end = text.find(closer, i)
    nl = text.find("\n", i)
    return end != -1 and (nl == -1 or end < nl) and end - opened_at <= limit


def split_sentences(text: str, *, settings: dict | None = None) -> list[Span]:
    """Sentence spans of ``text``.

    Args:
        text: cleaned article text (spans index it directly).
        settings: the ``[sentences]`` section; defaults.toml when None.

    Returns:
        Spans labelled "SENT", ordered, non-overlapping, each trimmed of
        surrounding whitespace and non-empty.
    """
    limit = int((settings or _default_settings())["max_quote_chars"])
    spans: list[Span] = []
    start = 0
    quote: tuple[str, int] | None = None  # (closing char, open position)
    i, n = 0, len(text)

    def emit(s: int, e: int) -> None:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append(Span(s, e, "SENT", "sentences"))

    while i < n:
        ch = text[i]
        if ch == "\n":
            emit(start, i)
            start, quote = i + 1, None
        elif quote is not None and ch == quote[0]:
            quote = None
        elif ch in _PAIRS:
            quote = (_PAIRS[ch], i)
        elif ch == '"':
            quote = ('"', i)
        elif ch in _ENDS:
            j = i + 1
            while j < n and text[j] in _ENDS:
                j += 1
            while j < n and text[j] in _CLOSERS:
                j += 1
            if quote is not None and quote[0] in text[i + 1 : j]:
                quote = None  # the closer right after the mark ends the quotation
            at_break = j >= n or text[j].isspace()
            inside = quote is not None and _quote_closes_soon(text, j, quote[0], limit, quote[1])
            if at_break and not inside and not _is_abbreviation_or_number(text, i):
                emit(start, j)
                start = j
            i = j
            continue
        i += 1
    emit(start, n)
    return spans
