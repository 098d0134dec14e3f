"""Statistics: periods, counts per unit, year, month, subject, honors, and coverage gaps."""

from __future__ import annotations

import datetime as dt

import pytest

from guongsang import stats
from guongsang.catalogue import build_catalogue
from guongsang.models import Content, Decision, Honor, Source, Story, Unit

D = dt.date
SOURCE = Source("Nguồn thử")


def story(slug: str, day: dt.date, units: tuple[str, ...], subject: str = "tap-the", status: str = "published") -> Story:
    return Story(
        year=day.year, slug=slug, path=f"content/stories/{day.year}/{slug}.md", title=slug, date=day,
        summary="Tóm tắt.", subject=subject, units=units, body="Thân bài.", body_line=10,
        author="Ban Tuyên giáo", status=status, reviewer="Trưởng ban", source=SOURCE, words=100,
    )


def honor(unit_id: str, index: int, year: int, level: str, form: str = "ghi-nhan", decided: dt.date | None = None, revoked: bool = False) -> Honor:
    return Honor(
        unit_id=unit_id, index=index, year=year, title="Tổ chức tốt việc làm theo Bác", form=form, level=level,
        issuer="Huyện ủy", decision=Decision("45-QĐ/HU", decided) if decided else None,
        status="revoked" if revoked else "active",
        revoked_by=Decision("12-QĐ/HU", D(year + 1, 3, 1), "Sai sót") if revoked else None, source=SOURCE,
    )


UNITS = (
    Unit("huyen", "Huyện Nam Sách", "huyen", "content/units/huyen.yml", valid_to=D(2025, 6, 30), ended_by="giai-the"),
    Unit("xa-a", "Xã Hòa Bình", "xa", "content/units/xa-a.yml", short_name="Hòa Bình", parent="huyen",
         honors=(honor("xa-a", 0, 2017, "huyen"), honor("xa-a", 1, 2017, "tinh", "bang-khen", D(2017, 5, 19)))),
    Unit("xa-d", "Xã Đồng Lạc", "xa", "content/units/xa-d.yml", short_name="Đồng Lạc", parent="huyen",
         valid_to=D(2024, 11, 30), ended_by="sap-nhap", successor="xa-moi",
         honors=(honor("xa-d", 0, 2017, "huyen", "giay-khen", D(2017, 11, 2), revoked=True), honor("xa-d", 1, 2018, "huyen"))),
    Unit("xa-moi", "Xã Đông Phú", "xa", "content/units/xa-moi.yml", valid_from=D(2024, 12, 1)),
    Unit("truong", "Trường THPT Nam Sách", "truong-hoc", "content/units/truong.yml"),
)
STORIES = (
    story("a1", D(2017, 5, 10), ("xa-a",)),
    story("a2", D(2017, 11, 3), ("xa-a", "xa-d")),
    story("a3", D(2019, 1, 7), ("xa-a",), subject="ca-nhan"),
    story("t1", D(2017, 4, 20), ("truong",)),
    story("nhap", D(2017, 6, 1), ("truong",), status="draft"),  # never counted
    story("sau", D(2026, 12, 1), ("truong",)),  # after "today": not public yet
)


@pytest.fixture
def cat():
    return build_catalogue(Content(stories=STORIES, units=UNITS), today=D(2026, 11, 18))


@pytest.mark.parametrize(
    "period, start, end, key, label",
    [
        (stats.Period(2017), D(2017, 1, 1), D(2017, 12, 31), "2017", "Năm 2017"),
        (stats.Period(2017, 1), D(2017, 1, 1), D(2017, 3, 31), "2017-Q1", "Quý I năm 2017"),
        (stats.Period(2017, 2), D(2017, 4, 1), D(2017, 6, 30), "2017-Q2", "Quý II năm 2017"),
        (stats.Period(2016, 1), D(2016, 1, 1), D(2016, 3, 31), "2016-Q1", "Quý I năm 2016"),
        (stats.Period(2017, 3), D(2017, 7, 1), D(2017, 9, 30), "2017-Q3", "Quý III năm 2017"),
        (stats.Period(2017, 4), D(2017, 10, 1), D(2017, 12, 31), "2017-Q4", "Quý IV năm 2017"),
    ],
)
def test_period_bounds_and_labels(period: stats.Period, start: dt.date, end: dt.date, key: str, label: str) -> None:
    assert (period.start, period.end, period.key, period.label) == (start, end, key, label)
    assert period.contains(start) and period.contains(end)
    assert not period.contains(start - dt.timedelta(days=1)) and not period.contains(end + dt.timedelta(days=1))


def test_period_rejects_a_fifth_quarter() -> None:
    with pytest.raises(ValueError, match="Quý phải từ 1 đến 4"):
        stats.Period(2017, 5)


def test_stories_in_a_period_are_public_ones_newest_first(cat) -> None:
    assert [s.slug for s in stats.stories_in(cat, stats.Period(2017))] == ["a2", "a1", "t1"]
    assert [s.slug for s in stats.stories_in(cat, stats.Period(2017, 2))] == ["a1", "t1"]
    assert stats.stories_in(cat, stats.Period(2026)) == []  # "sau" is not public yet


def test_count_stories_by_unit_all_time_and_in_a_period(cat) -> None:
    # Ties by the full name the table shows, in Vietnamese order: "Trường THPT Nam Sách"
    # before "Xã Đồng Lạc" (by short name, "Đồng Lạc", it would come first).
    assert [(r.unit.id, r.count) for r in stats.count_stories_by_unit(cat)] == [("xa-a", 3), ("truong", 1), ("xa-d", 1)]
    assert [(r.unit.id, r.count) for r in stats.count_stories_by_unit(cat, stats.Period(2017, 4))] == [("xa-d", 1), ("xa-a", 1)]


def test_count_stories_by_year_includes_empty_years(cat) -> None:
    assert stats.count_stories_by_year(cat) == [(2017, 3), (2018, 0), (2019, 1)]


def test_count_stories_by_month_covers_the_period(cat) -> None:
    assert stats.count_stories_by_month(cat, stats.Period(2017, 2)) == [(4, 1), (5, 1), (6, 0)]
    assert len(stats.count_stories_by_month(cat, stats.Period(2017))) == 12


def test_count_stories_by_subject(cat) -> None:
    assert stats.count_stories_by_subject(cat) == [("tap-the", 3), ("ca-nhan", 1)]
    assert stats.count_stories_by_subject(cat, stats.Period(2019)) == [("tap-the", 0), ("ca-nhan", 1)]


def test_honors_by_year_count_active_by_level_and_form_and_revoked_apart(cat) -> None:
    rows = stats.count_honors_by_year(cat)
    assert [(h.year, h.active, h.revoked) for h in rows] == [(2018, 1, 0), (2017, 2, 1)]
    y2017 = rows[1]
    assert y2017.by_level == (("xa", 0), ("huyen", 1), ("tinh", 1), ("trung-uong", 0))
    assert y2017.by_form == (("ghi-nhan", 1), ("giay-khen", 0), ("bang-khen", 1), ("co-thi-dua", 0), ("danh-hieu", 0))
    assert (y2017.level("tinh"), y2017.total) == (1, 3)


def test_honors_in_a_quarter_need_a_dated_decision(cat) -> None:
    assert len(stats.honors_in(cat, stats.Period(2017))) == 3
    q2 = stats.count_honors_in(cat, stats.Period(2017, 2))
    assert (q2.active, q2.revoked) == (1, 0)  # the Bằng khen of 19/05/2017
    q4 = stats.count_honors_in(cat, stats.Period(2017, 4))
    assert (q4.active, q4.revoked) == (0, 1)  # the revoked Giấy khen of 02/11/2017
    assert stats.count_honors_in(cat, stats.Period(2017, 1)).total == 0


def test_units_without_stories_only_count_units_that_existed(cat) -> None:
    names = lambda units: [u.id for u in units]  # noqa: E731
    # 2017: the new commune did not exist yet; the district did.
    assert names(stats.find_units_without_stories(cat, stats.Period(2017))) == ["huyen"]
    # 2019: the district still existed; Đồng Lạc had no story. Sorted by full name.
    assert names(stats.find_units_without_stories(cat, stats.Period(2019))) == ["huyen", "truong", "xa-d"]
    # 2026: district dissolved, Đồng Lạc merged; the new commune existed. Hòa Bình's
    # district had ended, and nothing says what it belongs to now: not counted.
    assert names(stats.find_units_without_stories(cat, stats.Period(2026))) == ["truong", "xa-moi"]
    # Đồng Lạc existed in Q4 2024 until 30/11: it counts there.
    assert "xa-d" in names(stats.find_units_without_stories(cat, stats.Period(2024, 4)))
    assert "xa-d" not in names(stats.find_units_without_stories(cat, stats.Period(2025)))


@pytest.mark.parametrize(
    "period, unknown",
    [
        (stats.Period(2025), []),  # the district existed until 30/06/2025
        (stats.Period(2025, 3), ["xa-a"]),
        (stats.Period(2026), ["xa-a"]),
    ],
)
def test_units_whose_parent_ended_are_of_unknown_state_not_without_stories(cat, period: stats.Period, unknown: list[str]) -> None:
    assert [u.id for u in stats.find_units_of_unknown_state(cat, period)] == unknown
    assert not set(unknown) & {u.id for u in stats.find_units_without_stories(cat, period)}


def test_units_without_stories_are_in_vietnamese_order() -> None:
    units = tuple(
        Unit(uid, name, "xa", f"content/units/{uid}.yml")
        for uid, name in (("u1", "Xã Tân Hưng"), ("u2", "Xã Đông Phú"), ("u3", "Xã Dân Chủ"), ("u4", "Xã Tô Hiệu"), ("u5", "Xã Ứng Hòe"), ("u6", "Xã Uy Nỗ"))
    )
    cat = build_catalogue(Content(units=units), today=D(2026, 11, 18))
    names = [u.name for u in stats.find_units_without_stories(cat, stats.Period(2026))]
    assert names == ["Xã Dân Chủ", "Xã Đông Phú", "Xã Tân Hưng", "Xã Tô Hiệu", "Xã Uy Nỗ", "Xã Ứng Hòe"]


def test_coverage_years_are_this_year_and_the_latest_year_with_stories(cat) -> None:
    assert stats.coverage_years(cat) == [2026, 2019]
    empty = build_catalogue(Content(units=UNITS), today=D(2026, 11, 18))
    assert stats.coverage_years(empty) == [2026]
    assert stats.count_stories_by_year(empty) == []
    assert stats.count_stories_by_unit(empty) == []
