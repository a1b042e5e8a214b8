"""Ingest: every format and every bad-input case, on files written here."""

from __future__ import annotations

import dataclasses
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from khabar.ingest import IngestProblem, RawDocument, article_id, decode_bytes, iter_documents
from khabar.settings import Settings

BODY = "قال وزير الخارجية في مؤتمر صحفي اليوم إن المفاوضات ستستأنف الأسبوع المقبل في العاصمة."
TITLE = "استئناف المفاوضات الأسبوع المقبل"


@pytest.fixture
def settings() -> dict:
    return Settings().section("ingest")


def run(paths, settings, **kw) -> tuple[list[RawDocument], list[IngestProblem]]:
    items = list(iter_documents(paths, settings=settings, **kw))
    return [d for d in items if isinstance(d, RawDocument)], [p for p in items if isinstance(p, IngestProblem)]


def test_ingest_txt_title_is_first_nonempty_line(tmp_path, settings):
    p = tmp_path / "a.txt"
    p.write_text(f"\n\n{TITLE}\n\n{BODY}\n", encoding="utf-8")
    docs, probs = run([p], settings)
    assert probs == []
    assert docs[0].title == TITLE and docs[0].raw == f"\n\n{TITLE}\n\n{BODY}\n"
    assert docs[0].format == "txt" and docs[0].encoding == "utf-8"


def test_ingest_empty_and_whitespace_files_are_problems(tmp_path, settings):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text("  \n\n ", encoding="utf-8")
    docs, probs = run([tmp_path], settings)
    assert docs == [] and len(probs) == 2
    assert all("empty" in p.reason for p in probs)


def test_ingest_binary_file_is_problem(tmp_path, settings):
    p = tmp_path / "x.txt"
    p.write_bytes(b"PK\x03\x04\x00\x00\x10\x00binary")
    _, probs = run([p], settings)
    assert "binary" in probs[0].reason and "NUL" in probs[0].reason


def test_ingest_invalid_utf8_in_the_middle_is_replaced(tmp_path, settings):
    p = tmp_path / "x.txt"
    p.write_bytes((BODY * 3).encode() + b"\xff" + (BODY * 3).encode())
    docs, probs = run([p], settings)
    assert probs == [] and docs[0].encoding == "utf-8/replace"
    assert docs[0].raw.count("\ufffd") == 1 and docs[0].raw.startswith(BODY)


@pytest.mark.parametrize("enc", ["cp1256", "iso-8859-6"])
def test_ingest_legacy_arabic_encodings(tmp_path, settings, enc):
    text = f"{TITLE}\n{BODY}\n{BODY}\n"
    p = tmp_path / "x.txt"
    p.write_bytes(text.encode(enc))
    docs, _ = run([p], settings)
    assert docs[0].raw == text and docs[0].title == TITLE
    assert docs[0].encoding.replace("-", "").replace("_", "") in ("cp1256", "windows1256", "iso88596")


def test_ingest_utf16_with_bom(tmp_path, settings):
    p = tmp_path / "x.txt"
    p.write_bytes(f"{TITLE}\n{BODY}".encode("utf-16"))
    docs, _ = run([p], settings)
    assert docs[0].raw == f"{TITLE}\n{BODY}" and docs[0].encoding == "utf-16"


def test_decode_utf8_bom_is_stripped():
    text, enc = decode_bytes(b"\xef\xbb\xbf" + BODY.encode())
    assert text == BODY and enc == "utf-8-sig"


def test_ingest_too_large_file(tmp_path, settings):
    p = tmp_path / "x.txt"
    p.write_text(BODY * 10, encoding="utf-8")
    settings["max_file_bytes"] = 100
    _, probs = run([p], settings)
    assert "too large" in probs[0].reason


def test_ingest_json_array_with_field_names_and_dates(tmp_path, settings):
    items = [
        {"headline": TITLE, "body": BODY, "pubDate": "Tue, 21 Jul 2015 02:51:32 GMT", "outlet": "صحيفة", "link": "http://x/1"},
        {"title": "ب", "content": BODY, "date_extracted": "2015-07-21 02:51:32", "author": "سمير"},
        {"title": "لا نص", "content": ""},
        [1, 2],
    ]
    p = tmp_path / "a.json"
    p.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    docs, probs = run([p], settings)
    assert [d.path for d in docs] == [f"{p}#0", f"{p}#1"]
    assert docs[0].title == TITLE and docs[0].source == "صحيفة" and docs[0].url == "http://x/1"
    assert docs[0].published.startswith("2015-07-21T02:51:32")
    assert docs[1].published == "2015-07-21T02:51:32" and docs[1].author == "سمير"
    assert [p_.path.rsplit("#", 1)[1] for p_ in probs] == ["2", "3"]


def test_ingest_json_field_map_override(tmp_path, settings):
    p = tmp_path / "a.json"
    p.write_text(json.dumps({"h": TITLE, "matn": BODY}, ensure_ascii=False), encoding="utf-8")
    docs, _ = run([p], settings, field_map={"title": "h", "content": "matn"})
    assert docs[0].title == TITLE and docs[0].raw == BODY


def test_ingest_json_field_map_adds_to_the_usual_names_and_reads_common_schemas(tmp_path, settings):
    rows = [{"title": TITLE, "content": BODY, "source": "صحيفة"},
            {"Title": "ب", "Text": BODY + " ب", "Source": "الغد", "Date": "2025-03-09"},  # letter case
            {"headline": "ج", "articleBody": BODY + " ج", "publisher": {"@type": "Organization", "name": "عمون"},
             "datePublished": "2025-03-09T10:00:00"},  # schema.org
            {"title": "د", "description": "ملخص", "content": BODY + " د", "source": {"id": None, "name": "BBC"},
             "publishedAt": "2025-03-09T11:00:00Z"},  # NewsAPI
            {"title": "هـ", "matn": BODY + " هـ", "meta": {"site": "الرأي"}}]
    p = tmp_path / "mixed.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    docs, probs = run([p], settings, field_map={"content": "matn", "source": "meta.site"})
    assert probs == [] and [(d.title, d.source) for d in docs] == [
        (TITLE, "صحيفة"), ("ب", "الغد"), ("ج", "عمون"), ("د", "BBC"), ("هـ", "الرأي")]
    assert [d.published[:16] for d in docs[1:4]] == ["2025-03-09", "2025-03-09T10:00", "2025-03-09T11:00"]


def test_ingest_json_records_nested_under_keys(tmp_path, settings):
    p = tmp_path / "api.json"
    rows = [{"headline": TITLE, "body": BODY}, {"headline": "ب", "body": BODY + " ثانية"}]
    p.write_text(json.dumps({"status": "ok", "data": {"total": 2, "articles": rows}}, ensure_ascii=False), encoding="utf-8")
    docs, probs = run([p], settings)
    assert [(d.path, d.title) for d in docs] == [(f"{p}#0", TITLE), (f"{p}#1", "ب")] and probs == []
    q = tmp_path / "none.json"  # no list of articles anywhere: the missing text is named
    q.write_text(json.dumps({"status": "ok", "data": {"ids": [1, 2]}}), encoding="utf-8")
    docs, probs = run([q], settings)
    assert docs == [] and "no article text" in probs[0].reason


def test_ingest_json_syntax_error_names_line(tmp_path, settings):
    p = tmp_path / "a.json"
    p.write_text('[\n{"content": "x"},\n{"content": }\n]', encoding="utf-8")
    _, probs = run([p], settings)
    assert probs[0].path == str(p) and "invalid JSON at line 3" in probs[0].reason


def test_ingest_jsonl_bad_line_does_not_stop_others(tmp_path, settings):
    p = tmp_path / "a.jsonl"
    lines = [json.dumps({"content": BODY}, ensure_ascii=False), "{oops", "", json.dumps({"text": BODY + "!"})]
    p.write_text("\n".join(lines), encoding="utf-8")
    docs, probs = run([p], settings)
    assert [d.path for d in docs] == [f"{p}:1", f"{p}:4"]
    assert probs[0].path == f"{p}:2" and "line 2" in probs[0].reason


def test_ingest_html_main_content_and_title(tmp_path, settings):
    para = "<p>" + BODY + " وأضاف أن الوفدين اتفقا على جدول أعمال من ثلاث نقاط.</p>"
    html = f"<html><head><title>{TITLE}</title></head><body><nav>الرئيسية رياضة</nav><article>{para * 3}</article></body></html>"
    p = tmp_path / "a.html"
    p.write_text(html, encoding="utf-8")
    docs, _ = run([p], settings)
    assert docs[0].format == "html" and docs[0].title == TITLE
    assert BODY in docs[0].raw and "<p>" not in docs[0].raw


def test_ingest_json_html_body_is_read_as_text_with_one_line_per_block(tmp_path, settings):
    # a scraper's HTML body in a JSON field: tags, scripts, entities and captions out, blocks on their own lines (the
    # cleaner then drops the share line alone, not the one line the whole body would be)
    body = (f"<p>{BODY} <strong>عاجل</strong></p><figure><img src='a.jpg'><figcaption>صورة أرشيفية</figcaption></figure>"
            "<p>وقال إن &quot;الوفد وصل&quot;.</p><script>var ads=1;</script><p>شارك هذا الخبر: فيسبوك | تويتر</p>")
    p = tmp_path / "a.json"
    p.write_text(json.dumps([{"title": TITLE, "content": body}], ensure_ascii=False), encoding="utf-8")
    docs, probs = run([p], settings)
    assert probs == [] and docs[0].raw.splitlines() == [f"{BODY} عاجل", 'وقال إن "الوفد وصل".', "شارك هذا الخبر: فيسبوك | تويتر"]
    q = tmp_path / "b.json"  # text that merely mentions a sign is left as it is
    q.write_text(json.dumps({"content": "النسبة < 5% في المئة"}, ensure_ascii=False), encoding="utf-8")
    assert run([q], settings)[0][0].raw == "النسبة < 5% في المئة"


def test_ingest_html_without_a_date_in_its_markup_gets_none(tmp_path, settings):
    # a bare year in the text ("موازنة 2025") is no publication date; a date in the markup is
    para = "<p>" + BODY + " وتبلغ موازنة عام 2025 نحو عشرة مليارات.</p>"
    page = "<html><head><title>{t}</title>{meta}</head><body><article>{p}</article></body></html>"
    p, q = tmp_path / "a.html", tmp_path / "b.html"
    p.write_text(page.format(t=TITLE, meta="", p=para * 3), encoding="utf-8")
    q.write_text(page.format(t=TITLE, p=para * 3,
                             meta='<meta property="article:published_time" content="2024-03-10T08:00:00+03:00">'),
                 encoding="utf-8")
    docs, _ = run([p, q], settings)
    assert docs[0].published == "" and docs[1].published.startswith("2024-03-10")


def test_ingest_html_fallback_when_extractor_finds_nothing(tmp_path, settings):
    p = tmp_path / "a.htm"
    p.write_text("<html><body><p>نص قصير.</p></body></html>", encoding="utf-8")
    docs, probs = run([p], settings)
    assert probs == [] and docs[0].raw == "نص قصير."


def test_ingest_rss_items_strip_html(tmp_path, settings):
    rss = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>موقع</title>
    <item><title>{TITLE}</title><link>http://x/1</link><pubDate>Tue, 21 Jul 2015 02:51:32 GMT</pubDate>
    <description>&lt;p&gt;{BODY}&lt;/p&gt;&lt;p&gt;فقرة ثانية.&lt;/p&gt;</description></item>
    <item><title>الداخلية: لا صحة لما يتداول عن عمل تخريبي</title></item><item><link>http://x/3</link></item>
    </channel></rss>"""
    p = tmp_path / "f.rss"
    p.write_text(rss, encoding="utf-8")
    docs, probs = run([p], settings)
    assert docs[0].raw == f"{BODY}\nفقرة ثانية." and docs[0].source == "موقع"
    assert docs[0].published == "2015-07-21T02:51:32" and docs[0].path == f"{p}#0"
    # a headline-only item is its headline (a denial may be all it says); an item with nothing is a problem
    assert (docs[1].raw, docs[1].title) == ("الداخلية: لا صحة لما يتداول عن عمل تخريبي", "")
    assert [pr.path for pr in probs] == [f"{p}#2"] and "without title" in probs[0].reason


def test_ingest_xml_with_entities_is_refused(tmp_path, settings):
    p = tmp_path / "f.xml"
    p.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item>'
                 "<description>&x;</description></item></channel></rss>", encoding="utf-8")
    docs, probs = run([p], settings)
    assert docs == [] and "entities" in probs[0].reason


def test_ingest_zip_entries_paths_and_traversal_refused(tmp_path, settings):
    p = tmp_path / "a.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("d/one.txt", f"{TITLE}\n{BODY}")
        zf.writestr("../evil.txt", BODY)
        zf.writestr("/abs.txt", BODY)
        zf.writestr("items.json", json.dumps([{"content": BODY}], ensure_ascii=False))
    docs, probs = run([p], settings)
    assert [d.path for d in docs] == [f"{p}!d/one.txt", f"{p}!items.json#0"]
    assert {pr.path for pr in probs} == {f"{p}!../evil.txt", f"{p}!/abs.txt"}
    assert all("refused" in pr.reason for pr in probs)


def test_ingest_zip_mac_resource_forks_ignored_and_nested_archive_reported(tmp_path, settings):
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("b.txt", f"{TITLE}\n{BODY}")
    p = tmp_path / "mac.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("2024/a.txt", f"{TITLE}\n{BODY}")
        zf.writestr("__MACOSX/2024/._a.txt", b"\x00\x05\x16\x07\x00")  # AppleDouble: binary, not a document
        zf.writestr("2024/._b.txt", b"\x00\x05\x16\x07\x00")
        zf.write(inner, "2024/inner.zip")
    docs, probs = run([p], settings)
    assert [d.path for d in docs] == [f"{p}!2024/a.txt"]
    assert [(pr.path, "archive inside an archive" in pr.reason) for pr in probs] == [(f"{p}!2024/inner.zip", True)]


def test_ingest_zip_bomb_stops_archive(tmp_path, settings):
    p = tmp_path / "bomb.zip"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", BODY)
        zf.writestr("b.txt", "ا" * 20000)
        zf.writestr("c.txt", BODY)
    settings["max_archive_bytes"] = 5000
    docs, probs = run([p], settings)
    assert [d.path for d in docs] == [f"{p}!a.txt"]
    assert len(probs) == 1 and "max_archive_bytes" in probs[0].reason


def test_ingest_tar_gz_and_symlink_skipped(tmp_path, settings):
    p = tmp_path / "a.tar.gz"
    data = json.dumps({"content": BODY}, ensure_ascii=False).encode()
    with tarfile.open(p, "w:gz") as tf:
        info = tarfile.TarInfo("x/doc.jsonl")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("x/link.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tf.addfile(link)
        bad = tarfile.TarInfo("../up.txt")
        bad.size = 3
        tf.addfile(bad, io.BytesIO(b"abc"))
    docs, probs = run([p], settings)
    assert [d.path for d in docs] == [f"{p}!x/doc.jsonl:1"]
    assert [pr.path for pr in probs] == [f"{p}!../up.txt"]


def test_ingest_directory_sorted_and_unknown_types_skipped(tmp_path, settings):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00")
    docs, probs = run([tmp_path], settings)
    assert [Path(d.path).name for d in docs] == ["a.txt", "2.txt"] and probs == []
    _, probs = run([tmp_path / "image.png", tmp_path / "missing.txt"], settings)
    assert "unsupported" in probs[0].reason and "no such file" in probs[1].reason


def test_article_id_stable_and_content_sensitive(tmp_path, settings):
    p = tmp_path / "a.txt"
    p.write_text(f"{TITLE}\n{BODY}", encoding="utf-8")
    a = run([p], settings)[0][0]
    p.write_text(f"{TITLE}\r\n{BODY}", encoding="utf-8")
    b = run([p], settings)[0][0]
    p.write_text(f"{TITLE}\n{BODY}!", encoding="utf-8")
    c = run([p], settings)[0][0]
    assert article_id(a) == article_id(b) != article_id(c) and len(article_id(a)) == 64
    # one wire published word for word by two outlets is two publications; the same outlet's copy is one
    syndicated = [dataclasses.replace(a, source=src) for src in ("الشرق", "الأهرام", "الأهرام ")]
    assert article_id(syndicated[0]) != article_id(syndicated[1]) == article_id(syndicated[2]) != article_id(a)


def test_ingest_saudinewsnet_zip_as_is(shared_data, settings):
    z = sorted((shared_data / "saudinewsnet" / "dataset").glob("*.zip"))[0]
    n = 0
    for item in iter_documents([z], settings=settings):
        if isinstance(item, RawDocument):
            assert item.raw.strip() and item.title and item.source and item.published[:4] == "2015"
            n += 1
            if n == 50:
                break
    assert n == 50


def test_txt_front_matter_gives_metadata_and_is_not_article_text(tmp_path):
    from khabar.ingest import iter_documents

    p = tmp_path / "a.txt"
    p.write_text("---\nsource: صحيفة المثال\ndate: 2024-03-12\nurl: https://news.example/a\n---\n"
                 "العنوان هنا\n\nنص الخبر الأول.\n", encoding="utf-8")
    (doc,) = list(iter_documents([p], settings={"max_file_bytes": 10**6}))
    assert doc.source == "صحيفة المثال" and doc.published == "2024-03-12" and doc.url == "https://news.example/a"
    assert doc.title == "العنوان هنا" and "source:" not in doc.raw


def test_txt_without_closing_fence_keeps_all_text(tmp_path):
    from khabar.ingest import iter_documents

    p = tmp_path / "a.txt"
    p.write_text("---\nsource: x\nالعنوان\nنص\n", encoding="utf-8")
    (doc,) = list(iter_documents([p], settings={"max_file_bytes": 10**6}))
    assert doc.source == "" and doc.raw.startswith("---")


def _warc_bytes(records: list[tuple[str, str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for uri, ctype, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))
    return buf.getvalue()


def test_warc_html_responses_become_documents_with_their_url(tmp_path):
    from khabar.ingest import iter_documents

    page = ("<html><head><title>الكرملين ينفي</title></head><body><article><h1>الكرملين ينفي</h1>"
            "<p>نفى الكرملين اليوم تقريرا نشرته صحيفة أمريكية عن اتصالات منتظمة بين الرئيسين.</p>"
            "<p>وقال المتحدث باسم الكرملين إن المعلومات غير صحيحة على الإطلاق.</p></article></body></html>")
    data = _warc_bytes([("https://news.example/a", "text/html; charset=utf-8", page.encode()),
                        ("https://news.example/logo.png", "image/png", b"\x89PNG....")])
    (tmp_path / "crawl.warc.gz").write_bytes(data)
    docs = list(iter_documents([tmp_path], settings={"max_file_bytes": 10**6}))
    assert len(docs) == 1
    (doc,) = docs
    assert doc.url == "https://news.example/a" and doc.path.endswith("!https://news.example/a")
    assert "غير صحيحة" in doc.raw


def test_broken_warc_is_a_problem_naming_the_file(tmp_path):
    from khabar.ingest import IngestProblem, iter_documents

    (tmp_path / "bad.warc.gz").write_bytes(b"\x1f\x8b\x08\x00garbage" * 10)
    (problem,) = list(iter_documents([tmp_path], settings={"max_file_bytes": 10**6}))
    assert isinstance(problem, IngestProblem) and problem.path.endswith("bad.warc.gz")


def test_stdin_jsonl_via_dash(monkeypatch):
    import sys
    import types

    from khabar.ingest import iter_documents

    lines = '{"title": "خبر", "content": "نص الخبر الأول هنا."}\n{"title": "ثان", "content": "نص آخر."}\n'
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO(lines.encode())))
    docs = list(iter_documents(["-"], settings={"max_file_bytes": 10**6}))
    assert [d.title for d in docs] == ["خبر", "ثان"]
    assert docs[0].path.startswith("<stdin>")
