"""iCalendar (RFC 5545) feeds: the flag-ceremony programme as one all-day event per Monday."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Iterable
from urllib.parse import urlsplit

from . import fields as F
from .render import label
from .schedule import Schedule, Week

CRLF = "\r\n"
MAX_OCTETS = 75  # RFC 5545 §3.1: content lines are folded at 75 octets, CRLF excluded
# When the site has no address, UIDs still need a right-hand side; .invalid is reserved for that.
NO_HOST = "guongsang.invalid"
# SEQUENCE counts the days from this one to the build's day (see programme_calendar).
SEQUENCE_EPOCH = dt.date(2000, 1, 1)

grade_label = label(F.GRADE_BANDS, F.GRADE_BAND_LABELS)


@dataclass(frozen=True)
class Event:
    """An all-day event (VALUE=DATE): starts on `day`, ends before the next day."""

    uid: str
    day: dt.date
    summary: str
    description: str = ""
    url: str = ""
    sequence: int = 0  # RFC 5545 §3.8.7.4: must grow with every revision, so clients update in place
    modified: dt.date | None = None  # LAST-MODIFIED, at midnight UTC


def escape_text(value: str) -> str:
    """A TEXT value (§3.3.11): backslash, semicolon, comma escaped; every newline as \\n."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line at 75 octets, never inside a UTF-8 character (§3.1)."""
    out: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            # Continuation lines start with one space, which counts towards their 75 octets.
            current, size, limit = "", 0, MAX_OCTETS - 1
        current += ch
        size += n
    out.append(current)
    return (CRLF + " ").join(out)


def _uri(value: str) -> str:
    # URI values are not TEXT-escaped (§3.3.13); a line break would end the property.
    if any(ch in value for ch in "\r\n"):
        raise ValueError(f"URI có ký tự xuống dòng: {value!r}")
    return value


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.timezone.utc)


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def write_calendar(events: Iterable[Event], *, name: str, stamp: dt.datetime, description: str = "") -> str:
    """A VCALENDAR with one VEVENT per event, in the order given; CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Guong Sang//Chao co dau tuan//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{escape_text(name)}",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    if description:
        lines += [f"DESCRIPTION:{escape_text(description)}", f"X-WR-CALDESC:{escape_text(description)}"]
    lines.append("REFRESH-INTERVAL;VALUE=DURATION:P1D")
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{_stamp(stamp)}",
            f"SEQUENCE:{event.sequence}",
            f"DTSTART;VALUE=DATE:{_date(event.day)}",
            f"DTEND;VALUE=DATE:{_date(event.day + dt.timedelta(days=1))}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.url:
            lines.append(f"URL:{_uri(event.url)}")
        if event.modified is not None:
            lines.append(f"LAST-MODIFIED:{_stamp(_midnight(event.modified))}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def site_host(site_url: str) -> str:
    return urlsplit(site_url).hostname or NO_HOST


def build_sequence(today: dt.date) -> int:
    """SEQUENCE for a feed built on `today`: the days since SEQUENCE_EPOCH.

    Without a record of past builds, the site cannot know which events changed
    since the last one, so every event takes the build's day as its revision:
    a later build never has a lower SEQUENCE (RFC 5545 §3.8.7.4 asks it to grow
    when the event changes; growing when it does not is allowed), and two
    builds on one day give the same bytes.
    """
    return (today - SEQUENCE_EPOCH).days


def week_event(week: Week, *, site_url: str, today: dt.date) -> Event:
    """One Monday: the story's title and link, its read-aloud time and the week's commemorations.

    The UID names the Monday, never the story: when a new story takes the
    week, calendars update the event instead of deleting it and adding
    another. SEQUENCE and LAST-MODIFIED come from the build's day, never from
    the clock (see build_sequence).
    """
    base = site_url.rstrip("/") + "/" if site_url else ""
    notes = [a.label + f" ({a.date:%d/%m/%Y})" for a in week.anniversaries]
    story = week.story
    event = Event(
        uid=f"{week.monday.isoformat()}-chao-co@{site_host(site_url)}",
        day=week.monday,
        summary="Chào cờ đầu tuần: chưa có bài phù hợp",
        description="\n".join(notes),
        url=base + week.url if base else "",
        sequence=build_sequence(today),
        modified=today,
    )
    if story is None:
        return event
    details = [story.summary, f"Đọc to khoảng {week.read_aloud} phút · {grade_label(story.grade_band)}", *notes]
    if base:
        details.append(base + story.url)
    return replace(event, summary=f"Chào cờ: {story.title}", description="\n".join(details), url=base + story.url if base else "")


def programme_calendar(schedule: Schedule, *, site_url: str, today: dt.date, organisation: str) -> str:
    """The school year's feed. DTSTAMP, LAST-MODIFIED and SEQUENCE come from the build's day, never the clock."""
    stamp = _midnight(today)
    return write_calendar(
        (week_event(w, site_url=site_url, today=today) for w in schedule.school_weeks),
        name=f"Chào cờ đầu tuần năm học {schedule.id}",
        description=f"{organisation}: bài đọc trong buổi chào cờ mỗi thứ Hai",
        stamp=stamp,
    )
