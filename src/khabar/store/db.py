"""Opening the SQLite database and applying numbered migrations.

Each ``migrations/NNNN_name.sql`` runs once, inside a transaction, and is
recorded in ``_migrations``; applied migrations are never edited (add a new
one instead), as in sqlite-utils' migrations.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from importlib import resources
from pathlib import Path

from khabar.errors import StoreError

log = logging.getLogger(__name__)


def migration_files() -> list[tuple[str, str]]:
    """``(name, sql)`` of every bundled migration, in order."""
    folder = resources.files("khabar.store").joinpath("migrations")
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(p.name.removesuffix(".sql"), p.read_text(encoding="utf-8")) for p in files]


# Migrations that empty the search tables because the way text is indexed changed: connect()
# rebuilds them from the stored articles at once, so no search or check misses old articles.
REINDEX_AFTER = frozenset({"0012_search_restem"})


def connect(path: str | Path, *, busy_timeout_ms: int = 30000) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at ``path`` (":memory:" allowed).

    WAL mode lets the web UI read while an analysis writes.
    """
    try:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(str(exc), source=str(path), hint="check the path and its permissions") from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        _set_wal(conn, busy_timeout_ms)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        applied = migrate(conn)
        if REINDEX_AFTER & set(applied):
            from khabar.store.search import index_pending  # late: search imports the text layer

            log.info("re-indexing the search tables after %s", ", ".join(sorted(REINDEX_AFTER & set(applied))))
            index_pending(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"not a usable khabar database: {exc}", source=str(path),
                         hint="point --db at a new file or a database khabar created") from exc
    return conn


def _set_wal(conn: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """``PRAGMA journal_mode = WAL``, retried while another connection holds the lock.

    Changing the journal mode of a new database takes an exclusive lock for
    which SQLite does not always call the busy handler: connections opening a
    new file at once can get "database is locked" at once. Retried with a
    growing pause until the busy timeout has passed.
    """
    deadline = time.monotonic() + busy_timeout_ms / 1000
    pause = 0.01
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations, each in its own transaction; returns the names applied.

    Whether a migration is pending is read inside its write transaction, so
    two processes opening a new database at once never apply one twice.
    """
    conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    applied = []
    for name, sql in migration_files():
        if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
            continue
        try:
            conn.execute("BEGIN IMMEDIATE")
            if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                conn.execute("COMMIT")  # another process applied it while we waited for the lock
                continue
            for stmt in _statements(sql):
                conn.execute(stmt)
            conn.execute("INSERT INTO _migrations VALUES (?, datetime('now'))", (name,))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"migration {name} failed: {exc}") from exc
        log.info("applied migration %s", name)
        applied.append(name)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement keeps triggers whole)."""
    out, buf = [], ""
    for line in sql.splitlines(keepends=True):
        if not buf and line.strip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
