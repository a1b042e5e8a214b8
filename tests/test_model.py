import pytest
from hypothesis import given, strategies as st

from khabar.errors import SpanError
from khabar.model import Article, OffsetMap, Span


def make_map():
    # raw: "XXhello\n\nYYworld" ; clean: "hello\nworld" (newline inserted)
    return OffsetMap(((0, 2, 5), (6, 11, 5)), clean_length=11, raw_length=16)


def test_offset_map_maps_copied_ranges_back():
    raw = "XXhello\n\nYYworld"
    clean = "hello\nworld"
    m = make_map()
    for start, end in [(0, 5), (6, 11), (1, 3), (7, 9)]:
        rs, re_ = m.to_raw(start, end)
        assert raw[rs:re_] == clean[start:end]


def test_offset_map_span_across_inserted_newline():
    raw = "XXhello\n\nYYworld"
    rs, re_ = make_map().to_raw(0, 11)
    assert raw[rs:re_].startswith("hello") and raw[rs:re_].endswith("world")


def test_offset_map_rejects_out_of_range():
    with pytest.raises(SpanError):
        make_map().to_raw(0, 12)
    with pytest.raises(SpanError):
        make_map().to_raw(5, 3)


@given(st.integers(0, 11), st.integers(0, 11))
def test_offset_map_results_inside_raw(a, b):
    start, end = min(a, b), max(a, b)
    rs, re_ = make_map().to_raw(start, end)
    assert 0 <= rs <= re_ <= 16


def test_offset_map_json_round_trip():
    m = make_map()
    assert OffsetMap.from_json(m.to_json(), 11, 16) == m


def test_article_add_checks_bounds():
    a = Article(id="a1", path="x.txt", raw="abc", text="abc")
    a.add("sentences", [Span(0, 3, "SENT")])
    assert a.span_text(a.spans("sentences")[0]) == "abc"
    with pytest.raises(SpanError, match="x.txt"):
        a.add("sentences", [Span(2, 4, "SENT")])


def test_article_sentence_of():
    a = Article(id="a1", path="x", raw="ab. cd.", text="ab. cd.")
    a.add("sentences", [Span(0, 3, "SENT"), Span(4, 7, "SENT")])
    assert a.sentence_of(5) == Span(4, 7, "SENT")
    assert a.sentence_of(3) is None


def test_article_outlet_falls_back_to_url_host_then_file_name():
    a = Article(id="abc", path="in/wsj_2024.txt", raw="x", source="صحيفة المثال")
    assert a.outlet() == "صحيفة المثال"
    a.source, a.url = "", "https://www.news.example/a/b"
    assert a.outlet() == "news.example"
    a.url = ""
    assert a.outlet() == "wsj_2024"
