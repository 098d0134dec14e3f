"""The day a build belongs to (site.build_today) is Vietnam's."""

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
