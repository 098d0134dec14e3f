"""iCalendar feeds: RFC 5545 line ends, folding and escaping, read back by the icalendar library."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from guongsang.catalogue import build_catalogue
from guongsang.ics import Event, escape_text, fold, programme_calendar, write_calendar
from guongsang.models import Content, Holiday, Pin, Programme, Story
from guongsang.schedule import build_schedule

D = dt.date
STAMP = dt.datetime(2026, 11, 18, tzinfo=dt.timezone.utc)
HOSTILE_TITLE = 'Cần, kiệm; liêm\\chính "và" <b>chí công</b>'


def story(slug: str, title: str, **fields: object) -> Story:
    values = dict(
        year=2017, slug=slug, path=f"content/stories/2017/{slug}.md", title=title, date=D(2017, 5, 2),
        summary="Tóm tắt, có dấu phẩy; chấm phẩy\nvà xuống dòng.", subject="tap-the", units=("xa-a",), body="Thân bài.",
        body_line=8, author="Ban Tuyên giáo", status="published", reviewer="Trưởng ban", flag_ceremony=True, words=250,
    )
    values.update(fields)
    return Story(**values)


def calendar_of(stories: list[Story], *, site_url: str = "https://guongsang.example.org/", today: D = D(2026, 11, 18), pins: tuple[Pin, ...] = ()) -> str:
    programme = Programme("2026-2027", D(2026, 9, 7), D(2026, 10, 5), "content/programme/2026-2027.yml", holidays=(Holiday("Nghỉ", D(2026, 9, 21), D(2026, 9, 27)),), pins=pins)
    cat = build_catalogue(Content(stories=tuple(stories), programmes=(programme,)), today=today)
    return programme_calendar(build_schedule(cat, "2026-2027"), site_url=site_url, today=cat.today, organisation="Ban Tuyên giáo Huyện ủy")


def parse(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text.encode("utf-8"))


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a,b", "a\\,b"),
        ("a;b", "a\\;b"),
        ("a\\b", "a\\\\b"),
        ("dòng 1\ndòng 2", "dòng 1\\ndòng 2"),
        ("dòng 1\r\ndòng 2\rdòng 3", "dòng 1\\ndòng 2\\ndòng 3"),
        ("\\,;", "\\\\\\,\\;"),  # the backslash first, or the others' backslashes would double
        ("Hai: chấm, \"ngoặc\"", 'Hai: chấm\\, "ngoặc"'),
    ],
)
def test_text_values_are_escaped(raw, escaped):
    assert escape_text(raw) == escaped


def test_long_lines_fold_at_75_octets_never_inside_a_character():
    line = "SUMMARY:" + "Chào cờ đầu tuần: người tốt việc tốt ở Nam Sách " * 6
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert parts[0] + "".join(p[1:] for p in parts[1:]) == line
    # Every physical line is valid UTF-8 on its own: no character was cut in two.
    for p in parts:
        p.encode("utf-8").decode("utf-8")
    assert fold("SHORT:x") == "SHORT:x"


def test_a_calendar_has_crlf_line_ends_and_short_lines():
    text = write_calendar([Event("1@x", D(2026, 9, 7), "Tiêu đề " * 20, "Mô tả " * 30, "https://x/a/")], name="Lịch", stamp=STAMP)
    assert text.endswith("END:VCALENDAR\r\n")
    raw = text.encode("utf-8")
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))


def test_an_event_reads_back_exactly():
    summary = 'Chào cờ: ' + HOSTILE_TITLE + "\nhai dòng"
    text = write_calendar(
        [Event("2026-09-07-a@guongsang.example.org", D(2026, 9, 7), summary, "Mô tả; có, đủ\\ cả", "https://guongsang.example.org/bai-viet/2017/a/")],
        name="Chào cờ, năm học; 2026-2027",
        description="Lịch, mỗi thứ Hai; một bài",
        stamp=STAMP,
    )
    cal = parse(text)
    assert str(cal["DESCRIPTION"]) == "Lịch, mỗi thứ Hai; một bài"
    # icalendar keeps NAME (RFC 7986) as it was written: escaped like any TEXT value.
    assert cal["NAME"].to_ical() == "Chào cờ\\, năm học\\; 2026-2027".encode()
    [event] = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == "Mô tả; có, đủ\\ cả"
    assert event.decoded("DTSTART") == D(2026, 9, 7)
    assert event.decoded("DTEND") == D(2026, 9, 8)
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event.decoded("DTSTAMP") == STAMP
    assert str(event["UID"]) == "2026-09-07-a@guongsang.example.org"
    assert str(event["URL"]) == "https://guongsang.example.org/bai-viet/2017/a/"


def test_the_programme_feed_has_one_event_per_school_monday():
    text = calendar_of([story("can-kiem", HOSTILE_TITLE), story("tiep-dan", "Tiếp dân")])
    cal = parse(text)
    events = cal.walk("VEVENT")
    # 7/9 to 5/10 is five Mondays; the week of 21/9 is a holiday.
    assert [e.decoded("DTSTART") for e in events] == [D(2026, 9, 7), D(2026, 9, 14), D(2026, 9, 28), D(2026, 10, 5)]
    assert [str(e["UID"]) for e in events] == [f"{d}-chao-co@guongsang.example.org" for d in ("2026-09-07", "2026-09-14", "2026-09-28", "2026-10-05")]
    first = next(e for e in events if str(e["URL"]).endswith("/can-kiem/"))
    assert str(first["SUMMARY"]) == "Chào cờ: " + HOSTILE_TITLE
    assert str(first["URL"]) == "https://guongsang.example.org/bai-viet/2017/can-kiem/"
    description = str(first["DESCRIPTION"]).split("\n")
    assert description == [
        "Tóm tắt, có dấu phẩy; chấm phẩy",
        "và xuống dòng.",
        "Đọc to khoảng 3 phút · Mọi cấp học",
        "https://guongsang.example.org/bai-viet/2017/can-kiem/",
    ]
    # The revision is the build's day: 18/11/2026 is day 9818 from 1/1/2000.
    assert (first["SEQUENCE"], first.decoded("LAST-MODIFIED")) == (9818, dt.datetime(2026, 11, 18, tzinfo=dt.timezone.utc))


def events_of(text: str) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in parse(text).walk("VEVENT")}


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param({"stories": [story("a", "A")]}, id="a story withdrawn or unmarked"),
        pytest.param({"stories": [story("a", "A"), story("b", "B"), story("c", "C", date=D(2017, 4, 1))]}, id="an archive story"),
        pytest.param({"pins": (Pin(D(2026, 9, 7), "2017/b", 5),)}, id="a new pin"),
    ],
)
def test_any_change_on_a_later_build_day_raises_sequence_and_last_modified_of_every_event(edit):
    """The audit's case: withdrawing a story changed SUMMARYs while SEQUENCE fell from 11 to 10."""
    old = events_of(calendar_of([story("a", "A"), story("b", "B")], today=D(2026, 11, 18)))
    new = events_of(calendar_of(**{"stories": [story("a", "A"), story("b", "B")], **edit}, today=D(2026, 11, 19)))
    assert list(new) == list(old)
    assert any(new[uid]["SUMMARY"] != old[uid]["SUMMARY"] for uid in new)
    for uid, event in new.items():
        assert event["SEQUENCE"] == old[uid]["SEQUENCE"] + 1
        assert event.decoded("LAST-MODIFIED") == event.decoded("DTSTAMP") == dt.datetime(2026, 11, 19, tzinfo=dt.timezone.utc)


def test_the_feed_is_the_same_bytes_every_time_and_stamped_with_the_build_day():
    a = calendar_of([story("a", "A"), story("b", "B")])
    assert a == calendar_of([story("b", "B"), story("a", "A")])
    assert {str(e["DTSTAMP"].to_ical(), "ascii") for e in parse(a).walk("VEVENT")} == {"20261118T000000Z"}


def test_a_week_without_story_and_a_site_without_address():
    text = calendar_of([], site_url="")
    events = parse(text).walk("VEVENT")
    assert [str(e["UID"]) for e in events][:1] == ["2026-09-07-chao-co@guongsang.invalid"]
    assert all(str(e["SUMMARY"]) == "Chào cờ đầu tuần: chưa có bài phù hợp" and "URL" not in e for e in events)


def test_a_url_with_a_line_break_is_refused():
    with pytest.raises(ValueError):
        write_calendar([Event("1@x", D(2026, 9, 7), "x", url="https://x/\r\nX-EVIL:1")], name="x", stamp=STAMP)


def test_the_built_site_serves_the_programme_feed(built_site: Path):
    raw = (built_site / "chao-co" / "2026-2027.ics").read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    cal = icalendar.Calendar.from_ical(raw)
    events = cal.walk("VEVENT")
    assert len(events) == 34  # 38 Mondays from 7/9/2026 to 24/5/2027, four of them holiday weeks
    days = [e.decoded("DTSTART") for e in events]
    assert days == sorted(days) and all(d.weekday() == 0 for d in days)
    pinned = next(e for e in events if e.decoded("DTSTART") == D(2027, 5, 17))
    assert str(pinned["UID"]) == "2027-05-17-chao-co@guongsang.example.org"
    assert len({str(e["UID"]) for e in events}) == 34
    assert "Kỷ niệm 137 năm Ngày sinh Chủ tịch Hồ Chí Minh (19/05/2027)" in str(pinned["DESCRIPTION"])
    for event in events:
        path = str(event["URL"]).removeprefix("https://guongsang.example.org/")
        assert (built_site / path / "index.html").is_file(), path
