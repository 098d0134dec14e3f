"""`guongsang schedule 2026-2027`: the flag-ceremony programme of a school year, as text, CSV or iCalendar."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click
import yaml

from . import fields as F
from .ics import programme_calendar
from .render import date_vi, label
from .schedule import PINNED, Schedule, SchoolYearError, build_schedule, parse_school_year
from .options import checked_catalogue, root_option

grade_label = label(F.GRADE_BANDS, F.GRADE_BAND_LABELS)
CSV_COLUMNS = ("tuan", "ngay", "nghi", "bai", "tieu_de", "doc_to_phut", "cap_hoc", "ky_niem", "ly_do", "dia_chi")
# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Lenient(yaml.SafeLoader):
    """Reads mkdocs.yml for its site_url, ignoring the !!python/name and !ENV tags it may hold."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
_Lenient.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def site_url_of(root: Path) -> str:
    config = root / "mkdocs.yml"
    if not config.is_file():
        return ""
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=_Lenient) or {}  # noqa: S506 (safe loader subclass)
    url = data.get("site_url") or ""
    return url.rstrip("/") + "/" if isinstance(url, str) and url else ""


def format_text(schedule: Schedule) -> str:
    p = schedule.programme
    lines = [f"Chương trình chào cờ đầu tuần năm học {schedule.id} ({date_vi(p.start)} – {date_vi(p.end)})"]
    if not schedule.from_file:
        lines.append("(chưa có content/programme/" + schedule.id + ".yml: dùng ngày mặc định, chưa tính tuần nghỉ)")
    for week in schedule.weeks:
        notes = "; ".join(a.label for a in week.anniversaries)
        if week.holiday is not None:
            text = f"Nghỉ: {week.holiday.name}"
        elif week.story is None:
            text = "Chưa có bài phù hợp"
        else:
            pinned = " [chọn sẵn]" if week.reason == PINNED else ""
            text = f"{week.story.title} — {week.read_aloud} phút, {grade_label(week.story.grade_band)} ({week.story.id}){pinned}"
        lines.append(f"{date_vi(week.monday)}  {text}" + (f"  ★ {notes}" if notes else ""))
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def format_csv(schedule: Schedule, site_url: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for week in schedule.weeks:
        story = week.story
        writer.writerow(
            _cell(v)
            for v in (
                week.monday.isoformat(),
                date_vi(week.monday),
                week.holiday.name if week.holiday else "",
                story.id if story else "",
                story.title if story else "",
                week.read_aloud or "",
                grade_label(story.grade_band) if story else "",
                "; ".join(a.label for a in week.anniversaries),
                week.reason_label,
                site_url + story.url if story and site_url else "",
            )
        )
    return out.getvalue()


@click.command("schedule")
@click.argument("school_year")
@root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "ics"]),
    default="text",
    show_default=True,
    help="text: để đọc; csv: mở bằng bảng tính; ics: nhập vào lịch.",
)
def command(school_year: str, root: Path, fmt: str) -> None:
    """In chương trình chào cờ đầu tuần của một năm học, ví dụ: guongsang schedule 2026-2027."""
    try:
        parse_school_year(school_year)
    except SchoolYearError as error:
        raise click.BadParameter(str(error), param_hint="SCHOOL_YEAR") from None
    cat = checked_catalogue(root, "Nội dung có lỗi: sửa các lỗi trên rồi chạy lại.")
    schedule = build_schedule(cat, school_year)
    site_url = site_url_of(root)
    if fmt == "csv":
        click.echo(format_csv(schedule, site_url), nl=False)
    elif fmt == "ics":
        calendar = programme_calendar(schedule, site_url=site_url, today=cat.today, organisation=cat.settings.organisation)
        click.echo(calendar.encode("utf-8"), nl=False)  # bytes: the CRLF line ends go out as they are
    else:
        click.echo(format_text(schedule), nl=False)
