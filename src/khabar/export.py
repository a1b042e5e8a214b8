"""Exports (JSON, JSONL, CSV, Markdown, offline HTML) and the CLI's text view of a story.

Every format is rendered from the dicts of :mod:`khabar.dossier`, so an export
says exactly what the web UI and the JSON API say. Offsets in every format are
character offsets into the article's cleaned text, half-open.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TextIO

from markupsafe import Markup

import khabar
from khabar.dossier import STANCE_LABELS, iter_export, missing_story, story_id_of, story_json
from khabar.errors import KhabarError
from khabar.settings import Settings
from khabar.store import Store
from khabar.store import queries

Format = Literal["json", "jsonl", "csv", "md", "html"]
FORMATS: tuple[str, ...] = ("json", "jsonl", "csv", "md", "html")
CSV_COLUMNS = ("story_id", "claim_id", "claim_text", "source", "stance", "outlet", "published", "article_id", "start", "end",
               "evidence")


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the ``json`` export object."""
    text = resources.files("khabar").joinpath("schema/export.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@contextmanager
def _open(out: Path | TextIO) -> Iterator[TextIO]:
    if isinstance(out, (str, Path)):
        with open(out, "w", encoding="utf-8", newline="") as fh:
            yield fh
    else:
        yield out


def export(store: Store, fmt: Format, out: Path | TextIO, story_id: str | None = None,
           settings: Settings | None = None) -> None:
    """Write the store (or one story) to ``out`` in ``fmt``.

    Args:
        store: the database to read.
        fmt: ``json`` (the export object, see :func:`load_schema`), ``jsonl`` (one article
            per line, then one story per line, each with a ``kind`` key), ``csv`` (one row
            per claim x source matrix cell), ``md`` (a readable dossier per story) or
            ``html`` (one self-contained offline page: the story's dossier, or every
            story's with a table of contents).
        out: a file path (written as UTF-8) or an open text stream.
        story_id: export only this story and its articles.
        settings: govern every dossier (:func:`khabar.dossier.story_json`); default
            :meth:`Settings.load`, read once for the whole export.

    Raises:
        KhabarError: unknown format.
        UnknownIdError: ``story_id`` is unknown.
    """
    if fmt not in FORMATS:
        raise KhabarError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if story_id is not None and store.story(story_id) is None and store.story(written := story_id_of(story_id)):
        story_id = written
    if story_id is not None and store.story(story_id) is None:
        raise missing_story(store, story_id)
    story_ids = [story_id] if story_id is not None else queries.all_story_ids(store)
    settings = settings or Settings.load()
    if fmt == "html":
        with _open(out) as fh:
            fh.write(render_html([story_json(store, sid, settings) for sid in story_ids]))
        return
    with _open(out) as fh:
        if fmt == "json":
            _write_json(iter_export(store, story_id, settings), fh)
        elif fmt == "jsonl":
            for kind, obj in iter_export(store, story_id, settings):
                fh.write(json.dumps({"kind": kind} | obj, ensure_ascii=False) + "\n")
        else:
            stories = (story_json(store, sid, settings) for sid in story_ids)
            if fmt == "csv":
                if isinstance(out, (str, Path)):  # a file opens with a UTF-8 byte order mark: without it Excel,
                    fh.write("\ufeff")  # where many newsrooms open a CSV, reads Arabic as mojibake
                _write_csv(stories, fh)
            else:
                fh.write("\n".join(render_markdown(s) for s in stories))


def _write_json(items: Iterator[tuple[str, dict[str, Any]]], fh: TextIO) -> None:
    """The export object (see :func:`khabar.dossier.export_document`), written one item at a time."""
    fh.write('{"khabar_version": %s,\n "articles": [' % json.dumps(khabar.__version__))
    current, first = "article", True
    for kind, obj in items:
        if kind != current:
            fh.write('],\n "stories": [')
            current, first = "story", True
        fh.write(("\n  " if first else ",\n  ") + json.dumps(obj, ensure_ascii=False))
        first = False
    if current == "article":
        fh.write('],\n "stories": [')
    fh.write("]}\n")


def csv_rows(story: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per matrix cell of a story, with the evidence sentence from the claim member."""
    evidence = {
        (cl["id"], m["article_id"], m["start"], m["end"]): m["sentence"]["text"]
        for cl in story["claims"] for m in cl["members"]
    }
    texts = {c["id"]: c["text"] for c in story["matrix"]["claims"]}
    published = {a["id"]: a["published"] or "" for a in story["articles"]}
    for c in story["matrix"]["cells"]:
        yield {
            "story_id": story["id"], "claim_id": c["claim_id"], "claim_text": texts.get(c["claim_id"], ""),
            "source": c["source"], "stance": c["stance"], "outlet": c["outlet"] or "",
            "published": published.get(c["article_id"], ""), "article_id": c["article_id"],
            "start": c["start"], "end": c["end"],
            "evidence": evidence.get((c["claim_id"], c["article_id"], c["start"], c["end"]), ""),
        }


def _write_csv(stories: Iterable[dict[str, Any]], fh: TextIO) -> None:
    w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
    w.writeheader()
    for s in stories:
        w.writerows(csv_rows(s))


def _md_escape(text: str) -> str:
    """Neutralise Markdown control characters in untrusted text (one line)."""
    text = " ".join(text.split())
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def render_markdown(story: dict[str, Any]) -> str:
    """A readable Markdown dossier: label, outlets, each claim with who asserts or denies it."""
    lines = [f"# {_md_escape(story['label'] or story['id'])}", ""]
    span = story["first_published"] + (f" – {story['last_published']}" if story["last_published"] != story["first_published"] else "")
    lines.append(f"- المعرّف: `{story['id']}`")
    if span.strip():
        lines.append(f"- الفترة: {span}")
    lines.append(f"- المقالات: {len(story['articles'])}")
    lines.append(f"- وسائل الإعلام: {'، '.join(_md_escape(o) for o in story['outlets']) or '—'}")
    if story["contested"]:
        lines.append("- **تعارض:** مصدر ينفي ادعاءً يؤكده مصدر آخر، أو روايات متعارضة")
    if story["summary"]:
        lines += ["", _md_escape(story["summary"])]
    lines += ["", "## الادعاءات", ""]
    if not story["claims"]:
        lines.append("لا ادعاءات مستخرجة.")
    for i, cl in enumerate(story["claims"], 1):
        lines += [f"### {i}. {_md_escape(cl['text'])}", ""]
        for m in cl["members"]:
            who = _who(m, _md_escape)
            lines.append(f"- **{STANCE_LABELS.get(m['stance'], m['stance'])}** ({m['stance']}): {who}")
            lines.append(f"  > {_md_escape(m['text'])}")
            lines.append(f"  <sub>`{m['article_id'][:12]}` [{m['start']}, {m['end']})</sub>")
        lines.append("")
    if story.get("denials"):
        lines += ["## من ينفي من", ""]
        lines += [f"- {_who(d['denier'], _md_escape)} ينفي ما قاله {_who(d['denied'], _md_escape)}: "
                  f"{_md_escape(d['claim_text'])}" for d in story["denials"]]
        lines.append("")
    if story.get("contradictions"):
        lines += ["## روايات متعارضة", ""]
        lines += [f"- {_who(c['a'], _md_escape)} مقابل {_who(c['b'], _md_escape)} ({', '.join(c['kinds'])}): "
                  f"{_md_escape(_differences(c))}" for c in story["contradictions"]]
    return "\n".join(lines).rstrip() + "\n"


def _differences(c: dict[str, Any]) -> str:
    """The spans two conflicting accounts differ in: "12 / 30"."""
    return "، ".join(f"{(d['a'] or {}).get('text', '—')} / {(d['b'] or {}).get('text', '—')}" for d in c["differences"])


def render_html(stories: list[dict[str, Any]]) -> str:
    """One self-contained offline HTML file: inline CSS, no script, no external request, RTL.

    One story gives its dossier; several give a table of contents, then each dossier.
    Matrix cells link to the evidence quoted in the same file.
    """
    from khabar.web import STATIC_DIR, template_env  # jinja2 only; keeps `khabar export json` light

    css = (STATIC_DIR / "style.css").read_text(encoding="utf-8")
    env = template_env()
    return env.get_template("dossier_export.html").render(stories=stories, css=Markup(css), version=khabar.__version__)


def render_text(story: dict[str, Any]) -> str:
    """The terminal view of a story (``khabar story ID``): plain Arabic text, stances per source."""
    out = [story["label"] or story["id"], f"المعرّف: {story['id']}"]
    if story["first_published"]:
        out.append(f"الفترة: {story['first_published']} – {story['last_published']}")
    out.append(f"المقالات: {len(story['articles'])} · وسائل الإعلام: {'، '.join(story['outlets']) or '—'}")
    if story["contested"]:
        out.append("تعارض: مصدر ينفي ادعاءً يؤكده مصدر آخر، أو روايات متعارضة")
    if story["summary"]:
        out += ["", _cut(story["summary"], _TERMINAL_SUMMARY_CHARS)]
    out += ["", "الادعاءات:"]
    if not story["claims"]:
        out.append("  لا ادعاءات مستخرجة.")
    for i, cl in enumerate(story["claims"], 1):
        out.append(f"{i}. {_cut(cl['text'], _TERMINAL_QUOTE_CHARS)}")
        first = cl.get("first_seen")
        if first:
            when = f" · {first['published'][:10]}" if first.get("published") else ""
            out.append(f"   أول ظهور: {first['outlet'] or first['source']}{when}")
        for m in cl["members"]:
            label = STANCE_LABELS.get(m["stance"], m["stance"])
            quote = _cut(_unquoted(" ".join(m["text"].split())), _TERMINAL_QUOTE_CHARS)
            out.append(f"   [{label}] {_who(m)}: «{quote}»")
    if story.get("denials"):
        out += ["", "من ينفي من:"]
        out += [f"- {_who(d['denier'])} ينفي ما قاله {_who(d['denied'])}: {d['claim_text']}" for d in story["denials"]]
    if story.get("contradictions"):
        out += ["", "روايات متعارضة:"]
        out += [f"- {_who(c['a'])} مقابل {_who(c['b'])} ({', '.join(c['kinds'])}): {_differences(c)}"
                for c in story["contradictions"]]
    return "\n".join(out) + "\n"


# The terminal shows a story's summary and each quotation up to these lengths (a scraped page of one 100,000-character
# line made one summary a screenful of screens); the JSON, HTML and web dossiers keep them whole.
_TERMINAL_SUMMARY_CHARS = 600
_TERMINAL_QUOTE_CHARS = 400


def _cut(text: str, limit: int) -> str:
    """``text`` up to ``limit`` characters, cut at a word with "…" when longer."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    return (head.rsplit(" ", 1)[0] if " " in head else head) + " …"


def _who(member: dict[str, Any], escape: Callable[[str], str] = str) -> str:
    """"source (outlet)", each part passed through ``escape``: two outlets reporting one speaker's words are
    two rows a reader must tell apart (the terminal and Markdown dossiers)."""
    source, outlet = member["source"], member.get("outlet") or ""
    return escape(source) if not outlet or outlet == source else f"{escape(source)} ({escape(outlet)})"


def _unquoted(text: str) -> str:
    """``text`` without the quotation marks around all of it (the memo puts «...» there); a mark that closes a
    quotation opened inside ("الأهالي "يعيشون حالة قلق"") stays."""
    while len(text) > 1 and text[0] in "«\"“" and text[-1] in "»\"”":
        text = text[1:-1].strip()
    return text

