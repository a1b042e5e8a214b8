"""Dates as Arabic sites write them."""

from __future__ import annotations

import json
import logging
from datetime import datetime

import pytest

from khabar.dates import parse_date
from khabar.ingest import iter_documents
from khabar.settings import Settings


@pytest.mark.parametrize("text, expected", [
    ("10 مارس 2024", datetime(2024, 3, 10)),
    ("الأحد 10 آذار 2024", datetime(2024, 3, 10)),
    ("15 تشرين الأول 2023", datetime(2023, 10, 15)),  # two-word Levantine month
    ("3 جويلية 2024", datetime(2024, 7, 3)),  # Maghreb
    ("١٠-٠٣-٢٠٢٤", datetime(2024, 3, 10)),  # Arabic-Indic digits
    ("10/03/2024", datetime(2024, 3, 10)),  # day first
    ("03/25/2024", datetime(2024, 3, 25)),  # a first number that cannot be a month's day... is the month
    ("2024/03/10", datetime(2024, 3, 10)),
    ("الأحد 10 آذار 2024 - 14:30", datetime(2024, 3, 10, 14, 30)),
    ("10 مارس 2024 الساعة 2:30 م", datetime(2024, 3, 10, 14, 30)),
    ("March 10, 2024", datetime(2024, 3, 10)),
    ("2024-13-45", None),
    ("قبل ساعتين", None),
])
def test_dates_arabic_forms(text: str, expected: datetime | None) -> None:
    assert parse_date(text) == expected


def test_dates_ingest_reads_them_and_warns_naming_the_file(tmp_path, caplog) -> None:
    p = tmp_path / "a.json"
    body = "نفت وزارة الصحة اليوم ما تداولته مواقع التواصل عن تأجيل العام الدراسي بسبب الإنفلونزا."
    p.write_text(json.dumps([{"content": body, "date": "الأحد 10 آذار 2024"},
                             {"content": body + " ثانية", "date": "قبل ساعتين"}], ensure_ascii=False), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        docs = list(iter_documents([p], settings=Settings.load().section("ingest")))
    assert [d.published for d in docs] == ["2024-03-10", ""]
    assert any(f"{p}#1" in r.getMessage() and "قبل ساعتين" in r.getMessage() for r in caplog.records)
