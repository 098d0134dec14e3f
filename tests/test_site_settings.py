"""Settings of a build: the day it belongs to (Vietnam's), and how much of each page the search index keeps."""

from __future__ import annotations

import datetime as dt

from guongsang.site import build_today


def test_the_commit_time_is_read_in_vietnam() -> None:
    # 2026-11-24 23:30 UTC is 06:30 on the 25th in Hà Nội: a story dated the 25th is out.
    epoch = int(dt.datetime(2026, 11, 24, 23, 30, tzinfo=dt.timezone.utc).timestamp())
    assert build_today({"SOURCE_DATE_EPOCH": str(epoch)}) == dt.date(2026, 11, 25)
    epoch = int(dt.datetime(2026, 11, 24, 16, 59, tzinfo=dt.timezone.utc).timestamp())
    assert build_today({"SOURCE_DATE_EPOCH": str(epoch)}) == dt.date(2026, 11, 24)


def test_an_explicit_day_wins_and_the_clock_is_the_last_resort() -> None:
    assert build_today({"GUONGSANG_TODAY": "2027-01-04", "SOURCE_DATE_EPOCH": "0"}) == dt.date(2027, 1, 4)
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).date()
    assert build_today({}) in (now, now + dt.timedelta(days=1))  # the clock may turn midnight in between


def test_the_search_index_keeps_whole_texts_on_a_small_site_and_starts_on_a_large_one() -> None:
    from types import SimpleNamespace

    from guongsang.models import Settings
    from guongsang.site import AUTO_TEXT_LIMIT, FULL_TEXT_STORIES, search_text_limit

    def site(stories: int, **settings: int) -> SimpleNamespace:
        return SimpleNamespace(stories=[None] * stories, settings=Settings(**settings))

    assert search_text_limit(site(FULL_TEXT_STORIES)) == 0
    assert search_text_limit(site(FULL_TEXT_STORIES + 1)) == AUTO_TEXT_LIMIT
    assert search_text_limit(site(10_000, search_text_limit=0)) == 0  # the board's choice wins
    assert search_text_limit(site(3, search_text_limit=300)) == 300


def test_a_mistyped_build_day_stops_the_build_with_one_line(project, tmp_path) -> None:  # noqa: ANN001 - fixtures
    from conftest import mkdocs_build

    done = mkdocs_build(project, tmp_path / "site", env={"GUONGSANG_TODAY": "2017-13-01", "GUONGSANG_JOBS": "1"})
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "GUONGSANG_TODAY='2017-13-01'" in done.stderr
