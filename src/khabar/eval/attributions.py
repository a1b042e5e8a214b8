"""Score attribution extraction against hand-annotated gold; rebuild the gold; time the stage.

Two gold formats are read:

* **Official** (issue 6): one JSON per article, ``{"doc_id", "attributions":
  [{"speaker", "speaker_kind", "cue", "content", "type", "stance",
  "nested_source"}]}`` where the span fields are exact substrings of
  ``TEXT_DIR/DOC_ID.txt``. Optional ``speaker_span`` / ``content_span`` (``[start,
  end)`` into that text) pin which occurrence is meant; without them the first
  occurrence is taken.
* **Offsets** (``tests/gold/attributions/``): the repository may not hold
  ../shared text, so each file names its source (``{"dataset", "file", "index"}``
  under ``data_root``), the ``sha256`` of that raw source text, the ``sha256`` of
  the cleaned text when it was annotated (``clean_sha256``), and every span as
  ``[start, end)`` into the **raw** source. Raw offsets stay valid whatever the
  cleaner does; :func:`materialize_gold` re-cleans the source with
  :func:`khabar.clean.clean` and maps each span into the cleaned text through the
  OffsetMap, raising :class:`GoldError` naming document and span when a cleaner
  change dropped or split an annotated span, and logging when the cleaned text
  changed but every span survived.

Predictions come from :func:`khabar.attribution.find_attributions` on the
cleaned text with the pipeline's ``sentences`` layer (no entities layer, so
the score does not move with the NER model).

A predicted and a gold attribution match when their contents' token F1 is at
least 0.5 and the predicted speaker overlaps the gold speaker span or shares a
name token with it (the same referent named again, e.g. "بيسكوف" for
"المتحدث باسم الكرملين دميتري بيسكوف"), or both have none; matching is
one-to-one, best pairs first.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from khabar.arabic import match_key
from khabar.attribution import find_attributions
from khabar.clean import clean
from khabar.errors import KhabarError
from khabar.model import Article, OffsetMap
from khabar.sentences import split_sentences
from khabar.settings import Settings

log = logging.getLogger(__name__)

MIN_CONTENT_F1 = 0.5
SPAN_FIELDS = ("speaker", "cue", "content", "nested_source")
N_PARTS = 4


class GoldError(KhabarError):
    """A gold file does not fit its source text (hash mismatch, span lost by cleaning)."""


@dataclass(slots=True)
class GoldDoc:
    """One gold article as the scorer needs it: cleaned text and spans into it."""

    doc_id: str
    text: str
    attributions: list[dict]  # span fields as (start, end) tuples or None
    part: int | None = None  # a fixed evaluation part (e.g. a held-out set); None: dealt by hash


# ---------------------------------------------------------------- loading


def token_f1(a: str, b: str) -> float:
    """Bag-of-words F1 of two strings over :func:`match_key` tokens."""
    ta, tb = Counter(match_key(a).split()), Counter(match_key(b).split())
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    p, r = common / sum(ta.values()), common / sum(tb.values())
    return 2 * p * r / (p + r)


@lru_cache(maxsize=32)
def _zip_array(path: str) -> list:
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read(z.namelist()[0]))


def source_text(source: dict, data_root: Path) -> tuple[str, str]:
    """The raw text and title an offsets-gold ``source`` names under ``data_root``."""
    root = Path(data_root)
    ds, fname, index = source["dataset"], source["file"], int(source["index"])
    if ds == "baly2018":
        path = root / "baly2018" / fname
        if not path.exists():
            raise GoldError(f"missing source {path}", source=str(path), hint="pass the ../shared/data folder as data_root")
        return json.loads(path.read_text(encoding="utf-8"))["article"][index], ""
    if ds == "saudinewsnet":
        path = root / "saudinewsnet" / "dataset" / fname
        if not path.exists():
            raise GoldError(f"missing source {path}", source=str(path), hint="pass the ../shared/data folder as data_root")
        item = _zip_array(str(path))[index]
        return item["content"], item.get("title", "")
    raise GoldError(f"unknown dataset {ds!r}", source=ds, hint="baly2018 or saudinewsnet")


def _raw_to_clean(offsets: OffsetMap, raw_span: list[int]) -> tuple[int, int] | None:
    """Map a raw ``[start, end)`` into cleaned text, or None when no single segment run holds it."""
    rs, re_ = raw_span
    start = end = None
    for cs, r0, ln in offsets.segments:
        if start is None and r0 <= rs < r0 + ln:
            start = cs + rs - r0
        if r0 < re_ <= r0 + ln:
            end = cs + re_ - r0
    if start is None or end is None or end < start:
        return None
    return start, end


def load_offsets_gold(path: Path, data_root: Path, settings: Settings | None = None) -> GoldDoc:
    """Read one offsets-gold file, check its hashes and map its spans into the cleaned text.

    Raises:
        GoldError: the source text changed (sha256), or a span no longer survives cleaning.
    """
    gold = json.loads(Path(path).read_text(encoding="utf-8"))
    raw, title = source_text(gold["source"], data_root)
    if hashlib.sha256(raw.encode("utf-8")).hexdigest() != gold["sha256"]:
        raise GoldError("source text changed since annotation (sha256 differs)", source=str(path),
                        hint="the gold no longer fits this copy of ../shared; re-annotate the article")
    cfg = (settings or Settings.load()).section("clean")
    cleaned = clean(raw, title=title, settings=cfg)
    text = cleaned.text
    if gold.get("clean_sha256") and hashlib.sha256(text.encode("utf-8")).hexdigest() != gold["clean_sha256"]:
        log.warning("%s: cleaned text differs from the annotated one; remapping raw offsets", path)
    atts = []
    for i, a in enumerate(gold["attributions"]):
        out = dict(a)
        for f in SPAN_FIELDS:
            if a.get(f) is None:
                out[f] = None
                continue
            span = _raw_to_clean(cleaned.offsets, a[f])
            rs, re_ = a[f]
            if span is None or text[span[0] : span[1]] != raw[rs:re_]:
                raise GoldError(f"attribution {i} {f} raw [{rs}, {re_}) does not survive cleaning",
                                source=str(path), hint="a clean.py change removed or split annotated text")
            out[f] = span
        atts.append(out)
    return GoldDoc(gold["doc_id"], text, atts, gold.get("part"))


def _find(text: str, piece: str | None, source: str) -> tuple[int, int] | None:
    if not piece:
        return None
    i = text.find(piece)  # official gold gives strings, not offsets: locate the annotated substring
    if i < 0:
        raise GoldError(f"gold string not in text: {piece[:40]!r}", source=source, hint="gold strings must be exact substrings")
    return i, i + len(piece)


def load_official_gold(path: Path, text_dir: Path) -> GoldDoc:
    """Read one official-format gold file and its ``DOC_ID.txt``."""
    gold = json.loads(Path(path).read_text(encoding="utf-8"))
    text = (Path(text_dir) / f"{gold['doc_id']}.txt").read_text(encoding="utf-8")
    atts = []
    for a in gold["attributions"]:
        out = dict(a)
        for f in SPAN_FIELDS:
            pinned = a.get(f"{f}_span")
            out[f] = tuple(pinned) if pinned else _find(text, a.get(f), str(path))
        atts.append(out)
    return GoldDoc(gold["doc_id"], text, atts, gold.get("part"))


def iter_gold(gold_dir: Path, text_dir: Path | None = None, *, data_root: Path | None = None) -> Iterator[GoldDoc]:
    """Every gold article of ``gold_dir``, either format; offsets gold reads ``data_root`` (or ``text_dir``)."""
    files = sorted(Path(gold_dir).glob("*.json"))
    if not files:
        raise GoldError(f"no gold *.json in {gold_dir}", source=str(gold_dir), hint="check the gold folder")
    settings = Settings.load()
    for gf in files:
        head = json.loads(gf.read_text(encoding="utf-8"))
        if "source" in head:
            root = data_root or text_dir
            if root is None:
                raise GoldError("offsets gold needs data_root", source=str(gf), hint="pass ../shared/data")
            yield load_offsets_gold(gf, root, settings)
        else:
            if text_dir is None:
                raise GoldError("official gold needs text_dir", source=str(gf), hint="pass the texts folder")
            yield load_official_gold(gf, text_dir)


def materialize_gold(gold_dir: Path, data_root: Path, out_dir: Path) -> int:
    """Rebuild the official format from the offsets gold: ``OUT/texts/DOC_ID.txt`` + ``OUT/gold/DOC_ID.json``.

    The texts are the cleaned texts khabar analyses; the JSON spans are their exact
    substrings, with ``*_span`` offsets pinning the occurrence. Then
    ``khabar eval attributions OUT/gold OUT/texts`` scores them.

    Returns:
        the number of articles written.
    """
    out = Path(out_dir)
    (out / "texts").mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(parents=True, exist_ok=True)
    n = 0
    for doc in iter_gold(gold_dir, data_root=data_root):
        (out / "texts" / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")
        atts = []
        for a in doc.attributions:
            row = {k: v for k, v in a.items() if k not in SPAN_FIELDS}
            for f in SPAN_FIELDS:
                span = a[f]
                row[f] = None if span is None else doc.text[span[0] : span[1]]
                row[f"{f}_span"] = None if span is None else list(span)
            atts.append(row)
        body = {"doc_id": doc.doc_id, "attributions": atts}
        if doc.part is not None:
            body["part"] = doc.part
        (out / "gold" / f"{doc.doc_id}.json").write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        n += 1
    return n


# ---------------------------------------------------------------- scoring


def assign_parts(doc_ids: list[str], parts: int = N_PARTS) -> dict[str, int]:
    """Cross-validation part (0..parts-1) of each document: ranked by sha256 of the id, dealt round-robin.

    Stable across runs and machines, and balanced (part sizes differ by at most one).
    """
    if parts < 1:
        raise ValueError(f"parts must be >= 1, got {parts}")
    ranked = sorted(doc_ids, key=lambda d: hashlib.sha256(d.encode("utf-8")).hexdigest())
    return {d: i % parts for i, d in enumerate(ranked)}


def analyse(doc_id: str, text: str, settings: dict | None = None) -> Article:
    """Run sentences + attribution on a cleaned text, as the pipeline does (no entities)."""
    art = Article(id=doc_id, path=doc_id, raw=text, text=text)
    art.add("sentences", split_sentences(text))
    find_attributions(art, settings=settings if settings is not None else Settings.load().section("attribution"))
    return art


def _name_tokens(s: str) -> set[str]:
    return {t for t in match_key(s).split() if len(t) >= 3}


def speakers_match(text: str, pred: tuple[int, int] | None, gold: tuple[int, int] | None) -> bool:
    """Same speaker: both none, overlapping spans, or a shared name token (the referent named again)."""
    if pred is None or gold is None:
        return pred is None and gold is None
    if pred[0] < gold[1] and gold[0] < pred[1]:
        return True
    return bool(_name_tokens(text[pred[0] : pred[1]]) & _name_tokens(text[gold[0] : gold[1]]))


@dataclass(slots=True)
class _Tally:
    docs: int = 0
    gold: int = 0
    pred: int = 0
    tp: int = 0
    exact: int = 0
    speaker: int = 0
    kind: int = 0
    stance: int = 0
    type: int = 0

    def report(self) -> dict:
        p = self.tp / self.pred if self.pred else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        ep = self.exact / self.pred if self.pred else 0.0
        er = self.exact / self.gold if self.gold else 0.0
        acc = (lambda k: k / self.tp if self.tp else 0.0)
        return {
            "n_docs": self.docs, "n_gold": self.gold, "n_pred": self.pred,
            "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "exact_content_f1": 2 * ep * er / (ep + er) if ep + er else 0.0,
            "speaker_accuracy": acc(self.speaker), "speaker_kind_accuracy": acc(self.kind),
            "stance_accuracy": acc(self.stance), "type_accuracy": acc(self.type),
        }


def score_doc(doc: GoldDoc, art: Article, tally: _Tally, errors: list[dict] | None = None) -> None:
    """Match one article's predictions to its gold and add to ``tally``; collect unmatched in ``errors``."""
    text = doc.text
    preds, golds = art.attributions, doc.attributions
    tally.docs += 1
    tally.gold += len(golds)
    tally.pred += len(preds)
    tally.exact += len({(p.content.start, p.content.end) for p in preds} & {g["content"] for g in golds})
    cands = []
    for pi, p in enumerate(preds):
        p_spk = (p.speaker.start, p.speaker.end) if p.speaker else None
        for gi, g in enumerate(golds):
            f1 = token_f1(text[p.content.start : p.content.end], text[g["content"][0] : g["content"][1]])
            if f1 >= MIN_CONTENT_F1 and speakers_match(text, p_spk, g["speaker"]):
                cands.append((f1, pi, gi))
    used_p: dict[int, int] = {}
    used_g: set[int] = set()
    for _f1, pi, gi in sorted(cands, reverse=True):
        if pi in used_p or gi in used_g:
            continue
        used_p[pi] = gi
        used_g.add(gi)
        p, g = preds[pi], golds[gi]
        tally.tp += 1
        g_spk = text[g["speaker"][0] : g["speaker"][1]] if g["speaker"] else ""
        tally.speaker += int(art.span_text(p.speaker) == g_spk)
        tally.kind += int(g.get("speaker_kind") in (None, p.speaker_kind))
        tally.stance += int(p.stance == g.get("stance"))
        tally.type += int(p.kind == g.get("type"))
        if errors is not None and p.stance != g.get("stance"):
            errors.append({"doc": doc.doc_id, "error": "stance", "gold": g.get("stance"), "pred": p.stance,
                           "cue": art.span_text(p.cue), "content": art.span_text(p.content)[:80]})
        if errors is not None and (art.span_text(p.speaker) != g_spk or p.speaker_kind != g.get("speaker_kind", p.speaker_kind)):
            errors.append({"doc": doc.doc_id, "error": "speaker", "gold": g_spk, "pred": art.span_text(p.speaker),
                           "gold_kind": g.get("speaker_kind"), "pred_kind": p.speaker_kind, "cue": art.span_text(p.cue)})
        if errors is not None and (p.content.start, p.content.end) != g["content"]:
            errors.append({"doc": doc.doc_id, "error": "extent", "gold": text[g["content"][0] : g["content"][1]],
                           "pred": art.span_text(p.content)})
    if errors is not None:
        for gi, g in enumerate(golds):
            if gi not in used_g:
                spk = text[g["speaker"][0] : g["speaker"][1]] if g["speaker"] else None
                errors.append({"doc": doc.doc_id, "error": "missed", "speaker": spk, "cue": text[g["cue"][0] : g["cue"][1]],
                               "content": text[g["content"][0] : g["content"][1]][:80]})
        for pi, p in enumerate(preds):
            if pi not in used_p:
                errors.append({"doc": doc.doc_id, "error": "spurious", "speaker": art.span_text(p.speaker) or None,
                               "cue": art.span_text(p.cue), "content": art.span_text(p.content)[:80]})


def evaluate_attributions(gold_dir: Path, text_dir: Path | None = None, *, data_root: Path | None = None,
                          settings: dict | None = None, parts: int = N_PARTS, errors: list[dict] | None = None,
                          error_parts: set[int] | None = None) -> dict:
    """Precision, recall and F1 of attributions, plus accuracies over matched pairs, overall and per part.

    Documents whose gold names a ``part`` keep it (a held-out set added later
    must not reshuffle the others); the rest are dealt into ``parts`` parts by
    :func:`assign_parts`.

    Args:
        gold_dir: official or offsets gold (see the module docstring).
        text_dir: texts of official gold; for offsets gold it may stand for ``data_root``
            (so ``khabar eval attributions tests/gold/attributions ../shared/data`` works).
        data_root: the ../shared/data folder for offsets gold.
        settings: the ``[attribution]`` section; defaults.toml when None.
        parts: cross-validation parts reported under ``parts`` (see :func:`assign_parts`).
        errors: when given, receives one dict per missed, spurious, mis-stanced or mis-bounded attribution.
        error_parts: when given, only documents of these parts add to ``errors`` (keep a
            held-out part unseen while tuning).

    Returns:
        ``precision``, ``recall``, ``f1`` (matched pairs), ``exact_content_f1``
        (contents equal character for character), and over matched pairs
        ``speaker_accuracy`` (same speaker text), ``speaker_kind_accuracy``,
        ``stance_accuracy``, ``type_accuracy``; ``n_docs``, ``n_gold``, ``n_pred``;
        ``parts``: the same figures for each part.
    """
    total = _Tally()
    docs = list(iter_gold(gold_dir, text_dir, data_root=data_root))
    part = assign_parts([d.doc_id for d in docs if d.part is None], parts)
    part.update({d.doc_id: int(d.part) for d in docs if d.part is not None})
    by_part = {i: _Tally() for i in sorted(set(range(parts)) | set(part.values()))}
    for doc in docs:
        art = analyse(doc.doc_id, doc.text, settings)
        p = part[doc.doc_id]
        keep = errors if error_parts is None or p in error_parts else None
        score_doc(doc, art, total, keep)
        score_doc(doc, art, by_part[p])
    out = total.report()
    out["parts"] = {str(i): t.report() for i, t in by_part.items()}
    return out


# ---------------------------------------------------------------- speed


def bench_attribution(limit: int = 2000, data_root: Path | None = None) -> dict:
    """Attribution-only throughput on SaudiNewsNet: clean + sentences first, untimed.

    Args:
        limit: number of articles (from the first daily zips on).
        data_root: ../shared/data; defaults to ``../shared/data`` beside the repository.

    Returns:
        ``articles``, ``seconds`` (attribution stage only, one process), ``articles_per_s``,
        ``attributions`` found.
    """
    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    root = Path(data_root) if data_root else Path(__file__).resolve().parents[4] / "shared" / "data"
    zips = sorted((root / "saudinewsnet" / "dataset").glob("*.zip"))
    if not zips:
        raise GoldError(f"no SaudiNewsNet zips under {root}", source=str(root), hint="the benchmark needs ../shared/data")
    settings = Settings.load()
    clean_cfg, attr_cfg = settings.section("clean"), settings.section("attribution")
    arts: list[Article] = []
    for z in zips:
        for i, item in enumerate(_zip_array(str(z))):
            c = clean(item.get("content") or "", title=item.get("title", ""), settings=clean_cfg)
            art = Article(id=f"{z.stem}#{i}", path=f"{z.name}#{i}", raw=item.get("content") or "", text=c.text)
            art.add("sentences", split_sentences(c.text))
            arts.append(art)
            if len(arts) >= limit:
                break
        if len(arts) >= limit:
            break
    t0 = time.perf_counter()
    for art in arts:
        find_attributions(art, settings=attr_cfg)
    dt = time.perf_counter() - t0
    return {"articles": len(arts), "seconds": round(dt, 3), "articles_per_s": round(len(arts) / dt, 1) if dt else 0.0,
            "attributions": sum(len(a.attributions) for a in arts)}
