"""Analyses started from the web UI: uploads run through the pipeline in a background thread.

One analysis runs at a time (SQLite has one writer); later uploads wait their
turn as ``queued``. Each upload lives in its own temporary folder, removed when
its analysis ends. The status of the most recent jobs is kept in memory only,
on the :class:`JobRunner` that the app owns (no module state).
"""

from __future__ import annotations

import logging
import re
import shutil
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from khabar.settings import Settings

log = logging.getLogger(__name__)

UPLOAD_SUFFIXES: tuple[str, ...] = (".txt", ".html", ".htm", ".json", ".jsonl", ".rss", ".atom", ".xml", ".zip")
KEEP_JOBS = 50  # finished jobs remembered for the status endpoint
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def safe_name(name: str, index: int) -> str:
    """A file name without folders or odd characters, keeping its suffix (``upload-N.txt`` if nothing is left)."""
    base = Path(name.replace("\\", "/")).name
    clean = _UNSAFE.sub("_", base).strip("._")
    suffix = Path(base).suffix.lower()
    return clean[:120] if clean and Path(clean).suffix.lower() == suffix else f"upload-{index}{suffix}"


def count_inputs(path: Path) -> int:
    """Documents a file is expected to hold: archive entries for a zip, else 1 (for the progress bar)."""
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as z:
                return sum(1 for i in z.infolist() if not i.is_dir())
        except zipfile.BadZipFile:
            return 1
    return 1


@dataclass
class Job:
    """The state of one upload's analysis, as the status endpoint reports it."""

    id: str
    files: list[str]
    total: int  # expected inputs (archive entries count one each)
    state: str = "queued"  # queued | running | done | failed
    processed: int = 0
    created: float = field(default_factory=time.time)
    finished: float | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "state": self.state, "files": self.files, "total": self.total,
            "processed": min(self.processed, self.total) if self.state != "done" else self.total,
            "summary": self.summary, "error": self.error,
        }


class JobRunner:
    """Starts analyses of uploaded folders and remembers their progress."""

    def __init__(self, db_path: Path, settings: Settings) -> None:
        self.db_path = db_path
        self.settings = settings
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()  # guards _jobs
        self._writer = threading.Lock()  # one analysis at a time

    def submit(self, folder: Path, files: list[Path]) -> Job:
        """Analyse ``files`` (inside ``folder``, which is removed afterwards) in a new thread."""
        job = Job(uuid.uuid4().hex, [f.name for f in files], max(1, sum(count_inputs(f) for f in files)))
        with self._lock:
            self._jobs[job.id] = job
            done = [j for j in self._jobs.values() if j.finished is not None]
            for old in sorted(done, key=lambda j: j.created)[: max(0, len(done) - KEEP_JOBS)]:
                del self._jobs[old.id]
        threading.Thread(target=self._run, args=(job, folder, files), name=f"khabar-job-{job.id[:8]}", daemon=True).start()
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _run(self, job: Job, folder: Path, files: list[Path]) -> None:
        from khabar.pipeline import analyze  # late: the pipeline loads models
        from khabar.store import Store
        from khabar.store.search import index_pending

        def progress(n: int) -> None:
            job.processed += n

        try:
            with self._writer:
                job.state = "running"
                with Store(self.db_path, busy_timeout_ms=int(self.settings.get("store", "busy_timeout_ms"))) as store:
                    summary = analyze(files, store, self.settings, embed=bool(self.settings.get("embeddings", "enabled")),
                                      on_progress=progress)
                    index_pending(store.conn)
            job.summary = {
                "analysed": summary.analysed, "unchanged": summary.unchanged, "duplicates": summary.duplicates,
                "skipped": [{"path": _relative(p, folder), "reason": r} for p, r in summary.skipped],
                "stories": sorted(summary.stories_touched),
            }
            job.state = "done"
        except Exception as exc:  # noqa: BLE001 - a thread's last stop: the reason goes to the job and the log
            log.exception("analysis of upload %s failed", job.id)
            job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            job.finished = time.time()
            shutil.rmtree(folder, ignore_errors=True)


def _relative(path: str, folder: Path) -> str:
    """An input path without the temporary folder (``name.zip!entry.json``)."""
    prefix = str(folder) + "/"
    return path[len(prefix):] if path.startswith(prefix) else path
