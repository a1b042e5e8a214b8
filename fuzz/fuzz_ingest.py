"""Coverage-guided fuzzing of the ingest parsers with atheris (libFuzzer for Python).

Each input is one file: its first byte picks the format (``.txt .html .json
.jsonl .rss .xml .zip .tar.gz``), the rest is the file's bytes. The property
checked is the one the pipeline relies on: :func:`khabar.ingest.iter_documents`
never raises; it yields only RawDocument or IngestProblem, and every document
has non-empty text and a path inside the given file.

Run (``make stress`` does this for a bounded time)::

    python fuzz/fuzz_ingest.py --seeds fuzz/corpus          # write the seed inputs
    python fuzz/fuzz_ingest.py -max_total_time=60 -artifact_prefix=fuzz/crashes/ fuzz/corpus

A crash leaves ``fuzz/crashes/crash-<sha1>``; replay it with
``python fuzz/fuzz_ingest.py fuzz/crashes/crash-<sha1>`` and add it to
``tests/test_fuzz_ingest.py`` as a regression test.
"""

from __future__ import annotations

import io
import json
import logging
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

SUFFIXES = (".txt", ".html", ".json", ".jsonl", ".rss", ".xml", ".zip", ".tar.gz")
SETTINGS = {  # small limits keep each run fast; the guards are what is being fuzzed
    "max_file_bytes": 1 << 20,
    "max_archive_bytes": 1 << 20,
    "max_archive_entries": 50,
    "binary_probe_bytes": 8192,
    "max_bad_byte_ratio": 0.001,
}
_DIR = Path(tempfile.mkdtemp(prefix="khabar-fuzz-"))


def check(data: bytes) -> None:
    """Write ``data[1:]`` as a file of the format ``data[0]`` picks and read it; raise on any broken promise."""
    from khabar.ingest import IngestProblem, RawDocument, iter_documents

    if not data:
        return
    path = _DIR / f"input{SUFFIXES[data[0] % len(SUFFIXES)]}"
    path.write_bytes(data[1:])
    for item in iter_documents([path], settings=SETTINGS):
        if isinstance(item, RawDocument):
            assert item.raw.strip(), f"empty document from {item.path}"
            assert item.path.startswith(str(path)), item.path
        else:
            assert isinstance(item, IngestProblem), type(item)
            assert item.path.startswith(str(path)) and item.reason, item


def seeds() -> list[bytes]:
    """Small self-written inputs of every format, the fuzzer's starting points."""
    body = "قال الوزير إن \"المشروع يبدأ غدا\".\nوأضاف أن الكلفة مليون دينار."
    doc = {"title": "عنوان", "content": body, "date": "2024-03-01", "source": "وكالة"}
    feed = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>و</title><item>'
            f"<title>خبر</title><pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate><description>&lt;p&gt;{body}&lt;/p&gt;"
            "</description></item></channel></rss>")
    atom = (f'<feed xmlns="http://www.w3.org/2005/Atom"><title>و</title><entry><title>خبر</title>'
            f'<content type="html">{body}</content><updated>2024-03-04T10:00:00Z</updated></entry></feed>')
    out = [
        bytes([0]) + f"---\nsource: وكالة\ndate: 2024-03-01\n---\nعنوان\n{body}".encode(),
        bytes([0]) + body.encode("cp1256"),
        bytes([0]) + body.encode("utf-16-le"),
        bytes([1]) + f"<html><head><title>ع</title></head><body><div><p>{body}</p><p>ب</div></body>".encode(),
        bytes([2]) + json.dumps([doc, {"text": body}], ensure_ascii=False).encode(),
        bytes([3]) + (json.dumps(doc, ensure_ascii=False) + "\n{bad\n").encode(),
        bytes([4]) + feed.encode(),
        bytes([5]) + atom.encode(),
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", body)
        zf.writestr("d/b.json", json.dumps(doc, ensure_ascii=False))
    out.append(bytes([6]) + buf.getvalue())
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        raw = (json.dumps(doc, ensure_ascii=False) + "\n").encode()
        info = tarfile.TarInfo("x/a.jsonl")
        info.size = len(raw)
        tf.addfile(info, io.BytesIO(raw))
    out.append(bytes([7]) + buf.getvalue())
    return out


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--seeds":
        folder = Path(sys.argv[2])
        folder.mkdir(parents=True, exist_ok=True)
        for i, s in enumerate(seeds()):
            (folder / f"seed-{i:02d}").write_bytes(s)
        return
    import atheris

    logging.disable(logging.WARNING)  # skipped-input warnings are expected; only exceptions matter
    with atheris.instrument_imports():
        import khabar.ingest  # noqa: F401 - instrumented for coverage feedback
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
