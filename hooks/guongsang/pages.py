"""Generated Markdown pages: stories, listings, units, honor rolls, topics, directives, home."""

from __future__ import annotations

import re
from typing import Iterable

from markupsafe import Markup

from .catalogue import Catalogue
from .models import Story
from .render import Output, Renderer

# A relative image or link target in a story body is relative to docs/; MkDocs
# resolves "/x" against docs/ (validation.links.absolute_links: relative_to_docs).
_BODY_TARGET = re.compile(r"(\]\()(?![a-zA-Z][a-zA-Z0-9+.\-]*:|/|#)")


def story_body(story: Story) -> Markup:
    """The story's Markdown, targets made docs-absolute. Checked content: not escaped here."""
    return Markup(_BODY_TARGET.sub(r"\1/", story.body.strip()))


DRAFT_BANNER = Markup(
    '<div class="gs-draft-banner" role="status"><strong>BẢN NHÁP</strong> — bài chưa công bố '
    "hoặc chưa đến ngày đăng; chỉ hiện khi xem trước.</div>\n\n"
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
    )


def render_home(cat: Catalogue, r: Renderer) -> Output:
    return r.page(
        "index.md",
        "home.md",
        title="Trang chủ",
        description=cat.settings.organisation,
        organisation=cat.settings.organisation,
        latest=cat.stories[:6],
    )


def render_stories_index(cat: Catalogue, r: Renderer) -> Output:
    years = [(year, cat.stories_by_year[year]) for year in cat.years()]
    return r.page("bai-viet/index.md", "stories_index.md", title="Bài viết", years=years)


def generate_pages(cat: Catalogue, r: Renderer) -> Iterable[Output]:
    yield render_home(cat, r)
    yield render_stories_index(cat, r)
    for story in cat.stories:
        yield render_story_page(cat, r, story)
