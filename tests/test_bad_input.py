"""A hostile corpus through the real CLI: every bad input is named and skipped, every good one analysed.

The corpus is written here, in ``tmp_path``: empty, binary and oversized files,
broken encodings, pathological HTML and JSON, a zip bomb, archives with
``../``, absolute paths and links, a billion-laughs feed and a file that
vanishes between listing and reading, mixed with good articles in every
format. One ``khabar analyze`` run must analyse all good inputs, name each
bad one (with its line where there is one), print no traceback and write
nothing outside ``tmp_path``.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import khabar.ingest as ingest
from khabar.cli import app

runner = CliRunner()

PLACES = ["عمان", "الرباط", "تونس", "بيروت", "الدوحة", "مسقط", "الجزائر", "بغداد", "صنعاء", "الخرطوم", "نواكشوط",
          "طرابلس", "دمشق", "القاهرة"]
TOPICS = ["المياه", "الكهرباء", "التعليم", "الصحة", "النقل", "الزراعة", "السياحة", "الإسكان", "الطاقة", "الاتصالات",
          "الصيد", "الثقافة", "الرياضة", "التجارة"]


SECRET = "سر-لا-يقرأ"


def article(i: int) -> tuple[str, str]:
    """The title and body of good article ``i``: distinct words, so no two are duplicates."""
    place, topic = PLACES[i], TOPICS[i]
    title = f"خطة جديدة لقطاع {topic} في {place}"
    body = (f"أعلنت وزارة {topic} في {place} اليوم خطة تمتد خمس سنوات لتحسين الخدمات في المدينة.\n"
            f"وقال المتحدث باسم الوزارة إن \"الخطة تشمل مشاريع جديدة في {place} تبدأ الشهر المقبل\".\n"
            f"وأضاف أن كلفة مشاريع {topic} تبلغ {i + 2}0 مليون دينار تمولها الحكومة والبلديات.\n")
    return title, body


def txt(i: int) -> str:
    title, body = article(i)
    return f"{title}\n\n{body}"


def obj(i: int) -> dict[str, str]:
    title, body = article(i)
    return {"title": title, "content": body, "source": "وكالة الاختبار", "date": "2024-03-0%d" % (i % 9 + 1)}


def write_corpus(root: Path) -> tuple[set[str], dict[str, str]]:
    """Write the mixed corpus under ``root``.

    Returns the input paths (as the store records them) expected to be analysed,
    and for each expected skip a path -> words its reason must contain.
    """
    good: set[str] = set()
    bad: dict[str, str] = {}
    d = root / "in"
    d.mkdir()

    def put(name: str, data: bytes | str, *, ok: bool = False, why: str = "") -> Path:
        p = d / name
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        if ok:
            good.add(str(p))
        if why:
            bad[str(p)] = why
        return p

    put("good-0.txt", txt(0), ok=True)
    put("empty.txt", b"", why="empty")
    put("blank.txt", " \n\t\n", why="empty")
    put("binary.txt", bytes(range(256)) * 16, why="binary")
    put("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(512), why="binary")
    # Just over [ingest] max_file_bytes (50 MiB): refused from its size, never read whole.
    with (d / "huge.txt").open("wb") as fh:
        line = (txt(13).replace("\n", " ") + "\n").encode()
        fh.write(line * (50 * 2**20 // len(line) + 1))
    bad[str(d / "huge.txt")] = "max_file_bytes"
    # Invalid UTF-8 in the middle: one bad byte is replaced; a run of them is named by line.
    put("bad-byte.txt", txt(1).encode() + b"\xff" + ("\n" + article(1)[1]).encode(), ok=True)
    put("bad-run.txt", txt(12).encode() + b"\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x90\x28" * 8 + b"\n" + txt(12).encode(),
        why="line 6")
    put("utf16.txt", txt(2).encode("utf-16-le"), ok=True)  # no byte-order mark
    put("cp1256.txt", txt(3).encode("cp1256"), ok=True)
    t4, b4 = article(4)
    put("deep.html", f"<html><head><title>{t4}</title></head><body>" + "<div><span>" * 5000
        + "".join(f"<p>{line}" for line in b4.splitlines()), ok=True)  # 10,000 deep, never closed
    lines = [json.dumps(obj(5), ensure_ascii=False)] + ['{"title": "x", "content": "y"}'] * 998
    put("syntax.json", "[\n" + ",\n".join(lines).replace('"x", "content"', '"x" "content"', 1) + "\n]\n",
        why="line 3")
    put("good-6.json", json.dumps([obj(6)], ensure_ascii=False))
    good.add(f"{d / 'good-6.json'}#0")
    jl = [json.dumps(obj(7), ensure_ascii=False), '{"title": "مقطوع", "content": ', json.dumps(obj(8), ensure_ascii=False)]
    put("mixed.jsonl", "\n".join(jl) + "\n")
    good |= {f"{d / 'mixed.jsonl'}:1", f"{d / 'mixed.jsonl'}:3"}
    bad[f"{d / 'mixed.jsonl'}:2"] = "line 2"
    # A zip bomb: megabytes of one repeated letter behind a few kilobytes (the test's limit is 1 MB).
    with zipfile.ZipFile(d / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", txt(9))
        zf.writestr("b.txt", "خبر " * 3_000_000)
        zf.writestr("c.txt", txt(10))
    good.add(f"{d / 'bomb.zip'}!a.txt")
    bad[f"{d / 'bomb.zip'}!b.txt"] = "max_archive_bytes"
    # A zip escaping its folder: ../ entries, an absolute entry and symbolic links.
    with zipfile.ZipFile(d / "escape.zip", "w") as zf:
        zf.writestr("ok/good.txt", txt(11))
        zf.writestr("../../escaped.txt", txt(0))
        zf.writestr("ok/../../../escaped2.txt", txt(0))
        link = zipfile.ZipInfo("ok/passwd.txt")
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
        link2 = zipfile.ZipInfo("ok/up.txt")
        link2.external_attr = 0o120777 << 16
        zf.writestr(link2, "../../../../escaped3.txt")
    good.add(f"{d / 'escape.zip'}!ok/good.txt")
    bad[f"{d / 'escape.zip'}!../../escaped.txt"] = "../"
    bad[f"{d / 'escape.zip'}!ok/../../../escaped2.txt"] = "../"
    # A tar with absolute paths (and a hard link to one).
    with tarfile.open(d / "abs.tar.gz", "w:gz") as tf:
        for name, data in (("/tmp/khabar-abs-escape.txt", txt(13)), ("good/13.txt", txt(13))):
            raw = data.encode()
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            tf.addfile(info, io.BytesIO(raw))
        hard = tarfile.TarInfo("good/hard.txt")
        hard.type, hard.linkname = tarfile.LNKTYPE, "/etc/passwd"
        tf.addfile(hard)
    good.add(f"{d / 'abs.tar.gz'}!good/13.txt")
    bad[f"{d / 'abs.tar.gz'}!/tmp/khabar-abs-escape.txt"] = "absolute"
    # Billion laughs, with the DOCTYPE pushed 70 KB down behind a comment.
    lol = "".join(f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10}">' for i in range(1, 10))
    put("laughs.rss", '<?xml version="1.0"?>\n<!--' + " " * 70_000 + '-->\n<!DOCTYPE rss [<!ENTITY lol0 "lol">'
        + lol + ']>\n<rss version="2.0"><channel><title>t</title><item><title>x</title>'
        "<description>&lol9;</description></item></channel></rss>", why="entities")
    # A "feed" whose whole content names a feed outside the input folder: feedparser opens
    # such bytes as a path, which would read a file nobody asked for.
    secret = root / "secret.rss"
    secret.write_text(f'<rss version="2.0"><channel><title>t</title><item><title>{SECRET}</title>'
                      f"<description>{SECRET} {article(5)[1]}</description></item></channel></rss>", encoding="utf-8")
    put("path.xml", str(secret), why="not an RSS/Atom feed")
    put("vanishing.txt", txt(0), why="cannot read")
    return good, bad


@pytest.fixture
def vanishing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Delete ``vanishing.txt`` after the folder walk lists it and before it is read."""
    walk = ingest._walk

    def walk_then_delete(path: Path) -> Iterator[Path | ingest.IngestProblem]:
        for p in walk(path):
            if isinstance(p, Path) and p.name == "vanishing.txt":
                p.unlink()
            yield p

    monkeypatch.setattr(ingest, "_walk", walk_then_delete)


def squash(s: str) -> str:
    """``s`` without whitespace: the console wraps long paths at any character."""
    return "".join(s.split())


def tree(root: Path) -> set[str]:
    return {str(p) for p in root.rglob("*")}


def test_bad_input_corpus_through_cli(tmp_path: Path, vanishing: None, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    good, bad = write_corpus(work)
    monkeypatch.chdir(work)
    outside = tmp_path.parent  # pytest's per-session folder: nothing new may appear beside tmp_path
    before_outside, before_tmp = set(os.listdir(outside)), tree(tmp_path)
    db = tmp_path / "store" / "k.db"
    result = runner.invoke(app, ["analyze", str(work / "in"), "--db", str(db), "--no-embeddings", "--workers", "1"],
                           env={"KHABAR_INGEST_MAX_ARCHIVE_BYTES": "1000000"})
    out = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), out
    assert "Traceback" not in out
    assert result.exit_code == 3, out  # something was analysed; skips are listed and the status says "partial"
    flat = squash(out)
    for path, why in bad.items():
        line = next((ln for ln in out.split("skipped")[1:] if squash(path) + ":" in squash(ln)), None)
        assert line is not None, f"{path} not named as skipped in:\n{out}"
        assert squash(why) in squash(line), f"{path}: reason lacks {why!r}: {line}"
    n_skipped = sum(1 for p in bad)
    assert f"{len(good)}analysed" in flat and f"{n_skipped}skipped" in flat, out
    with sqlite3.connect(db) as conn:
        stored = {r[0] for r in conn.execute("SELECT path FROM articles")}
        problems = {r[0] for r in conn.execute("SELECT path FROM problems")}
        encodings = dict(conn.execute("SELECT path, encoding FROM articles"))
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        texts = [r[0] for r in conn.execute("SELECT raw FROM articles")]
    assert stored == good
    assert set(bad) <= problems
    assert encodings[str(work / "in" / "utf16.txt")] == "utf-16-le"
    assert encodings[str(work / "in" / "cp1256.txt")].replace("_", "").lower() in ("cp1256", "windows1256")
    assert encodings[str(work / "in" / "bad-byte.txt")] == "utf-8/replace"
    assert not any("root:" in t or SECRET in t for t in texts)  # no link target, no path-named file was read
    # Nothing was extracted or written outside the store's folder.
    assert set(os.listdir(outside)) == before_outside
    assert tree(tmp_path) - before_tmp <= {str(db.parent), str(db), f"{db}-wal", f"{db}-shm", f"{db}.lock"}
    assert not Path("/tmp/khabar-abs-escape.txt").exists()


def test_bad_input_only_exits_nonzero(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "b.json").write_text('{"content": 1e400, "x": [' + "[" * 50 + "]", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(tmp_path), "--db", str(tmp_path / "k.db"), "--no-embeddings",
                                 "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    flat = squash(result.output)
    assert "0analysed" in flat and "2skipped" in flat
    assert squash(str(tmp_path / "b.json")) in flat and "line1" in flat


def test_bad_input_json_nesting_and_giant_numbers_are_problems(tmp_path: Path) -> None:
    settings = {"max_file_bytes": 2**20, "max_archive_bytes": 2**20, "max_archive_entries": 10}
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (tmp_path / "digits.jsonl").write_text('{"content": ' + "7" * 5000 + "}\n" + json.dumps(obj(2)) + "\n",
                                           encoding="utf-8")
    (tmp_path / "date.json").write_text(json.dumps({"content": txt(3), "date": 1e300}), encoding="utf-8")
    items = list(ingest.iter_documents([tmp_path], settings=settings))
    probs = {i.path: i.reason for i in items if isinstance(i, ingest.IngestProblem)}
    docs = {i.path: i for i in items if isinstance(i, ingest.RawDocument)}
    assert set(probs) == {str(tmp_path / "deep.json"), f"{tmp_path / 'digits.jsonl'}:1"}
    assert "JSON" in probs[str(tmp_path / "deep.json")] and "line 1" in probs[f"{tmp_path / 'digits.jsonl'}:1"]
    assert set(docs) == {f"{tmp_path / 'digits.jsonl'}:2", str(tmp_path / "date.json")}
    assert docs[str(tmp_path / "date.json")].published == ""


def test_bad_input_fifo_named_txt_is_skipped_not_read(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block for ever
    (tmp_path / "a.txt").write_text(txt(5), encoding="utf-8")
    settings = {"max_file_bytes": 2**20, "max_archive_bytes": 2**20, "max_archive_entries": 10}
    items = list(ingest.iter_documents([tmp_path], settings=settings))
    assert [type(i).__name__ for i in items] == ["RawDocument", "IngestProblem"]
    assert "regular file" in items[1].reason and items[1].path.endswith("pipe.txt")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_bad_input_utf16_without_bom_even_without_ascii(encoding: str) -> None:
    text = "".join(article(6)).replace(" ", "").replace("\n", "")  # no byte of ASCII: no NUL byte either
    assert ingest.decode_bytes(text.encode(encoding)) == (text, encoding)
    assert ingest.decode_bytes(txt(6).encode(encoding)) == (txt(6), encoding)


def test_bad_input_binary_is_not_mistaken_for_utf16() -> None:
    rng = bytes((i * 7919 + 13) % 251 for i in range(4096))  # spread over all byte values, NULs included
    with pytest.raises(ingest.IngestError, match="binary"):
        ingest.decode_bytes(b"\x00" + rng)
