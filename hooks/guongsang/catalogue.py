"""The catalogue: one in-memory index of checked content, with every cross-reference and sorted view."""

from __future__ import annotations

import bisect
import heapq
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import fields as F
from .models import Commemoration, Content, Directive, Honor, Settings, Story, Task, Topic, Unit
from .text import collation_key, minutes

if TYPE_CHECKING:
    from .schedule import Schedule  # schedule.py reads this module


def unit_order(unit: Unit) -> tuple:
    """Units by full name, in Vietnamese dictionary order ("Xã Đồng Lạc" after "Xã Dân Chủ"), then by id."""
    return (collation_key(unit.name), unit.id)


def story_order(story: Story) -> tuple:
    """Newest first, then by id: a total order, so output never depends on file order."""
    return story.order


@dataclass
class Catalogue:
    """Built once per build from checked content; pages and feeds only read it."""

    content: Content
    today: dt.date
    preview: bool = False
    stories: list[Story] = field(default_factory=list)  # what the public sees, newest first
    held_back: list[Story] = field(default_factory=list)  # drafts, under review, or dated in the future
    withdrawn: list[Story] = field(default_factory=list)  # taken down: their URLs show a notice, nothing else
    units: dict[str, Unit] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    directives: dict[str, Directive] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    commemorations: dict[str, Commemoration] = field(default_factory=dict)
    story_by_id: dict[str, Story] = field(default_factory=dict)
    stories_by_unit: dict[str, list[Story]] = field(default_factory=lambda: defaultdict(list))
    schedules: dict[str, Schedule] = field(default_factory=dict, compare=False, repr=False)  # schedule.build_schedule's, by school year
    stories_by_topic: dict[str, list[Story]] = field(default_factory=lambda: defaultdict(list))
    stories_by_task: dict[str, list[Story]] = field(default_factory=lambda: defaultdict(list))
    stories_by_year: dict[int, list[Story]] = field(default_factory=lambda: defaultdict(list))
    stories_by_subject: dict[str, list[Story]] = field(default_factory=lambda: defaultdict(list))
    stories_by_commemoration: dict[str, list[Story]] = field(default_factory=lambda: defaultdict(list))
    stories_by_kind: dict[str, list[Story]] = field(default_factory=lambda: defaultdict(list))  # by their units' kinds
    children: dict[str, list[Unit]] = field(default_factory=lambda: defaultdict(list))
    predecessors: dict[str, list[Unit]] = field(default_factory=lambda: defaultdict(list))
    honors: list[Honor] = field(default_factory=list)  # newest year first

    @property
    def settings(self) -> Settings:
        return self.content.settings

    # -- derived views -----------------------------------------------------

    def is_public(self, story: Story) -> bool:
        return story.published and story.date <= self.today

    def held_back_label(self, story: Story) -> str:
        """Why the public does not see a story yet, as previews and the diff say it; "" when it does."""
        if story.status == "draft":
            return "bản nháp"
        if story.status == "review":
            return "đang duyệt"
        return "" if self.is_public(story) or story.withdrawn else f"hẹn đăng {story.date:%d/%m/%Y}"

    def reading_minutes(self, story: Story) -> int:
        return minutes(story.words, self.settings.words_per_minute)

    def read_aloud_minutes(self, story: Story) -> int:
        return minutes(story.words, self.settings.syllables_per_minute)

    def related(self, story: Story, limit: int = 4, window: int = 40) -> list[Story]:
        """Stories sharing a task (3 points), a topic or a unit (2 each): most shared
        first, then newest. Places left are filled with stories of units of the same
        kind or of the same year (1 point each), then with any story, nearest in date
        first: every story page offers a next read unless it is the only story.

        Only the `window` stories nearest in date within each group are scored: a
        topic with 5,000 stories would otherwise make every story page cost as much
        as the whole group, and the build quadratic.
        """
        found: dict[str, Story] = {}
        shared = self._score(story, window, found, (
            (self.stories_by_task, story.tasks, 3),
            (self.stories_by_topic, story.topics, 2),
            (self.stories_by_unit, story.units, 2),
        ))
        best = heapq.nsmallest(limit, shared, key=lambda sid: (-shared[sid], found[sid].order))
        if len(best) < limit:
            kinds = sorted({self.units[u].kind for u in story.units if u in self.units})
            alike = self._score(story, window, found, (
                (self.stories_by_kind, kinds, 1),
                (self.stories_by_year, (story.date.year,), 1),
                ({"": self.stories}, ("",), 0),
            ))
            day = story.date.toordinal()
            rest = [sid for sid in alike if sid not in shared]
            best += heapq.nsmallest(limit - len(best), rest, key=lambda sid: (-alike[sid], abs(found[sid].date.toordinal() - day), found[sid].order))
        return [found[sid] for sid in best]

    def _score(self, story: Story, window: int, found: dict[str, Story], groups: tuple) -> dict[str, int]:
        """Points of the other stories near this one in each (view, keys, weight) group, by id."""
        score: dict[str, int] = {}
        for views, keys, weight in groups:
            for key in keys:
                for other in self._near(views.get(key, ()), story, window):
                    sid = other.id
                    if sid != story.id:
                        score[sid] = score.get(sid, 0) + weight
                        found[sid] = other
        return score

    def _near(self, group: list[Story], story: Story, window: int) -> list[Story]:
        """The stories of a group (newest first) around this story's own position."""
        if len(group) <= window:
            return group
        pos = bisect.bisect_left(group, story_order(story), key=story_order)
        start = max(0, min(pos - window // 2, len(group) - window))
        return group[start : start + window]

    def units_by_kind(self) -> list[tuple[str, str, list[Unit]]]:
        """(kind, Vietnamese label, units sorted by name) in the schema's order of kinds."""
        groups: dict[str, list[Unit]] = defaultdict(list)
        for unit in self.units.values():
            groups[unit.kind].append(unit)
        out = []
        for kind, label in zip(F.UNIT_KINDS, F.UNIT_KIND_LABELS):
            if groups.get(kind):
                out.append((kind, label, sorted(groups[kind], key=unit_order)))
        return out

    def honor_years(self) -> list[int]:
        return sorted({h.year for h in self.honors}, reverse=True)

    def honors_in(self, year: int) -> list[Honor]:
        return [h for h in self.honors if h.year == year]

    def ancestors(self, unit: Unit) -> list[Unit]:
        """Parent chain, nearest first; stops at a cycle (the checker reports it)."""
        chain, seen = [], {unit.id}
        current = self.units.get(unit.parent)
        while current is not None and current.id not in seen:
            chain.append(current)
            seen.add(current.id)
            current = self.units.get(current.parent)
        return chain

    def ended_parent(self, unit: Unit, day: dt.date) -> Unit | None:
        """The unit's parent if it had ended before `day` and the unit had not: what the
        unit has belonged to since is not recorded (districts dissolved in 2025 left
        their communes so), so the unit's own state then is unknown."""
        parent = self.units.get(unit.parent)
        if parent is None or parent.valid_to is None or parent.valid_to >= day:
            return None
        if unit.valid_to is not None and unit.valid_to <= parent.valid_to:
            return None
        return parent

    def years(self) -> list[int]:
        return sorted(self.stories_by_year, reverse=True)


def build_catalogue(content: Content, *, today: dt.date, preview: bool = False) -> Catalogue:
    """Index checked content. Drafts and future stories are kept out unless previewing."""
    cat = Catalogue(content=content, today=today, preview=preview)
    cat.units = {u.id: u for u in sorted(content.units, key=lambda u: u.id)}
    cat.topics = {t.id: t for t in sorted(content.topics, key=lambda t: (-t.year, t.id))}
    cat.directives = {d.id: d for d in sorted(content.directives, key=lambda d: (d.date or dt.date.min, d.id))}
    cat.tasks = {t.id: t for d in cat.directives.values() for t in sorted(d.tasks, key=lambda t: t.number)}
    cat.commemorations = {c.id: c for c in sorted(content.commemorations, key=lambda c: (c.month, c.day, c.id))}
    for story in sorted(content.stories, key=story_order):
        if story.withdrawn:
            cat.withdrawn.append(story)  # even in a preview: what was taken down stays down
        elif preview or cat.is_public(story):
            cat.stories.append(story)
        else:
            cat.held_back.append(story)
    content_kinds = {u.id: u.kind for u in content.units}
    for story in cat.stories:
        cat.story_by_id[story.id] = story
        cat.stories_by_year[story.date.year].append(story)
        cat.stories_by_subject[story.subject].append(story)
        for unit_id in story.units:
            cat.stories_by_unit[unit_id].append(story)
        for topic_id in story.topics:
            cat.stories_by_topic[topic_id].append(story)
        for task_id in story.tasks:
            cat.stories_by_task[task_id].append(story)
        for c_id in story.commemorations:
            cat.stories_by_commemoration[c_id].append(story)
        for kind in sorted({content_kinds[u] for u in story.units if u in content_kinds}):
            cat.stories_by_kind[kind].append(story)
    for unit in cat.units.values():
        if unit.parent in cat.units:
            cat.children[unit.parent].append(unit)
        if unit.successor in cat.units:
            cat.predecessors[unit.successor].append(unit)
        cat.honors.extend(unit.honors)
    for kids in (*cat.children.values(), *cat.predecessors.values()):
        kids.sort(key=unit_order)
    cat.honors.sort(key=lambda h: (-h.year, -F.LEVELS.index(h.level), collation_key(h.title), unit_order(cat.units[h.unit_id]), collation_key(h.person), h.index))
    return cat
