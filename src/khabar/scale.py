"""Run the per-article stages in parallel: worker processes or a Dask cluster.

A mapper has the signature of :func:`khabar.pipeline.process_documents`:
``mapper(docs, settings) -> (results, seconds per stage)``. It cuts a batch
into contiguous chunks, runs ``process_documents`` on each chunk elsewhere and
joins the results back in input order, so the corpus stages (which see the
stream in arrival order, in the main process) and therefore the store are the
same as with an in-process run. Nothing else lives here: no stage logic, no SQL.

Two engines:

* :func:`local_mapper` - a ``ProcessPoolExecutor`` with the ``spawn`` start
  method (safe with threads, the same on every OS); each worker loads the
  models once, in its initializer, and keeps them for the run.
* :func:`dask_mapper` - ``dask.distributed.Client(scheduler)``: chunks are
  submitted with ``client.map`` and gathered in order. Start a cluster with
  ``dask scheduler`` on one host and ``dask worker tcp://HOST:8786 --nthreads 1``
  on each machine (one thread per process: the stages are pure Python and hold
  the GIL); every worker needs khabar installed at the same version.

Both are context managers; leaving the ``with`` block stops the pool or
closes the client. Batches smaller than ``[scale] min_parallel_batch`` run in
this process: shipping a handful of articles costs more than it saves.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from khabar.errors import KhabarError
from khabar.ingest import IngestProblem, RawDocument
from khabar.model import Article
from khabar.pipeline import process_documents
from khabar.settings import Settings, check_range

log = logging.getLogger(__name__)

Results = tuple[list[Article | IngestProblem], dict[str, float]]

# A self-written two-sentence article run once in each new worker, so the CRF
# tagger, the language detector and the cue tables are loaded before real work.
_WARM_UP = RawDocument(
    path="<warm-up>",
    title="اختبار",
    raw="قال المتحدث باسم الوزارة إن الاجتماع سيعقد غدا في العاصمة. وأضاف أن الوفد سيصل صباحا.",
)


def available_cores() -> int:
    """CPU cores this process may run on (the affinity mask, not the machine's total)."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def split_chunks(items: list[Any], parts: int) -> list[list[Any]]:
    """Cut ``items`` into at most ``parts`` contiguous, near-equal chunks, in order.

    Concatenating the chunks gives ``items`` back, which is what keeps the
    parallel result order equal to the input order.
    """
    if parts < 1:
        raise ValueError(f"parts must be >= 1, got {parts}")
    parts = min(parts, len(items)) or 1
    size, extra = divmod(len(items), parts)
    out, i = [], 0
    for p in range(parts):
        n = size + (1 if p < extra else 0)
        out.append(items[i : i + n])
        i += n
    return [c for c in out if c]


def merge_results(parts: list[Results]) -> Results:
    """Concatenate chunk results in chunk order and add up their stage timings (seconds)."""
    results: list[Article | IngestProblem] = []
    timings: dict[str, float] = {}
    for res, tim in parts:
        results.extend(res)
        for name, secs in tim.items():
            timings[name] = timings.get(name, 0.0) + secs
    return results, timings


def _split_like(ids: list[str] | None, chunks: list[list[Any]]) -> list[list[str] | None]:
    """``ids`` cut at the same places as ``chunks`` (all None when there are no ids)."""
    if ids is None:
        return [None] * len(chunks)
    out, i = [], 0
    for c in chunks:
        out.append(ids[i : i + len(c)])
        i += len(c)
    return out


def _process_chunk(docs: list[RawDocument], ids: list[str] | None, settings: Settings) -> Results:
    """:func:`process_documents` with positional ids, for ``pool.submit`` and ``client.map``."""
    return process_documents(docs, settings, ids=ids)


def _scale_settings(settings: Settings) -> tuple[int, int]:
    sec = settings.section("scale")
    per_worker = int(check_range("scale.chunks_per_worker", sec["chunks_per_worker"], 1, 1000))
    min_batch = int(check_range("scale.min_parallel_batch", sec["min_parallel_batch"], 0, 1_000_000))
    return per_worker, min_batch


def _init_worker(settings: Settings) -> None:
    """Pool initializer: load every model once in this worker process.

    Workers ignore SIGINT: Ctrl-C reaches the whole process group, and only the
    main process should handle it (it stops cleanly and says how to resume).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    process_documents([_WARM_UP], settings)


class LocalMapper:
    """Per-article stages over a pool of ``workers`` spawned processes.

    The pool starts on the first batch large enough to need it and lives until
    :meth:`close` (or the end of the ``with`` block).
    """

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise KhabarError(f"workers must be >= 1, got {workers}", hint="use --workers 1 to run in one process")
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def _get_pool(self, settings: Settings) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker,
                                             initargs=(settings,))
            log.info("started %d worker processes", self.workers)
        return self._pool

    accepts_ids = True  # analyze_documents passes the article ids it already computed

    @property
    def in_process(self) -> bool:
        """One worker runs in this process: analyze_documents then maps without a helper thread."""
        return self.workers == 1

    def __call__(self, docs: list[RawDocument], settings: Settings, *, ids: list[str] | None = None) -> Results:
        per_worker, min_batch = _scale_settings(settings)
        if self.workers == 1 or len(docs) < max(min_batch, 2):
            return process_documents(docs, settings, ids=ids)
        pool = self._get_pool(settings)
        chunks = split_chunks(docs, self.workers * per_worker)
        id_chunks = _split_like(ids, chunks)
        futures = [pool.submit(_process_chunk, c, i, settings) for c, i in zip(chunks, id_chunks, strict=True)]
        return merge_results([f.result() for f in futures])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> LocalMapper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DaskMapper:
    """Per-article stages on a ``dask.distributed`` cluster at ``scheduler``.

    The client connects on the first batch; settings are scattered to every
    worker once. Each chunk is one task (``pure=False``: inputs are not hashed).
    """

    def __init__(self, scheduler: str) -> None:
        if not scheduler:
            raise KhabarError("the dask engine needs a scheduler address",
                              hint="pass --scheduler tcp://HOST:8786 (start one with `dask scheduler`)")
        self.scheduler = scheduler
        self._client: Any = None
        self._settings: Any = None  # a Future of the scattered Settings
        self._settings_value: Settings | None = None

    def _get_client(self) -> Any:
        if self._client is None:
            try:
                from dask.distributed import Client
            except ImportError as exc:
                raise KhabarError("the dask engine needs dask.distributed",
                                  hint="pip install 'dask[distributed]>=2024.1'") from exc
            try:
                self._client = Client(self.scheduler, set_as_default=False)
            except OSError as exc:
                raise KhabarError(f"cannot reach the Dask scheduler: {exc}", source=self.scheduler,
                                  hint="start it with `dask scheduler` and check the address") from exc
            log.info("connected to Dask scheduler %s", self.scheduler)
        return self._client

    def connect(self) -> None:
        """Reach the scheduler now (raises :class:`KhabarError` when it cannot): before a store is created."""
        self._get_client()

    accepts_ids = True  # analyze_documents passes the article ids it already computed

    def __call__(self, docs: list[RawDocument], settings: Settings, *, ids: list[str] | None = None) -> Results:
        per_worker, min_batch = _scale_settings(settings)
        if len(docs) < max(min_batch, 2):
            return process_documents(docs, settings, ids=ids)
        client = self._get_client()
        if self._settings is None or self._settings_value is not settings:
            self._settings = client.scatter(settings, broadcast=True)
            self._settings_value = settings
        workers = max(sum(client.nthreads().values()), 1)  # worker threads in the cluster now
        chunks = split_chunks(docs, workers * per_worker)
        futures = client.map(_process_chunk, chunks, _split_like(ids, chunks), settings=self._settings, pure=False)
        return merge_results(client.gather(futures))

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
            self._settings = None

    def __enter__(self) -> DaskMapper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def local_mapper(workers: int) -> LocalMapper:
    """A mapper running the per-article stages in ``workers`` processes (1: in this process)."""
    return LocalMapper(workers)


def dask_mapper(scheduler: str) -> DaskMapper:
    """A mapper running the per-article stages on the Dask cluster at ``scheduler`` (``tcp://HOST:PORT``)."""
    return DaskMapper(scheduler)
