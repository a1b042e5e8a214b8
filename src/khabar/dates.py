"""Dates as Arabic sites write them: month names of every region, Arabic-Indic digits, day-first numbers.

ISO 8601 and RFC 2822 are read by :mod:`khabar.ingest` first; this reads what they do not:
"10 مارس 2024", "الأحد 10 آذار 2024 - 14:30", "١٠-٠٣-٢٠٢٤", "10/03/2024" (day first, as Arab sites
write it; a first number over 12 is the day either way), "2024/03/10", "3 جويلية 2024" (Maghreb),
"March 10, 2024". An unreadable value is None: the caller says so, naming the file.
"""

from __future__ import annotations

import re
from datetime import datetime

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_MONTHS: dict[str, int] = {}
for _n, _names in enumerate((
    "يناير كانون_الثاني جانفي january jan",
    "فبراير شباط فيفري february feb",
    "مارس آذار اذار march mar",
    "أبريل ابريل إبريل نيسان أفريل افريل april apr",
    "مايو أيار ايار ماي may",
    "يونيو يونيه حزيران جوان june jun",
    "يوليو يوليه تموز جويلية يوليوز july jul",
    "أغسطس اغسطس آب اب أوت اوت غشت august aug",
    "سبتمبر أيلول ايلول شتنبر september sep sept",
    "أكتوبر اكتوبر تشرين_الأول تشرين_الاول october oct",
    "نوفمبر تشرين_الثاني نونبر november nov",
    "ديسمبر كانون_الأول كانون_الاول دجنبر december dec",
), start=1):
    for _name in _names.split():
        _MONTHS[_name.replace("_", " ")] = _n
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_TIME = r"(?:\D{0,12}?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(ص|م|am|pm)?)?"
_NAMED = re.compile(rf"(\d{{1,2}})\s*(?:من\s+)?({_MONTH_RE})\s*[,،]?\s*(\d{{4}}){_TIME}", re.IGNORECASE)
_NAMED_US = re.compile(rf"({_MONTH_RE})\s+(\d{{1,2}})\s*,?\s*(\d{{4}}){_TIME}", re.IGNORECASE)
_NUMERIC = re.compile(rf"(\d{{1,4}})\s*[/.\-]\s*(\d{{1,2}})\s*[/.\-]\s*(\d{{1,4}}){_TIME}")


def parse_date(text: str) -> datetime | None:
    """A naive datetime for ``text``, None when no date is found in it."""
    s = text.translate(_DIGITS).strip()
    low = s.lower()
    for rx, order in ((_NAMED, "dmy"), (_NAMED_US, "mdy")):
        if m := rx.search(low):
            if order == "dmy":
                day, month, year = int(m[1]), _MONTHS[m[2]], int(m[3])
            else:
                month, day, year = _MONTHS[m[1]], int(m[2]), int(m[3])
            return _make(year, month, day, m.groups()[3:])
    if m := _NUMERIC.search(s):
        a, b, c = int(m[1]), int(m[2]), int(m[3])
        if len(m[1]) == 4:
            year, month, day = a, b, c
        elif len(m[3]) == 4:
            day, month, year = (b, a, c) if b > 12 >= a else (a, b, c)  # day first unless it cannot be
        else:
            return None
        return _make(year, month, day, m.groups()[3:])
    return None


def _make(year: int, month: int, day: int, time: tuple) -> datetime | None:
    hour, minute, second, half = time
    h, mi, se = int(hour or 0), int(minute or 0), int(second or 0)
    if half in ("م", "pm") and h < 12:
        h += 12
    elif half in ("ص", "am") and h == 12:
        h = 0
    try:
        return datetime(year, month, day, h, mi, se)
    except ValueError:
        return None
