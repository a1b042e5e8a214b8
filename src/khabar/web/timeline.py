"""A story's articles over time, drawn server-side as a small inline SVG.

No script and no ``style`` attribute (the Content-Security-Policy forbids inline
styles): colours and fonts are SVG presentation attributes. The SVG's own
``direction`` is ltr so that x and ``text-anchor`` mean the same in both UI
languages; Arabic labels still render right to left inside their run. One row per outlet,
one dot per dated article (hollow for a duplicate copy); time runs in the reading
direction (right to left for Arabic). Every piece of text is escaped.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from markupsafe import Markup

WIDTH = 720  # px, the viewBox width; the SVG scales to its container
ROW_HEIGHT = 26  # px per outlet row
LABEL_WIDTH = 170  # px reserved for outlet names
AXIS_HEIGHT = 34  # px below the rows for the date axis
MAX_ROWS = 12  # more outlets are merged into the last row
DOT_RADIUS = 6
_PALETTE = ("#1f5fa8", "#b3261e", "#2e7d32", "#7b3fa0", "#9a6700", "#00796b", "#c2185b", "#455a64")


def _day(published: str) -> date | None:
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def timeline_svg(articles: list[dict[str, Any]], *, rtl: bool = True, link: bool = True,
                 other_label: str = "…") -> Markup:
    """The SVG of a story's dated articles; empty markup when none is dated.

    Args:
        articles: story articles (``id, title, source, published, duplicate_of``).
        rtl: time runs right to left and outlet names sit on the right.
        link: wrap each dot in a link to ``/article/{id}`` (off for the offline export).
        other_label: row name for outlets beyond :data:`MAX_ROWS`.
    """
    dated = [(d, a) for a in articles if (d := _day(a.get("published") or "")) is not None]
    if not dated:
        return Markup("")
    outlets: list[str] = []
    for _, a in sorted(dated, key=lambda x: x[0]):
        if a["source"] not in outlets:
            outlets.append(a["source"])
    rows = outlets[: MAX_ROWS - 1] + ([other_label] if len(outlets) >= MAX_ROWS else outlets[MAX_ROWS - 1 : MAX_ROWS])
    row_of = {o: min(i, len(rows) - 1) for i, o in enumerate(outlets)}
    first, last = min(d for d, _ in dated), max(d for d, _ in dated)
    span = max((last - first).days, 1)
    plot_lo, plot_hi = 44, WIDTH - LABEL_WIDTH - 24  # plot x range when labels are on the right

    def x(d: date) -> float:
        frac = 0.5 if first == last else (d - first).days / span
        pos = plot_lo + frac * (plot_hi - plot_lo)
        return (plot_hi + plot_lo - pos) if rtl else pos + LABEL_WIDTH

    height = len(rows) * ROW_HEIGHT + AXIS_HEIGHT
    label_x, anchor = (WIDTH - 8, "end") if rtl else (8, "start")
    parts = [Markup(
        '<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img"'
         ' aria-label="timeline" direction="ltr" font-family="Noto Naskh Arabic, Noto Sans Arabic, DejaVu Sans, sans-serif"'
        ' font-size="13">').format(w=WIDTH, h=height)]
    for i, name in enumerate(rows):
        y = i * ROW_HEIGHT + ROW_HEIGHT / 2
        colour = _PALETTE[i % len(_PALETTE)]
        parts.append(Markup('<line x1="{a}" x2="{b}" y1="{y}" y2="{y}" stroke="#e2e2dc" stroke-width="1"/>').format(
            a=plot_lo + (0 if rtl else LABEL_WIDTH), b=plot_hi + (0 if rtl else LABEL_WIDTH), y=y))
        parts.append(Markup('<text x="{x}" y="{y}" text-anchor="{a}" dominant-baseline="middle" fill="{c}">{t}</text>')
                     .format(x=label_x, y=y, a=anchor, c=colour, t=name[:28]))
    for d, a in sorted(dated, key=lambda v: (v[0], v[1]["id"])):
        i = row_of[a["source"]]
        colour = _PALETTE[i % len(_PALETTE)]
        hollow = bool(a.get("duplicate_of"))
        dot = Markup('<circle cx="{x:.1f}" cy="{y}" r="{r}" fill="{f}" stroke="{c}" stroke-width="2">'
                     "<title>{t}</title></circle>").format(
            x=x(d), y=i * ROW_HEIGHT + ROW_HEIGHT / 2, r=DOT_RADIUS, f="#ffffff" if hollow else colour, c=colour,
            t=f"{a['published'][:10]} · {a['source']} · {a.get('title') or ''}")
        parts.append(Markup('<a href="/article/{id}">{dot}</a>').format(id=a["id"], dot=dot) if link else dot)
    axis_y = len(rows) * ROW_HEIGHT + 6
    parts.append(Markup('<line x1="{a}" x2="{b}" y1="{y}" y2="{y}" stroke="#8a8a85" stroke-width="1"/>').format(
        a=plot_lo + (0 if rtl else LABEL_WIDTH), b=plot_hi + (0 if rtl else LABEL_WIDTH), y=axis_y))
    ticks = sorted({first, last, *(first.fromordinal(first.toordinal() + round(span * k / 4)) for k in (1, 2, 3))})
    for d in ticks if first != last else [first]:
        parts.append(Markup('<text x="{x:.1f}" y="{y}" text-anchor="middle" fill="#5f6368" font-size="11"'
                            ' direction="ltr">{t}</text>').format(x=x(d), y=axis_y + 18, t=d.isoformat()))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def undated_count(articles: list[dict[str, Any]]) -> int:
    """Articles the timeline cannot place (no parseable ``published`` date)."""
    return sum(1 for a in articles if _day(a.get("published") or "") is None)
