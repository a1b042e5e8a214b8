"""Read input files into decoded raw text plus metadata, one document at a time.

Formats: ``.txt``, ``.html``/``.htm``, ``.json`` (object or array), ``.jsonl``,
RSS/Atom feeds (``.rss``, ``.atom``, ``.xml``) and ``.zip`` / ``.tar.gz`` /
``.tgz`` archives of any of these. :func:`iter_documents` is a generator: a
corpus is never held in memory, only one file (bounded by ``max_file_bytes``).

A file that cannot be read never stops a run: it becomes an
:class:`IngestProblem` naming the file (and entry, item or line) and the
reason, and reading goes on with the next one.

Paths of documents inside containers: ``archive.zip!entry.json`` for archive
entries, ``file.json#3`` for the item at 0-based index 3 of a JSON array,
``file.jsonl:7`` for the object on 1-based line 7 of a JSON-lines file,
``feed.rss#2`` for the third feed item.

For HTML the ``raw`` text is the plain text extracted by trafilatura (or the
fallback), not the markup: every later offset (cleaning, spans) indexes that
extracted text, and the markup is not kept.
"""

from __future__ import annotations

import codecs
import email.utils
import hashlib
import io
import json
import logging
import os
import re
import stat
import sys
import tarfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from khabar.dates import parse_date
from khabar.errors import IngestError

log = logging.getLogger(__name__)

_TEXT_EXT = (".txt",)
_HTML_EXT = (".html", ".htm")
_JSON_EXT = (".json",)
_JSONL_EXT = (".jsonl",)
_FEED_EXT = (".rss", ".atom", ".xml")
_ZIP_EXT = (".zip",)
_TAR_EXT = (".tar.gz", ".tgz")
_WARC_EXT = (".warc", ".warc.gz")
_DOC_EXT = _TEXT_EXT + _HTML_EXT + _JSON_EXT + _JSONL_EXT + _FEED_EXT

# Accepted JSON field names per metadata key, first match wins.
# Field names of article records, tried in order and in any letter case (schema.org's articleBody / datePublished,
# NewsAPI's publishedAt and {"source": {"name": ...}}, news-please's maintext / date_publish); ``--field NAME=FIELD``
# (a dotted path reaches inside: publisher.name) is tried before them, not instead.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "content": ("content", "text", "body", "article", "articleBody", "article_body", "maintext", "full_text"),
    "published": ("date", "published", "date_extracted", "pubDate", "datePublished", "date_published", "publishedAt",
                  "published_at", "date_publish", "pub_date"),
    "source": ("source", "outlet", "site", "sitename", "site_name", "publisher", "source_domain"),
    "url": ("url", "link", "canonical_url"),
    "author": ("author", "authors", "byline", "creator"),
}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One decoded input document before cleaning.

    Attributes:
        path: where it came from (see module docstring for container paths).
        raw: the decoded text; for HTML the extracted plain text.
        title, source, url, author: metadata, "" when unknown.
        published: ISO 8601 date or datetime, "" when unknown or unparsable.
        encoding: how the bytes were decoded ("utf-8", "cp1256", "utf-8/replace", ...).
        format: "txt", "html", "json", "jsonl" or "feed".
    """

    path: str
    raw: str
    title: str = ""
    source: str = ""
    url: str = ""
    published: str = ""
    author: str = ""
    encoding: str = "utf-8"
    format: str = "txt"


@dataclass(frozen=True, slots=True)
class IngestProblem:
    """A file, entry, item or line that was skipped, and why (a human sentence)."""

    path: str
    reason: str


Item = RawDocument | IngestProblem


def article_id(doc: RawDocument) -> str:
    """Stable id: sha256 hex of the normalised ``title + "\\n" + raw``, and its outlet when it names one.

    Normalisation is NFC, CRLF/CR to LF and outer whitespace stripped, so the same
    file ingested twice (or re-saved with other line ends) gets the same id. The
    outlet is part of it: one agency wire published word for word by two outlets
    is two publications (both outlets covered the story; dedup marks the later
    one a copy), not one article seen twice.
    """

    def norm(s: str) -> str:
        return unicodedata.normalize("NFC", s.replace("\r\n", "\n").replace("\r", "\n")).strip()

    key = f"{norm(doc.title)}\n{norm(doc.raw)}"
    if doc.source.strip():
        key += f"\n\x00source:{norm(doc.source)}"
    return hashlib.sha256(key.encode()).hexdigest()


# ---------------------------------------------------------------- decoding


def decode_bytes(data: bytes, *, max_bad_ratio: float = 0.001, probe_bytes: int = 8192) -> tuple[str, str]:
    """Decode ``data``, returning ``(text, encoding_name)``.

    Order: a BOM (UTF-8/16/32); UTF-16 without a BOM (see :func:`_sniff_utf16`);
    NUL bytes in the first ``probe_bytes`` mean a binary file; strict UTF-8;
    UTF-8 with a few invalid bytes replaced by U+FFFD (at most ``max_bad_ratio``
    of the bytes, encoding "utf-8/replace"); else charset-normalizer's best
    guess (Windows-1256, ISO-8859-6, ...).

    Raises:
        IngestError: empty, binary or undecodable data; for mostly-UTF-8 data the
            reason names the line and byte offset (0-based) of the first invalid byte.
    """
    if not data:
        raise IngestError("empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise IngestError(f"invalid {enc} after byte-order mark: {exc.reason} at byte {exc.start}") from exc
    utf16 = _sniff_utf16(data[: probe_bytes & ~1])
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError as exc:
            raise IngestError(f"looks like {utf16} without byte-order mark but is invalid at byte {exc.start}") from exc
    if b"\x00" in data[:probe_bytes]:
        raise IngestError(f"binary file (NUL bytes in first {probe_bytes // 1024} KiB)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    if bad <= max(1, int(len(data) * max_bad_ratio)) and len(data) >= 64:
        return text, "utf-8/replace"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        line = data.count(b"\n", 0, first_bad) + 1
        raise IngestError(f"undecodable text: not UTF-8 ({bad} invalid byte sequence(s), first at line {line},"
                          f" byte {first_bad}) and no other known encoding fits")
    return str(best), best.encoding


# High bytes of UTF-16 code units in Arabic and Latin text: ASCII (0x00), Arabic
# (0x06), general punctuation (0x20), Arabic presentation forms (0xFB-0xFE).
_UTF16_MIN_SHARE = 0.9  # the 3 commonest high-byte values cover at least this share of code units
_UTF16_SCRIPT_HIGH = (0x00, 0x06)  # the commonest must be ASCII/Latin-1 or Arabic


def _sniff_utf16(sample: bytes) -> str:
    """"utf-16-le" or "utf-16-be" when ``sample`` reads as BOM-less UTF-16 text, else "".

    Text has few distinct high bytes (the script's block) in one byte column; binary
    data and UTF-8 do not. Checked only when the sample has NUL or C0 control bytes
    (other than tab, LF, CR), which UTF-8 text never has: UTF-16 Arabic without spaces
    holds no NUL but 0x06 in every other byte.
    """
    if len(sample) < 4 or not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", sample):
        return ""
    for enc, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        counts = sorted(((high.count(bytes([b])), b) for b in set(high)), reverse=True)
        if counts[0][1] not in _UTF16_SCRIPT_HIGH or sum(n for n, _ in counts[:3]) < _UTF16_MIN_SHARE * len(high):
            continue
        try:  # incremental: a surrogate pair cut at the end of the sample is not an error
            text = codecs.getincrementaldecoder(enc)("strict").decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        if not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
            return enc
    return ""


# ---------------------------------------------------------------- metadata helpers


def _iso_date(value: Any, where: str = "") -> str:
    """ISO 8601 string for a date value, "" when it cannot be read (a warning naming ``where`` and the value:
    a lost date misleads the timeline and "first seen" silently)."""
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value).isoformat()  # noqa: DTZ006 - epoch seconds, local as given
        except (OverflowError, OSError, ValueError):
            log.debug("epoch date out of range: %r", value)
            return ""
    s = str(value).strip()
    try:
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        try:
            dt = email.utils.parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            found = parse_date(s)  # "10 مارس 2024", "الأحد 10 آذار 2024", "١٠-٠٣-٢٠٢٤", "10/03/2024"
            if found is None:
                log.warning("%s: unreadable date %r; kept without a date", where or "input", s[:80])
                return ""
            return found.isoformat() if ":" in s else found.date().isoformat()
    if len(s) <= 10 and dt.hour == dt.minute == dt.second == 0 and "T" not in s and ":" not in s:
        return dt.date().isoformat()
    return dt.isoformat()


def _pick(obj: dict, key: str, field_map: dict[str, str] | None) -> str:
    """The record's value for ``key``: the mapped field first, then :data:`FIELD_NAMES`; a list is joined by lines,
    an object gives its name ({"name": "BBC News"})."""
    names = ((field_map[key],) if field_map and key in field_map else ()) + FIELD_NAMES[key]
    lower = {k.lower(): k for k in obj if isinstance(k, str)}
    for name in names:
        v = _field_value(obj, name, lower)
        if isinstance(v, dict):
            v = next((v[k] for k in ("name", "title", "@value") if isinstance(v.get(k), str)), None)
        if v is None:
            continue
        if isinstance(v, list):
            v = "\n".join(str(x.get("name", "") if isinstance(x, dict) else x) for x in v if x is not None)
        return str(v)
    return ""


def _field_value(obj: dict, name: str, lower: dict[str, str]) -> Any:
    """``obj[name]`` in any letter case; a dotted name walks into nested objects ("publisher.name")."""
    if name in obj:
        return obj[name]
    if name.lower() in lower:
        return obj[lower[name.lower()]]
    head, dot, rest = name.partition(".")
    if dot and isinstance(inner := _field_value(obj, head, lower), dict):
        return _field_value(inner, rest, {k.lower(): k for k in inner if isinstance(k, str)})
    return None


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


# C0 controls but tab, LF, CR: never article text, and lxml refuses them when a text node is set.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment; block elements and <br> become newlines."""
    import lxml.html
    from lxml import etree

    markup = _CONTROL_CHARS.sub("", markup or "")
    if not markup.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.LxmlError, ValueError, AssertionError, IndexError):
        # lxml asserts (IndexError under -O) on a fragment holding a whole document: "<HTML>"
        return strip_tags(markup)
    for bad in root.xpath(".//script|.//style|.//figcaption"):  # a photo's caption is no article text
        bad.drop_tree()
    for el in root.iter():
        if el.tag in ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"):
            el.tail = "\n" + (el.tail or "")
    lines = [" ".join(line.split()) for line in root.text_content().splitlines()]
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- per format


# A JSON field holding HTML rather than text: a block or inline tag, or a closing tag.
_MARKUP_RE = re.compile(r"<(?:p|br|div|span|a|strong|b|em|i|figure|img|script|style|h[1-6]|ul|ol|li|table|article|section)"
                        r"\b[^>]*>|</[a-zA-Z][a-zA-Z0-9]*\s*>", re.I)


def _from_object(obj: Any, path: str, fmt: str, enc: str, field_map: dict[str, str] | None) -> Item:
    if not isinstance(obj, dict):
        return IngestProblem(path, f"expected a JSON object, got {type(obj).__name__}")
    raw = _pick(obj, "content", field_map)
    if _MARKUP_RE.search(raw):
        # a scraper's HTML body ("<p>...</p><script>...</script><p>شارك هذا الخبر</p>"): read as text with one line per
        # block, or the cleaner sees one line and drops it whole as a share line
        raw = html_to_text(raw)
    if not raw.strip():
        names = "/".join(((field_map["content"],) if field_map and "content" in field_map else ()) + FIELD_NAMES["content"])
        return IngestProblem(path, f"no article text (field {names} missing or empty)")
    return RawDocument(
        path=path,
        raw=raw,
        title=_pick(obj, "title", field_map).strip(),
        source=_pick(obj, "source", field_map).strip(),
        url=_pick(obj, "url", field_map).strip(),
        published=_iso_date(_pick(obj, "published", field_map), path),
        author=_pick(obj, "author", field_map).strip(),
        encoding=enc,
        format=fmt,
    )


_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n((?:[A-Za-z_]+[ \t]*:[^\n]*\r?\n){1,20})---[ \t]*\r?\n")
_FRONT_KEYS = {"source": "source", "outlet": "source", "date": "published", "published": "published",
               "url": "url", "author": "author", "title": "title"}


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Optional ``---``-fenced ``key: value`` header of a .txt (source, date, url, author, title).

    Returns the metadata and the text after the header, which becomes the raw
    text: metadata is not article text. Unknown keys are ignored.
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        key, _, value = line.partition(":")
        field = _FRONT_KEYS.get(key.strip().lower())
        if field and value.strip():
            meta[field] = value.strip()
    return meta, text[m.end() :]


def _read_txt(text: str, path: str, enc: str) -> Iterator[Item]:
    meta, text = split_front_matter(text)
    if not text.strip():
        yield IngestProblem(path, "empty file (only whitespace)")
        return
    yield RawDocument(path=path, raw=text, title=meta.get("title") or _first_line(text), source=meta.get("source", ""),
                      url=meta.get("url", ""), published=_iso_date(meta.get("published"), path),
                      author=meta.get("author", ""), encoding=enc, format="txt")


_DATE_FROM_MARKUP = {"extensive_search": False, "original_date": True}


def _read_html(text: str, path: str, enc: str) -> Iterator[Item]:
    import trafilatura

    text = _CONTROL_CHARS.sub("", text)
    title = author = date = site = body = ""
    try:
        # dates from the page's markup only (meta tags, JSON-LD, <time>): htmldate's extensive search reads a bare
        # year in the text ("موازنة 2025") as 2025-01-01, an invented date that misplaces the page in time
        doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False,
                                          date_extraction_params=_DATE_FROM_MARKUP)
    except Exception as exc:  # noqa: BLE001 - a third-party extractor on hostile markup; the fallbacks follow
        log.warning("%s: trafilatura failed (%s: %s); using the fallback", path, type(exc).__name__, _short(exc))
        doc = None
    if doc is not None:
        d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        body = d.get("text") or ""
        title, author, date, site = (d.get(k) or "" for k in ("title", "author", "date", "sitename"))
    if not body.strip():
        body, fallback_title = _html_fallback(text)
        title = title or fallback_title
    if not body.strip():  # e.g. nesting deeper than libxml2's limit (256): the tree is cut off
        body = strip_tags(text)
        if body.strip():
            log.warning("%s: HTML parsers found no text (too deeply nested?); read with tags removed", path)
    if not body.strip():
        yield IngestProblem(path, "no text found in HTML (trafilatura, <p>/<body> and tag-stripping fallbacks all empty)")
        return
    yield RawDocument(path, body, title.strip(), site.strip(), "", _iso_date(date, path), author.strip(), enc, "html")


_SKIP_ELEMENTS = re.compile(r"<(script|style|head)\b.*?(?:</\1\s*>|\Z)", re.I | re.S)
_TAG = re.compile(r"<[^>]*>?")
_BLOCK_TAG = re.compile(r"<(?:/?(?:p|div|br|li|h[1-6]|tr|blockquote|article|section))\b[^>]*>?", re.I)


def strip_tags(markup: str) -> str:
    """Plain text of markup no parser can build a tree for: tags removed, entities decoded.

    The last resort for HTML; block tags become newlines, script/style/head
    contents are dropped, whitespace is collapsed per line.
    """
    import html

    text = _TAG.sub(" ", _BLOCK_TAG.sub("\n", _SKIP_ELEMENTS.sub(" ", markup)))
    lines = (" ".join(html.unescape(line).split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _html_fallback(markup: str) -> tuple[str, str]:
    """Text of <p> elements (else the whole <body>) and the <title>."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.LxmlError, ValueError):
        return "", ""
    title = " ".join((root.findtext(".//title") or "").split())
    paras = [" ".join(p.text_content().split()) for p in root.iter("p")]
    body = "\n".join(p for p in paras if p)
    if not body:
        bodies = root.xpath("//body")
        body = html_to_text(lxml.html.tostring(bodies[0], encoding="unicode")) if bodies else ""
    return body, title


def _read_json(text: str, path: str, enc: str, field_map: dict[str, str] | None) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield IngestProblem(path, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
        return
    except (ValueError, RecursionError) as exc:  # a number over Python's digit limit; nesting too deep
        yield IngestProblem(path, f"unreadable JSON: {_short(exc)}")
        return
    if isinstance(data, dict) and not _pick(data, "content", field_map).strip():
        data = _nested_records(data, field_map) or data  # an API's {"status": ..., "data": {"articles": [...]}}
    if isinstance(data, list):
        for i, obj in enumerate(data):
            yield _from_object(obj, f"{path}#{i}", "json", enc, field_map)
    else:
        yield _from_object(data, path, "json", enc, field_map)


def _nested_records(data: dict, field_map: dict[str, str] | None, depth: int = 3) -> list | None:
    """The first list of article objects under ``data``'s keys (breadth first, ``depth`` levels): a news API or a
    scraper often wraps its records ({"data": {"articles": [...]}}); None when there is none."""
    level: list[Any] = [data]
    for _ in range(depth):
        nxt: list[Any] = []
        for obj in level:
            for value in obj.values():
                if isinstance(value, list) and any(
                    isinstance(v, dict) and _pick(v, "content", field_map).strip() for v in value[:20]
                ):
                    return value
                if isinstance(value, dict):
                    nxt.append(value)
        level = nxt
    return None


def _read_jsonl(text: str, path: str, enc: str, field_map: dict[str, str] | None) -> Iterator[Item]:
    # Lines end at "\n" only: str.splitlines() also splits at U+2028, U+0085 and other
    # characters that JSON strings may hold unescaped.
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestProblem(where, f"invalid JSON at line {lineno}: {exc.msg} (column {exc.colno})")
            continue
        except (ValueError, RecursionError) as exc:
            yield IngestProblem(where, f"unreadable JSON at line {lineno}: {_short(exc)}")
            continue
        yield _from_object(obj, where, "jsonl", enc, field_map)


_ENTITY_DECL = re.compile(rb"<!\s*ENTITY", re.I)  # anywhere: comments may push a DOCTYPE past any prefix


def _short(exc: BaseException, limit: int = 200) -> str:
    """An exception as one bounded line for a problem reason."""
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg if len(msg) <= limit else msg[: limit - 1] + "…"


def _read_feed(data: bytes, path: str) -> Iterator[Item]:
    import feedparser

    if _ENTITY_DECL.search(data):
        yield IngestProblem(path, "XML declares entities; refused (external entity / expansion guard)")
        return
    # A stream, never bytes: feedparser opens bytes that name a file (b"/etc/passwd") as a path.
    try:
        parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    except Exception as exc:  # noqa: BLE001 - a third-party parser on hostile bytes; one bad file never stops a run
        yield IngestProblem(path, f"feed parser failed: {type(exc).__name__}: {_short(exc)}")
        return
    if not parsed.get("version") or not parsed.entries:
        why = f": {parsed.get('bozo_exception')}" if parsed.get("bozo") else ""
        yield IngestProblem(path, f"not an RSS/Atom feed or a feed without items{why}")
        return
    enc = parsed.get("encoding") or "utf-8"
    site = _field(parsed.feed, "title")
    for i, e in enumerate(parsed.entries):
        where = f"{path}#{i}"
        content = "\n".join(_field(c, "value") for c in e.get("content") or [] if isinstance(c, dict))
        content = content or _field(e, "summary") or _field(e, "description")
        raw, title = html_to_text(content), html_to_text(_field(e, "title"))
        if not raw.strip() and title.strip():
            raw, title = title, ""  # a headline-only item ("الداخلية: لا صحة لما يتداول عن ..."): the headline is the text
        if not raw.strip():
            yield IngestProblem(where, "feed item without title, content or summary")
            continue
        when = e.get("published_parsed") or e.get("updated_parsed")
        try:
            published = datetime(*when[:6]).isoformat() if when else _iso_date(_field(e, "published"), where)
        except (TypeError, ValueError, OverflowError):
            published = ""
        yield RawDocument(
            where, raw, title, site, _field(e, "link"), published,
            _field(e, "author"), enc, "feed",
        )


def _field(obj: Any, key: str) -> str:
    """A feedparser field as text: malformed feeds give None (or no dict at all) where text is expected."""
    value = obj.get(key) if isinstance(obj, dict) else None
    return value if isinstance(value, str) else ""


def _read_bytes(data: bytes, path: str, settings: dict, field_map: dict[str, str] | None) -> Iterator[Item]:
    """Dispatch one document file (not an archive) by its extension."""
    name = path.lower()
    if name.endswith(_FEED_EXT):
        yield from _read_feed(data, path)
        return
    try:
        text, enc = decode_bytes(
            data,
            max_bad_ratio=float(settings.get("max_bad_byte_ratio", 0.001)),
            probe_bytes=int(settings.get("binary_probe_bytes", 8192)),
        )
    except IngestError as exc:
        yield IngestProblem(path, exc.reason)
        return
    if enc == "utf-8/replace":
        first = text.find("\ufffd")
        log.warning("%s: invalid UTF-8 replaced by U+FFFD (first at line %d)", path, text.count("\n", 0, first) + 1)
    if name.endswith(_TEXT_EXT):
        yield from _read_txt(text, path, enc)
    elif name.endswith(_HTML_EXT):
        yield from _read_html(text, path, enc)
    elif name.endswith(_JSONL_EXT):
        yield from _read_jsonl(text, path, enc, field_map)
    elif name.endswith(_JSON_EXT):
        yield from _read_json(text, path, enc, field_map)
    else:
        yield IngestProblem(path, "unsupported format (expected .txt .html .json .jsonl .rss .atom .xml .zip .tar.gz .warc .warc.gz)")


# ---------------------------------------------------------------- archives


def _unsafe_member(name: str) -> str:
    """Why an archive member name is refused, or "" when it is safe."""
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "absolute path in archive; refused"
    if ".." in PurePosixPath(name.replace("\\", "/")).parts:
        return "path climbs out of the archive (../); refused"
    return ""


class _Budget:
    """Uncompressed bytes and entries left for one archive (zip-bomb guard)."""

    def __init__(self, settings: dict) -> None:
        self.bytes_left = int(settings["max_archive_bytes"])
        self.entries_left = int(settings["max_archive_entries"])
        self.max_file = int(settings["max_file_bytes"])
        self.limit = self.bytes_left


def _read_limited(fh: io.BufferedIOBase, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes so callers can tell an overrun."""
    return fh.read(limit + 1)


_NESTED_ARCHIVE_EXT = (".zip", ".tar", ".tar.gz", ".tgz", ".gz", ".rar", ".7z")


def _read_zip(path: Path, settings: dict, field_map: dict[str, str] | None) -> Iterator[Item]:
    budget = _Budget(settings)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        yield IngestProblem(str(path), f"unreadable zip archive: {_short(exc)}")
        return
    with zf:
        for info in zf.infolist():
            where = f"{path}!{info.filename}"
            if not info.filename:
                yield IngestProblem(where, "archive entry without a name; skipped")
                continue
            if info.is_dir():
                continue
            if (info.external_attr >> 16) & 0o170000 == 0o120000:
                log.warning("%s: symbolic link in archive; not followed", where)
                continue
            why = _unsafe_member(info.filename)
            if why:
                yield IngestProblem(where, why)
                continue
            base = info.filename.rsplit("/", 1)[-1]
            if info.filename.startswith("__MACOSX/") or base.startswith("._"):
                continue  # macOS resource forks beside every file of an archive made on a Mac: not documents
            if info.filename.lower().endswith(_NESTED_ARCHIVE_EXT):
                yield IngestProblem(where, "archive inside an archive; not read (extract it and give its files)")
                continue
            if not info.filename.lower().endswith(_DOC_EXT):
                log.debug("%s: not a document type; skipped", where)
                continue
            budget.entries_left -= 1
            if budget.entries_left < 0:
                yield IngestProblem(str(path), f"more than {settings['max_archive_entries']} entries; rest of archive skipped")
                return
            limit = min(budget.max_file, budget.bytes_left)
            try:
                with zf.open(info) as fh:
                    data = _read_limited(fh, limit)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError, EOFError,
                    zlib.error) as exc:
                yield IngestProblem(where, f"unreadable archive entry: {_short(exc)}")
                continue
            if len(data) > budget.bytes_left:
                yield IngestProblem(
                    where,
                    f"archive expands beyond max_archive_bytes ({budget.limit} bytes); rest of archive skipped",
                )
                return
            if len(data) > budget.max_file:
                yield IngestProblem(where, f"entry too large (over max_file_bytes {budget.max_file})")
                continue
            budget.bytes_left -= len(data)
            yield from _read_bytes(data, where, settings, field_map)


def _read_tar(path: Path, settings: dict, field_map: dict[str, str] | None) -> Iterator[Item]:
    budget = _Budget(settings)
    try:
        tf = tarfile.open(path, mode="r:*")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        yield IngestProblem(str(path), f"unreadable tar archive: {_short(exc)}")
        return
    with tf:
        try:
            for member in tf:
                where = f"{path}!{member.name}"
                if member.issym() or member.islnk():
                    log.warning("%s: link in archive; not followed", where)
                    continue
                if not member.isfile():
                    continue
                why = _unsafe_member(member.name)
                if why:
                    yield IngestProblem(where, why)
                    continue
                if not member.name.lower().endswith(_DOC_EXT):
                    continue
                budget.entries_left -= 1
                if budget.entries_left < 0:
                    yield IngestProblem(str(path), f"more than {settings['max_archive_entries']} entries; rest skipped")
                    return
                if member.size > budget.bytes_left:
                    yield IngestProblem(
                        where, f"archive expands beyond max_archive_bytes ({budget.limit} bytes); rest of archive skipped"
                    )
                    return
                if member.size > budget.max_file:
                    yield IngestProblem(where, f"entry too large ({member.size} bytes > max_file_bytes {budget.max_file})")
                    continue
                fh = tf.extractfile(member)
                if fh is None:
                    continue
                data = fh.read(member.size)
                budget.bytes_left -= len(data)
                yield from _read_bytes(data, where, settings, field_map)
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            yield IngestProblem(str(path), f"tar archive broken part-way: {_short(exc)}")


# ---------------------------------------------------------------- entry point


def _walk(path: Path) -> Iterator[Path | IngestProblem]:
    """Files under ``path`` in sorted order (directories recursively), links not followed.

    A folder that cannot be listed becomes an IngestProblem, not a silent gap.
    """
    if path.is_dir():
        errors: list[OSError] = []
        for root, dirs, files in os.walk(path, onerror=errors.append):
            while errors:
                err = errors.pop(0)
                yield IngestProblem(str(err.filename or root), f"cannot list folder: {err.strerror or err}")
            dirs.sort()
            for name in sorted(files):
                p = Path(root) / name
                if not p.is_symlink():
                    yield p
        for err in errors:
            yield IngestProblem(str(err.filename or path), f"cannot list folder: {err.strerror or err}")
    else:
        yield path


def _supported(name: str) -> bool:
    return name.lower().endswith(_DOC_EXT + _ZIP_EXT + _TAR_EXT + _WARC_EXT)


def _read_warc(path: Path, settings: dict) -> Iterator[Item]:
    """HTML responses of a WARC file (warcio), each read as an HTML page.

    Paths are ``file.warc.gz!TARGET-URI``; the target URI becomes the article
    URL. Non-HTML records are skipped; a broken archive is one problem and the
    records before the damage are kept.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    max_bytes = int(settings["max_file_bytes"])
    try:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                if "html" not in ctype:
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                where = f"{path}!{uri}"
                data = record.content_stream().read(max_bytes + 1)
                if len(data) > max_bytes:
                    yield IngestProblem(where, f"record too large (over max_file_bytes {max_bytes})")
                    continue
                try:
                    text, enc = decode_bytes(data, max_bad_ratio=float(settings.get("max_bad_byte_ratio", 0.001)),
                                             probe_bytes=int(settings.get("binary_probe_bytes", 8192)))
                except IngestError as exc:
                    yield IngestProblem(where, exc.reason)
                    continue
                for item in _read_html(text, where, enc):
                    if isinstance(item, RawDocument) and uri and not item.url:
                        item = RawDocument(item.path, item.raw, item.title, item.source, uri, item.published,
                                           item.author, item.encoding, "warc")
                    yield item
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield IngestProblem(str(path), f"unreadable WARC: {_short(exc)}")


def iter_stdin_jsonl(stream: io.BufferedIOBase, *, field_map: dict[str, str] | None = None) -> Iterator[Item]:
    """JSONL read from a byte stream (``khabar analyze -``): one article object per line."""
    text, enc = decode_bytes(stream.read())
    yield from _read_jsonl(text, "<stdin>", enc, field_map)


def _read_file(p: Path, settings: dict, field_map: dict[str, str] | None) -> Iterator[Item]:
    name = p.name.lower()
    if not _supported(name):
        yield IngestProblem(str(p), "unsupported format (expected .txt .html .json .jsonl .rss .atom .xml .zip .tar.gz .warc .warc.gz)")
        return
    try:
        st = p.stat()
    except OSError as exc:
        yield IngestProblem(str(p), f"cannot read file: {exc.strerror or exc}")
        return
    if not stat.S_ISREG(st.st_mode):  # a FIFO or device named *.txt would block or never end
        yield IngestProblem(str(p), "not a regular file (pipe, device or socket); skipped")
        return
    size = st.st_size
    if name.endswith(_ZIP_EXT):
        yield from _read_zip(p, settings, field_map)
        return
    if name.endswith(_TAR_EXT):
        yield from _read_tar(p, settings, field_map)
        return
    if name.endswith(_WARC_EXT):
        yield from _read_warc(p, settings)
        return
    max_bytes = int(settings["max_file_bytes"])
    if size > max_bytes:
        yield IngestProblem(str(p), f"file too large ({size} bytes > max_file_bytes {max_bytes})")
        return
    try:
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since stat()
    except OSError as exc:
        yield IngestProblem(str(p), f"cannot read file: {exc.strerror or exc}")
        return
    if len(data) > max_bytes:
        yield IngestProblem(str(p), f"file too large (over max_file_bytes {max_bytes}; it grew while being read)")
        return
    yield from _read_bytes(data, str(p), settings, field_map)


def iter_documents(
    paths: Iterable[str | Path], *, settings: dict, field_map: dict[str, str] | None = None
) -> Iterator[RawDocument | IngestProblem]:
    """Yield each document (or problem) found under ``paths``, in a stable order.

    Args:
        paths: files or directories, or "-" for JSONL on standard input;
            directories are walked recursively in sorted
            order and files of unknown type in them are skipped. A file named
            directly with an unknown type is reported as a problem.
        settings: the ``[ingest]`` settings section (``max_file_bytes``,
            ``max_archive_bytes``, ``max_archive_entries``, ...).
        field_map: JSON key overrides, e.g. ``{"title": "headline"}``; keys are
            title, content, published, source, url, author.

    Yields:
        RawDocument for each readable document, IngestProblem for each skipped one.
    """
    for given in paths:
        if str(given) == "-":
            yield from iter_stdin_jsonl(sys.stdin.buffer, field_map=field_map)
            continue
        root = Path(given)
        if not root.exists():
            yield IngestProblem(str(root), "no such file or directory")
            continue
        for p in _walk(root):
            if isinstance(p, IngestProblem):
                yield p
                continue
            if p != root and not _supported(p.name):
                log.debug("%s: unsupported type; skipped", p)
                continue
            yield from _read_file(p, settings, field_map)
