"""Dates, times and venues as council papers print them."""

from __future__ import annotations

import datetime as dt
import re

from councilarchive.ingest.parse.text import Line, join, title_case

MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(),
        start=1,
    )
}

# The months in Welsh, for Welsh minutes dated as the English are: "9FED IONAWR 2019" /
# "ar y 9 fed Ionawr 2019" (Manordeilo and Salem's Welsh minutes of 9 January 2019)
WELSH_MONTHS = {
    m: i
    for i, m in enumerate(
        "ionawr chwefror mawrth ebrill mai mehefin gorffennaf awst medi hydref tachwedd "
        "rhagfyr".split(),
        start=1,
    )
}
# "9fed" / "1af" / "2il" / "3ydd" / "11eg" / "21ain": the Welsh ordinal endings, printed apart too
WELSH_ORDINAL = r"(?:\s?(?:af|il|ydd|ed|fed|eg|ain))"
# "Thursday, 19th October, 2017" / "13 July 2017" / "24 SEPTEMBER 2009" / "Wednesday 9 December 2015"
DATE = re.compile(
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>" + "|".join(MONTHS) + r"),?\s+(?P<year>\d{4})|"
    r"(?P<wday>\d{1,2})" + WELSH_ORDINAL + r"?\s+(?P<wmonth>" + "|".join(WELSH_MONTHS) + r"),?\s+"
    r"(?P<wyear>\d{4})",
    re.IGNORECASE,
)
# "10.00 am" / "6.30 pm" / "5.00 pm" / "19:15"
TIME = re.compile(
    r"\b(?P<h>\d{1,2})[.:](?P<m>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?(?![\d])", re.IGNORECASE
)
# "at 10.00 am" right after a meeting date — tells the meeting date from a dispatch date
DATE_AT_TIME = re.compile("(?:" + DATE.pattern + r"),?\s+at\s+" + TIME.pattern, re.IGNORECASE)


def _date(m: re.Match) -> dt.date | None:
    try:
        if m.group("wmonth"):
            month = WELSH_MONTHS[m.group("wmonth").lower()]
            return dt.date(int(m.group("wyear")), month, int(m.group("wday")))
        return dt.date(int(m.group("year")), MONTHS[m.group("month").lower()], int(m.group("day")))
    except (ValueError, IndexError):
        return None


def _time(m: re.Match) -> dt.time | None:
    hour, minute = int(m.group("h")), int(m.group("m"))
    ampm = (m.group("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    if not ampm and ":" not in m.group(0):
        return None  # "10.00" without am/pm is as likely a paragraph number as a time
    return dt.time(hour, minute)


def find_date(text: str) -> dt.date | None:
    m = DATE.search(text)
    return _date(m) if m else None


def find_time(text: str) -> dt.time | None:
    for m in TIME.finditer(text):
        value = _time(m)
        if value is not None:
            return value
    return None


def meeting_date_time(text: str) -> tuple[dt.date | None, dt.time | None]:
    """The date printed with a start time ("on Thursday, 19 October 2017 at 10.00 am") wins over
    any other date (such as the dispatch date under Democratic Services); else the first date."""
    m = DATE_AT_TIME.search(text)
    if m:
        return _date(m), _time(m)
    return find_date(text), None


# --- the header block of a set of minutes ---

# "MINUTES of a meeting of the Kent County Council held in the Council Chamber, …"
BODY_HELD = re.compile(r"MINUTES of (?:a|the) meeting of (?:the )?(?P<body>.+?)\s+held\b", re.I)
# "Minutes of the Transport & Connectivity Policy Committee 23 October 2025 at 5.00 pm"
BODY_MINUTES_OF = re.compile(
    r"Minutes of the (?!meeting\b)(?P<body>.+?)\s+(?=\d{1,2}\s+[A-Z])", re.I
)
# "Decision determined at Transport & Connectivity Policy Committee meeting on 19 March 2026"
BODY_DECISION = re.compile(r"Decision determined at (?P<body>.+?) meeting on\b", re.I)
# "held in the Council Chamber, Sessions House, County Hall, Maidstone on Thursday, 13 July 2017."
# "at 6.30 pm in the The Guildhall, Westgate, Canterbury"
VENUE = re.compile(
    r"(?:\bheld|\b[ap]m)\s+in\s+(?:the\s+)?(?P<venue>.+?)(?:\s+on\s+(?:\w+day|\d)|\.?$)", re.I
)
COUNCIL_NAME = re.compile(r"^[\w ]+ (?:County|City|Borough|District)?\s*Council$", re.I)
VENUE_WORDS = re.compile(r"\b(?:Room|Chamber|House|Hall|Centre|Offices|Guildhall)\b")
# "MINUTES" / "Minutes of …" in a header line
_MINUTES_WORD = re.compile(r"\bMINUTES\b", re.I)


def meeting_header(header: list[Line]) -> tuple[str, dt.date | None, dt.time | None, str]:
    """Body, date, time and venue from the header block of a set of minutes."""
    text = join(header)
    date, time = meeting_date_time(text)
    if date is None:
        date = find_date(text)
    if time is None:
        time = find_time(text)
    body = ""
    for pattern in (BODY_HELD, BODY_MINUTES_OF, BODY_DECISION):
        m = pattern.search(text)
        if m:
            body = m.group("body").strip()
            break
    if not body:
        for line in header:
            t = line.text
            if _MINUTES_WORD.match(t) or COUNCIL_NAME.match(t) or find_date(t) or t.startswith("("):
                continue
            if VENUE_WORDS.search(t) and "," in t:
                continue
            body = t
            break
    venue = ""
    m = VENUE.search(text)
    if m:
        venue = m.group("venue").strip().rstrip(".")
        venue = re.sub(r"^the\s+", "", venue)
    else:
        venue = next((x.text for x in header if VENUE_WORDS.search(x.text) and "," in x.text), "")
    return title_case(body), date, time, venue
