"""The web UI's templates and view helpers (the FastAPI app is in :mod:`khabar.web.app`).

Kept free of FastAPI so that ``export.py`` can render the offline HTML dossier
with the same templates. Autoescaping is always on: article text is untrusted
input, and the only markup added to it comes from :func:`highlight`, which
escapes every piece of text it wraps.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from khabar.dossier import KIND_LABELS, STANCE_LABELS
from khabar.store.queries import AFFIRMING
from khabar.web.i18n import LABELS
from khabar.web.timeline import timeline_svg, undated_count

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def highlight(text: str, start: int | None, end: int | None, *, offset: int = 0, mark_id: str = "") -> Markup:
    """Escape ``text`` and wrap ``[start, end)`` in ``<mark>``.

    Args:
        text: a piece of an article's cleaned text that begins at character ``offset``.
        start: absolute start of the highlight (None: no highlight).
        end: absolute end of the highlight (exclusive); clipped to the piece.
        offset: cleaned-text offset of ``text[0]``.
        mark_id: ``id`` attribute of the mark (for ``#anchor`` links), empty for none.
    """
    if start is None or end is None:
        return escape(text)
    s = min(max(start - offset, 0), len(text))
    e = min(max(end - offset, s), len(text))
    attr = Markup(' id="{}"').format(mark_id) if mark_id else Markup("")
    return escape(text[:s]) + Markup("<mark{}>").format(attr) + escape(text[s:e]) + Markup("</mark>") + escape(text[e:])


def highlight_in_sentence(text: str, sentence: tuple[int, int] | None, hl: tuple[int, int] | None) -> Markup:
    """Escape a whole article text, marking its evidence sentence and, inside it, the evidence.

    ``sentence`` and ``hl`` are half-open cleaned-text ranges; ``hl`` is clipped to the
    sentence. The evidence mark has ``id="hl"`` (the ``#hl`` anchor of matrix links).
    """
    if hl is None:
        return escape(text)
    if sentence is None or not (sentence[0] <= hl[0] and hl[1] <= sentence[1]):
        return highlight(text, hl[0], hl[1], mark_id="hl")
    s, e = sentence
    return (escape(text[:s]) + Markup('<mark class="sent">') + highlight(text[s:e], hl[0], hl[1], offset=s, mark_id="hl")
            + Markup("</mark>") + escape(text[e:]))


def marks(text: str, ranges: list[dict[str, int]], *, offset: int = 0) -> Markup:
    """Escape ``text`` (a piece starting at cleaned-text ``offset``) and mark each ``{start, end}`` range.

    Overlapping or out-of-piece ranges are skipped, so the markup always nests.
    """
    out, pos = Markup(""), 0
    for r in sorted(ranges, key=lambda r: (r["start"], r["end"])):
        s, e = r["start"] - offset, r["end"] - offset
        if s < pos or e > len(text) or s >= e:
            continue
        out += escape(text[pos:s]) + Markup("<mark>") + escape(text[s:e]) + Markup("</mark>")
        pos = e
    return out + escape(text[pos:])


def matrix_rows(matrix: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the claim x source table: ``{"claim": {...}, "cells": [[cell, ...] per source]}``.

    A claim may have several statements by one source (one per article), so each
    table cell holds a list of matrix cells, in the matrix's order.
    """
    by: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in matrix.get("cells", []):
        by[(c["claim_id"], c["source"])].append(c)
    return [
        {"claim": cl, "cells": [by.get((cl["id"], s), []) for s in matrix.get("sources", [])]}
        for cl in matrix.get("claims", [])
    ]


def matrix_view(matrix: dict[str, Any], max_claims: int) -> dict[str, Any]:
    """The matrix a page shows: at most ``max_claims`` claims, and only the sources they use.

    A big story has hundreds of claims and sources, most claims said by one source
    (a 222-article story: 297 claims x 196 sources, a 2.4 MB page). The page keeps
    the claims most sources speak to, contested ones (denied and affirmed, as
    :func:`khabar.store.queries.contested_story_ids` counts them) first among equals,
    in their original order otherwise; ``hidden`` counts the rest, which the claims
    section and ``?matrix=all`` still show. ``max_claims`` <= 0: all.
    """
    claims = matrix.get("claims", [])
    if max_claims <= 0 or len(claims) <= max_claims:
        return {**matrix, "hidden": 0}
    sources: dict[str, set[str]] = defaultdict(set)
    stances: dict[str, set[str]] = defaultdict(set)
    for c in matrix.get("cells", []):
        sources[c["claim_id"]].add(c["source"])
        stances[c["claim_id"]].add(c["stance"])
    order = {cl["id"]: i for i, cl in enumerate(claims)}

    def rank(cl: dict[str, Any]) -> tuple[int, bool, int]:
        contested = "deny" in stances[cl["id"]] and not stances[cl["id"]].isdisjoint(AFFIRMING)
        return (-len(sources[cl["id"]]), not contested, order[cl["id"]])

    keep = {cl["id"] for cl in sorted(claims, key=rank)[:max_claims]}
    shown = [cl for cl in claims if cl["id"] in keep]
    used = set().union(*(sources[i] for i in keep))
    return {
        **matrix,
        "claims": shown,
        "sources": [s for s in matrix.get("sources", []) if s in used],
        "cells": [c for c in matrix.get("cells", []) if c["claim_id"] in keep],
        "hidden": len(claims) - len(shown),
    }


def matrix_cells(cells: list[list[dict[str, Any]]], offline: bool = False,
                 labels: dict[str, str] | None = None) -> Markup:
    """The ``<td>`` cells of one :func:`matrix_rows` row, each linking its statements to their evidence.

    Built here rather than by a Jinja loop per cell: a big story's matrix has claims x
    sources cells (62,000 for 353 claims from 176 outlets and speakers in a 5,540-article
    store), and the template loop was most of the dossier's time. Links go to the article
    page (``?hl=START-END#hl``, cleaned-text offsets) or, ``offline``, to the evidence anchor;
    ``labels`` names the stances in the page's language (default Arabic).
    """
    labels = STANCE_LABELS if labels is None else labels
    out = []
    for cs in cells:
        if not cs:
            out.append('<td class="cell"></td>')
            continue
        links = []
        for c in cs:
            st = escape(c["stance"])
            label = escape(labels.get(c["stance"], c["stance"]))
            href = ("#" + ev_id(c["claim_id"], c["article_id"], c["start"], c["end"]) if offline
                    else f"/article/{c['article_id']}?hl={c['start']}-{c['end']}#hl")
            links.append(f'<a class="stance st-{st}" data-stance="{st}" href="{escape(href)}"'
                         f' title="{label} ({st})">{label}</a>')
        out.append('<td class="cell has">' + "".join(links) + "</td>")
    return Markup("\n".join(out))


def fold_duplicates(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group a story's articles under their originals: ``[{"article", "copies": [...]}]``.

    A duplicate whose original is not in the list stays at top level.
    """
    ids = {a["id"] for a in articles}
    copies: dict[str, list[dict[str, Any]]] = defaultdict(list)
    top = []
    for a in articles:
        if a.get("duplicate_of") and a["duplicate_of"] in ids and a["duplicate_of"] != a["id"]:
            copies[a["duplicate_of"]].append(a)
        else:
            top.append(a)
    return [{"article": a, "copies": copies.get(a["id"], [])} for a in top]


def ev_id(claim_id: str, article_id: str, start: int, end: int) -> str:
    """The anchor of one claim member in the offline dossier (claim ids are unique across stories)."""
    return "ev-" + "-".join(str(x) for x in (claim_id, article_id[:12], start, end)).replace(" ", "_")


def template_env() -> jinja2.Environment:
    """The Jinja2 environment for pages and the offline export (autoescape on)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        stance_labels=STANCE_LABELS, kind_labels=KIND_LABELS, highlight=highlight, marks=marks,
        highlight_in_sentence=highlight_in_sentence, matrix_rows=matrix_rows, matrix_cells=matrix_cells,
        fold_duplicates=fold_duplicates,
        ev_id=ev_id, timeline_svg=timeline_svg, undated_count=undated_count, t=LABELS["ar"], lang="ar", dir="rtl",
    )
    env.filters["short"] = lambda s: (s or "")[:12]
    return env
