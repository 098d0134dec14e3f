"""The flag-ceremony section: the list of school years, one page and one calendar per year."""

from __future__ import annotations

from typing import Iterable

from .catalogue import Catalogue
from .ics import programme_calendar
from .render import Output, Renderer
from .schedule import Schedule, build_schedule, ceremony_monday, school_year_of, school_years, this_week


def schedules(cat: Catalogue) -> list[Schedule]:
    """Every school year the site shows, newest first."""
    return [build_schedule(cat, year) for year in school_years(cat)]


def render_programme_index(cat: Catalogue, r: Renderer, years: list[Schedule]) -> Output:
    return r.page(
        "chao-co/index.md",
        "programme_index.md",
        title="Chào cờ đầu tuần",
        description="Chương trình đọc gương người tốt, việc tốt trong buổi chào cờ đầu tuần ở trường học.",
        schedules=years,
        current=school_year_of(cat.today),
        this_week=this_week(cat),
        settings=cat.settings,
    )


def render_programme_page(cat: Catalogue, r: Renderer, schedule: Schedule) -> Output:
    school = schedule.school_weeks
    return r.page(
        f"{schedule.url.rstrip('/')}.md",
        "programme.md",
        title=f"Chào cờ đầu tuần năm học {schedule.id}",
        description=f"Bài đọc cho từng buổi chào cờ thứ Hai, năm học {schedule.id}.",
        schedule=schedule,
        # The first ceremony, not the file's start: a school year may start on a Saturday
        # (5/9), and its first Monday may fall in a holiday.
        first_monday=school[0].monday if school else None,
        now=ceremony_monday(cat.today),
        ceremonies=len(school),
        without_story=sum(1 for w in school if w.story is None),
        distinct=len(schedule.stories()),
        settings=cat.settings,
    )


def generate_programme(cat: Catalogue, r: Renderer) -> Iterable[Output]:
    years = schedules(cat)
    yield render_programme_index(cat, r, years)
    for schedule in years:
        yield render_programme_page(cat, r, schedule)
        calendar = programme_calendar(schedule, site_url=r.site_url, today=cat.today, organisation=cat.settings.organisation)
        yield Output(schedule.calendar_url, calendar.encode("utf-8"))
