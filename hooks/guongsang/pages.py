"""Generated Markdown pages: stories, listings, units, honor rolls, topics, directives, home, statistics."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from markupsafe import Markup

from . import charts, schedule, stats
from . import fields as F
from .catalogue import Catalogue
from .pagefit import fit_story
from .models import Directive, Honor, Story, Task, Topic, Unit
from .render import Output, Renderer, page_url
from .safety import blank_code
from .text import collation_key

# A relative image or link target in a story body is relative to docs/; MkDocs
# resolves "/x" against docs/ (validation.links.absolute_links: relative_to_docs).
_BODY_TARGET = re.compile(r"(\]\()(?![a-zA-Z][a-zA-Z0-9+.\-]*:|/|#)")

# Listings grow with the content; pages of a bounded size keep every page light
# and the build linear (10,000 stories make 250 pages of the main index).
PER_PAGE = 40
# Bounded lists of stories on unit, topic and directive pages; the rest are one
# link away in the matching listing.
RECENT = 8
HOME_STORIES = 6
HOME_HONORS = 6
TOP_UNITS = 10
# Filter groups longer than this start folded (<details>, no script needed).
OPEN_FILTERS = 8
# Page numbers shown around the current one; first and last are always shown.
PAGER_WINDOW = 2

SUBJECT_TITLES = dict(zip(F.SUBJECTS, ("Gương tập thể", "Gương cá nhân")))
SUBJECT_INTROS = dict(zip(F.SUBJECTS, ("Bài viết về các tập thể tiêu biểu.", "Bài viết về các cá nhân tiêu biểu.")))


def story_body(story: Story) -> Markup:
    """The story's Markdown, targets made docs-absolute. Checked content: not escaped here.
    Only real targets: link syntax shown in code (a span or a fenced block) stays as written,
    found as the checker finds links (safety.blank_code)."""
    body = story.body.strip()
    targets = [m.end() for m in _BODY_TARGET.finditer(blank_code(body))]
    parts, last = [], 0
    for at in targets:
        parts += [body[last:at], "/"]
        last = at
    return Markup("".join(parts) + body[last:])


DRAFT_BANNER = Markup(
    '<div class="gs-draft-banner" role="status"><strong>BẢN NHÁP</strong> — bài chưa công bố '
    "hoặc chưa đến ngày đăng; chỉ hiện khi xem trước.</div>\n\n"
)


# -- views: what templates receive, computed once per build -----------------


@dataclass(frozen=True)
class Entry:
    """A story as listings show it."""

    story: Story
    units: tuple[Unit, ...]
    aloud: int  # read-aloud minutes
    held_back: str = ""  # in a preview: "bản nháp", "đang duyệt", "hẹn đăng dd/mm/yyyy"


@dataclass(frozen=True)
class Pager:
    """Position of one page in a paginated listing whose first page is at `base`."""

    base: str  # site URL of page 1, ending in "/"
    number: int
    count: int

    def url(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}trang-{number}/"

    def uri(self) -> str:
        return f"{self.base}index.md" if self.number == 1 else f"{self.base}trang-{self.number}.md"

    @property
    def previous(self) -> str:
        return self.url(self.number - 1) if self.number > 1 else ""

    @property
    def next(self) -> str:
        return self.url(self.number + 1) if self.number < self.count else ""

    def numbers(self) -> list[int | None]:
        """Page numbers to show, None where some are left out: 1 … 4 5 [6] 7 8 … 250."""
        shown = {1, self.count, *range(self.number - PAGER_WINDOW, self.number + PAGER_WINDOW + 1)}
        out: list[int | None] = []
        for n in sorted(n for n in shown if 1 <= n <= self.count):
            if out and out[-1] is not None and n != out[-1] + 1:
                out.append(None)
            out.append(n)
        return out


@dataclass(frozen=True)
class Filter:
    """One link of the filter panel: a listing and how many stories it holds."""

    label: str
    url: str
    count: int


@dataclass(frozen=True)
class FilterGroup:
    """Filters of one kind; long groups start folded so a phone sees every group."""

    name: str
    filters: list[Filter]
    open: bool


@dataclass(frozen=True)
class Intro:
    """The sentence under a listing's heading, optionally ending in a link."""

    text: str
    url: str = ""
    link_text: str = ""


@dataclass(frozen=True)
class UnitStatus:
    """What became of a unit, in words the page prints."""

    ended: bool  # already ended on the build's day
    phrase: str  # "đã giải thể", "đã sáp nhập vào", "sẽ đổi tên thành", …
    successor: Unit | None
    since: dt.date  # first day without the unit: valid_to plus one day


@dataclass(frozen=True)
class TaskRole:
    task: Task
    directive: Directive
    role: str  # "Chủ trì" or "Phối hợp"


class Views:
    """Everything the generated pages share, built in one pass over the catalogue."""

    def __init__(self, cat: Catalogue):
        self.cat = cat
        self.entries = {
            s.id: Entry(s, tuple(cat.units[u] for u in s.units if u in cat.units), cat.read_aloud_minutes(s), cat.held_back_label(s))
            for s in cat.stories
        }
        self.tasks_by_unit: dict[str, list[TaskRole]] = defaultdict(list)
        self.implemented_by: dict[str, list[Directive]] = defaultdict(list)
        self.issued_by: dict[str, list[Directive]] = defaultdict(list)
        for d in cat.directives.values():
            if d.implements:
                self.implemented_by[d.implements].append(d)
            if d.issuing_unit:
                self.issued_by[d.issuing_unit].append(d)
            for t in sorted(d.tasks, key=lambda t: t.number):
                self.tasks_by_unit[t.lead].append(TaskRole(t, d, "Chủ trì"))
                for unit_id in t.coordinating:
                    self.tasks_by_unit[unit_id].append(TaskRole(t, d, "Phối hợp"))
        self.honors_by_year: dict[int, list[Honor]] = defaultdict(list)
        for h in cat.honors:  # already newest year first, highest level first
            self.honors_by_year[h.year].append(h)

    def entries_of(self, stories: Sequence[Story]) -> list[Entry]:
        return [self.entries[s.id] for s in stories]

    def status(self, unit: Unit) -> UnitStatus | None:
        if not unit.valid_to:
            return None
        since = unit.valid_to + dt.timedelta(days=1)
        ended = unit.valid_to < self.cat.today
        successor = self.cat.units.get(unit.successor)
        words = {
            "sap-nhap": ("đã sáp nhập vào", "sẽ sáp nhập vào"),
            "doi-ten": ("đã đổi tên thành", "sẽ đổi tên thành"),
            "giai-the": ("đã giải thể", "sẽ giải thể"),
        }.get(unit.ended_by, ("không còn hoạt động", "sẽ thôi hoạt động"))
        return UnitStatus(ended, words[0] if ended else words[1], successor, since)

    def parent_status(self, unit: Unit) -> UnitStatus | None:
        """What became of the unit's parent, when it ended before today and the unit did not."""
        parent = self.cat.ended_parent(unit, self.cat.today)
        return self.status(parent) if parent is not None else None


# -- listings -------------------------------------------------------------


def listing_url(kind: str, key: str) -> str:
    """URL of a filtered listing: kind is nam, don-vi, chuyen-de, cong-viec or loai."""
    return f"bai-viet/{kind}/{key}/"


def paginate(stories: Sequence[Story], base: str) -> Iterable[tuple[Pager, Sequence[Story]]]:
    count = max(1, -(-len(stories) // PER_PAGE))
    for number in range(1, count + 1):
        yield Pager(base, number, count), stories[(number - 1) * PER_PAGE : number * PER_PAGE]


def group_by_year(entries: list[Entry]) -> list[tuple[int, list[Entry]]]:
    groups: list[tuple[int, list[Entry]]] = []
    for e in entries:
        if not groups or groups[-1][0] != e.story.date.year:
            groups.append((e.story.date.year, []))
        groups[-1][1].append(e)
    return groups


def render_listing(
    v: Views,
    r: Renderer,
    stories: Sequence[Story],
    *,
    base: str,
    title: str,
    intro: Intro,
    by_year: bool = True,
    filters: list[FilterGroup] | None = None,
) -> Iterable[Output]:
    """One paginated listing, newest first; the filter panel only on the first page.

    Listings stay out of the search index: they show only what story pages say,
    and would fill the results with "Năm 2017" sections of every filter."""
    for pager, chunk in paginate(stories, base):
        entries = v.entries_of(chunk)
        groups = group_by_year(entries) if by_year else [(None, entries)]
        heading = title if pager.number == 1 else f"{title} — trang {pager.number}"
        yield r.page(
            pager.uri(),
            "stories_index.md",
            title=heading,
            description=f"{title}: {len(stories)} bài, mới nhất trước.",
            intro=intro,
            total=len(stories),
            groups=groups,
            pager=pager,
            filters=filters if pager.number == 1 else None,
            searchable=False,
        )


def build_filters(cat: Catalogue) -> list[FilterGroup]:
    """The filter panel: plain links to listings that have stories, grouped."""
    units = sorted(
        (u for uid, stories in cat.stories_by_unit.items() if stories and (u := cat.units.get(uid))),
        key=lambda u: (collation_key(u.label), u.id),  # the panel shows short names
    )
    groups = [
        ("Năm", [Filter(str(y), listing_url("nam", str(y)), len(cat.stories_by_year[y])) for y in cat.years()]),
        ("Tập thể / cá nhân", [
            Filter(SUBJECT_TITLES[s], listing_url("loai", s), len(cat.stories_by_subject[s]))
            for s in F.SUBJECTS if cat.stories_by_subject.get(s)
        ]),
        ("Đơn vị", [Filter(u.label, listing_url("don-vi", u.id), len(cat.stories_by_unit[u.id])) for u in units]),
        ("Chuyên đề", [
            Filter(t.title, listing_url("chuyen-de", t.id), len(cat.stories_by_topic[t.id]))
            for t in cat.topics.values() if cat.stories_by_topic.get(t.id)
        ]),
        ("Công việc đột phá", [
            Filter(f"Công việc {t.number}: {t.title}", listing_url("cong-viec", t.id), len(cat.stories_by_task[t.id]))
            for t in cat.tasks.values() if cat.stories_by_task.get(t.id)
        ]),
    ]
    return [FilterGroup(name, items, len(items) <= OPEN_FILTERS) for name, items in groups if items]


def generate_listings(v: Views, r: Renderer) -> Iterable[Output]:
    cat = v.cat
    yield from render_listing(
        v, r, cat.stories, base="bai-viet/", title="Bài viết", filters=build_filters(cat),
        intro=Intro("Những câu chuyện người tốt, việc tốt, bài mới nhất trước."),
    )
    for year in cat.years():
        yield from render_listing(
            v, r, cat.stories_by_year[year], base=listing_url("nam", str(year)), title=f"Bài viết năm {year}",
            intro=Intro(f"Các bài viết đăng trong năm {year}."), by_year=False,
        )
    for subject in F.SUBJECTS:
        if cat.stories_by_subject.get(subject):
            yield from render_listing(
                v, r, cat.stories_by_subject[subject], base=listing_url("loai", subject), title=SUBJECT_TITLES[subject],
                intro=Intro(SUBJECT_INTROS[subject]),
            )
    for unit in cat.units.values():
        if cat.stories_by_unit.get(unit.id):
            yield from render_listing(
                v, r, cat.stories_by_unit[unit.id], base=listing_url("don-vi", unit.id), title=f"Bài viết: {unit.name}",
                intro=Intro("Bài viết về", unit.url, unit.name),
            )
    for topic in cat.topics.values():
        if cat.stories_by_topic.get(topic.id):
            yield from render_listing(
                v, r, cat.stories_by_topic[topic.id], base=listing_url("chuyen-de", topic.id), title=f"Chuyên đề: {topic.title}",
                intro=Intro("Bài viết phục vụ chuyên đề", topic.url, topic.title),
            )
    for task in cat.tasks.values():
        if cat.stories_by_task.get(task.id):
            yield from render_listing(
                v, r, cat.stories_by_task[task.id], base=listing_url("cong-viec", task.id), title=f"Công việc đột phá {task.number}",
                intro=Intro("Bài viết góp phần vào", task.url, f"công việc đột phá {task.number}: {task.title}"),
            )


# -- pages ----------------------------------------------------------------

WITHDRAWN_TITLE = "Bài viết đã được gỡ"


def render_withdrawn_page(r: Renderer, story: Story) -> Output:
    """A withdrawn story's address keeps answering, with the notice alone: not its title,
    summary or text, which were taken down for a reason. Kept out of search engines."""
    return r.page(
        f"{story.url.rstrip('/')}.md",
        "withdrawn.md",
        title=WITHDRAWN_TITLE,
        description="Bài viết ở địa chỉ này đã được gỡ.",
        searchable=False,
        robots="noindex",
        story=story,
    )


def render_story_page(cat: Catalogue, r: Renderer, story: Story) -> Output:
    return r.page(
        f"{story.url.rstrip('/')}.md",
        "story.md",
        title=story.title,
        description=story.summary,
        story=story,
        banner=Markup("") if cat.is_public(story) else DRAFT_BANNER,
        body=story_body(story),
        units=[cat.units[u] for u in story.units if u in cat.units],
        topics=[cat.topics[t] for t in story.topics if t in cat.topics],
        tasks=[cat.tasks[t] for t in story.tasks if t in cat.tasks],
        reading=cat.reading_minutes(story),
        aloud=cat.read_aloud_minutes(story),
        related=cat.related(story),
        # The story page prints on one A4 page at the handout's type size; print.css.
        fit=fit_story(story),
    )


def featured_directive(cat: Catalogue) -> tuple[Directive | None, Directive | None]:
    """(directive, plan) for the home page: the newest plan with breakthrough tasks and
    the directive it carries out; without such a plan, the newest directive alone."""
    plans = [d for d in cat.directives.values() if d.tasks]
    if plans:
        plan = plans[-1]
        return cat.directives.get(plan.implements), plan
    if cat.directives:
        return list(cat.directives.values())[-1], None
    return None, None


def render_home(v: Views, r: Renderer) -> Output:
    cat = v.cat
    honor_year = cat.honor_years()[0] if cat.honors else None
    highlights = [h for h in v.honors_by_year.get(honor_year, ()) if not h.revoked][:HOME_HONORS] if honor_year else []
    directive, plan = featured_directive(cat)
    return r.page(
        "index.md",
        "home.md",
        title="Trang chủ",
        description=cat.settings.organisation,
        organisation=cat.settings.organisation,
        latest=v.entries_of(cat.stories[:HOME_STORIES]),
        this_week=schedule.this_week(cat),
        total_stories=len(cat.stories),
        honor_year=honor_year,
        highlights=highlights,
        honor_count=len(v.honors_by_year.get(honor_year, ())) if honor_year else 0,
        units=cat.units,
        directive=directive,
        plan=plan,
        plan_tasks=sorted(plan.tasks, key=lambda t: t.number) if plan else [],
        text_url=text_page_url,
    )


def text_page_url(d: Directive) -> str:
    return page_url(d.text_page) if d.text_page else ""


def render_units_index(v: Views, r: Renderer) -> Output:
    cat = v.cat
    groups = [
        (kind, label, [(u, len(cat.stories_by_unit.get(u.id, ())), len(u.honors), v.status(u), v.parent_status(u)) for u in units])
        for kind, label, units in cat.units_by_kind()
    ]
    return r.page(
        "don-vi/index.md",
        "units_index.md",
        title="Đơn vị",
        description="Danh bạ các đơn vị theo loại: cấp trên, số bài viết, khen thưởng và quá trình sáp nhập, giải thể.",
        groups=groups,
        units=cat.units,
        total=len(cat.units),
    )


def honors_by_year(honors: Sequence[Honor]) -> list[tuple[int, list[Honor]]]:
    """A unit's honors, newest year first; in a year, highest level first, in file order."""
    by_year: dict[int, list[Honor]] = defaultdict(list)
    for h in sorted(honors, key=lambda h: (-h.year, -F.LEVELS.index(h.level), h.index)):
        by_year[h.year].append(h)
    return list(by_year.items())


def render_unit_page(v: Views, r: Renderer, unit: Unit) -> Output:
    cat = v.cat
    stories = cat.stories_by_unit.get(unit.id, [])
    return r.page(
        f"don-vi/{unit.id}.md",
        "unit.md",
        title=unit.name,
        description=unit.description or f"{unit.name}: bài viết, khen thưởng, ghi nhận.",
        unit=unit,
        parent=cat.units.get(unit.parent),
        ancestors=list(reversed(cat.ancestors(unit))),
        children=sorted(cat.children.get(unit.id, []), key=lambda c: (F.UNIT_KINDS.index(c.kind), collation_key(c.name), c.id)),
        predecessors=[(p, v.status(p)) for p in cat.predecessors.get(unit.id, [])],
        status=v.status(unit),
        parent_status=v.parent_status(unit),
        honors=honors_by_year(unit.honors),
        units=cat.units,
        stories=v.entries_of(stories[:RECENT]),
        story_count=len(stories),
        listing=listing_url("don-vi", unit.id),
        tasks=v.tasks_by_unit.get(unit.id, []),
        issued=v.issued_by.get(unit.id, []),
    )


def render_honors_index(v: Views, r: Renderer) -> Output:
    return r.page(
        "bang-vang/index.md",
        "honors_index.md",
        title="Bảng vàng",
        description="Khen thưởng, ghi nhận tập thể và cá nhân theo năm, cấp và hình thức.",
        years=stats.count_honors_by_year(v.cat),
    )


def group_honors(honors: Sequence[Honor], units: dict[str, Unit]) -> list[tuple[str, list[tuple[str, list[Honor]]]]]:
    """A year's honors by title, then by level (highest first), then by recipient."""
    by_title: dict[str, dict[str, list[Honor]]] = defaultdict(lambda: defaultdict(list))
    for h in honors:
        by_title[h.title][h.level].append(h)
    out = []
    for title in sorted(by_title, key=collation_key):
        levels = by_title[title]
        out.append((
            title,
            [
                (level, sorted(levels[level], key=lambda h: (collation_key(h.person), collation_key(units[h.unit_id].name), h.unit_id, h.index)))
                for level in reversed(F.LEVELS) if level in levels
            ],
        ))
    return out


def render_honors_year(v: Views, r: Renderer, year: int, honors: Sequence[Honor]) -> Output:
    revoked = sum(1 for h in honors if h.revoked)
    return r.page(
        f"bang-vang/{year}.md",
        "honors_year.md",
        title=f"Bảng vàng năm {year}",
        description=f"Khen thưởng, ghi nhận năm {year}: {len(honors)} lượt.",
        year=year,
        groups=group_honors(honors, v.cat.units),
        units=v.cat.units,
        total=len(honors),
        revoked=revoked,
    )


def render_topics_index(v: Views, r: Renderer) -> Output:
    cat = v.cat
    by_year: dict[int, list[tuple[Topic, list[Entry], int]]] = defaultdict(list)
    for topic in cat.topics.values():  # newest year first, then by id
        stories = cat.stories_by_topic.get(topic.id, [])
        by_year[topic.year].append((topic, v.entries_of(stories[:RECENT]), len(stories)))
    return r.page(
        "chuyen-de/index.md",
        "topics_index.md",
        title="Chuyên đề",
        description="Chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh theo năm.",
        years=list(by_year.items()),
        directives=cat.directives,
        listing_url=listing_url,
    )


def render_directives_index(v: Views, r: Renderer) -> Output:
    cat = v.cat
    return r.page(
        "van-ban/index.md",
        "directives_index.md",
        title="Văn bản",
        description="Chỉ thị, nghị quyết, kế hoạch và các công việc đột phá.",
        directives=list(reversed(cat.directives.values())),
        parents=cat.directives,
    )


def render_directive_page(v: Views, r: Renderer, d: Directive) -> Output:
    cat = v.cat
    tasks = [
        (t, [cat.units[u] for u in t.coordinating if u in cat.units], v.entries_of(cat.stories_by_task.get(t.id, [])[:RECENT]), len(cat.stories_by_task.get(t.id, [])))
        for t in sorted(d.tasks, key=lambda t: t.number)
    ]
    kind = dict(zip(F.DIRECTIVE_KINDS, F.DIRECTIVE_KIND_LABELS)).get(d.kind, d.kind)
    return r.page(
        f"van-ban/{d.id}.md",
        "directive.md",
        title=f"{kind} số {d.number}",
        description=d.title,
        d=d,
        parent=cat.directives.get(d.implements),
        issuing_unit=cat.units.get(d.issuing_unit),
        text_url=text_page_url(d),
        plans=v.implemented_by.get(d.id, []),
        topics=[t for t in cat.topics.values() if t.directive == d.id],
        tasks=tasks,
        units=cat.units,
        listing_url=listing_url,
    )


def by_label(rows: list[stats.UnitCount]) -> list[stats.UnitCount]:
    """The chart shows short names: its ties are in the order of what it shows."""
    return sorted(rows, key=lambda r: (-r.count, collation_key(r.unit.label), r.unit.id))


def stats_tables(cat: Catalogue) -> dict:
    """Figures and charts of the statistics page."""
    by_year = stats.count_stories_by_year(cat)
    by_unit = stats.count_stories_by_unit(cat)
    honors = stats.count_honors_by_year(cat)
    level_labels = dict(zip(F.LEVELS, F.LEVEL_LABELS))
    honor_levels = [lv for lv in F.LEVELS if any(h.level(lv) for h in honors)]
    gaps = [
        (year, "năm hiện tại" if year == cat.today.year else "năm gần nhất có bài viết", *stats.uncovered_units(cat, stats.Period(year)))
        for year in stats.coverage_years(cat)
    ]
    return dict(
        by_year=by_year,
        by_unit=by_unit,
        top_units=by_unit[:TOP_UNITS],
        honors=honors,
        honor_levels=[(lv, level_labels[lv]) for lv in honor_levels],
        gaps=gaps,
        chart_years=charts.render_bar_chart(
            "bieu-do-bai-theo-nam",
            title="Số bài viết theo năm",
            description="Biểu đồ thanh: số bài viết đã công bố mỗi năm.",
            bars=[charts.Bar(str(y), (n,)) for y, n in by_year],
            axis_label="Số bài viết",
            unit="bài",
        ),
        chart_units=charts.render_bar_chart(
            "bieu-do-bai-theo-don-vi",
            title=f"{min(TOP_UNITS, len(by_unit))} đơn vị có nhiều bài viết nhất",
            description="Biểu đồ thanh: số bài viết của các đơn vị có nhiều bài nhất.",
            bars=[charts.Bar(row.unit.label, (row.count,)) for row in by_label(by_unit[:TOP_UNITS])],
            axis_label="Số bài viết",
            unit="bài",
        ),
        chart_honors=charts.render_bar_chart(
            "bieu-do-khen-thuong",
            title="Khen thưởng, ghi nhận theo năm và cấp",
            description="Biểu đồ thanh chồng: số lượt khen thưởng, ghi nhận còn hiệu lực mỗi năm, chia theo cấp.",
            bars=[charts.Bar(str(h.year), tuple(h.level(lv) for lv in honor_levels)) for h in honors],
            axis_label="Số lượt khen thưởng, ghi nhận",
            unit="lượt",
            series=[level_labels[lv] for lv in honor_levels],
        ),
    )


def render_stats_page(v: Views, r: Renderer) -> Output:
    cat = v.cat
    return r.page(
        "thong-ke/index.md",
        "stats.md",
        title="Thống kê",
        description="Số bài viết theo năm và theo đơn vị, khen thưởng theo năm và cấp, đơn vị chưa có bài.",
        today=cat.today,
        total_stories=len(cat.stories),
        total_units=len(cat.units),
        number=charts.format_count,
        listing_url=listing_url,
        **stats_tables(cat),
    )


def generate_pages(cat: Catalogue, r: Renderer) -> Iterable[Output]:
    v = Views(cat)
    yield render_home(v, r)
    for story in cat.stories:
        yield render_story_page(cat, r, story)
    for story in cat.withdrawn:
        yield render_withdrawn_page(r, story)
    yield from generate_listings(v, r)
    yield render_units_index(v, r)
    for unit in cat.units.values():
        yield render_unit_page(v, r, unit)
    yield render_honors_index(v, r)
    for year, honors in v.honors_by_year.items():
        yield render_honors_year(v, r, year, honors)
    yield render_topics_index(v, r)
    yield render_directives_index(v, r)
    for d in cat.directives.values():
        yield render_directive_page(v, r, d)
    yield render_stats_page(v, r)
