"""Redirect pages: an old story URL (an `aliases` entry) and its old handout keep working after a slug or year change."""

from __future__ import annotations

from typing import Iterable

from .catalogue import Catalogue
from .models import Story
from .render import Output, Renderer, relative

STORY_PREFIX = "bai-viet/"
HANDOUT_PREFIX = "in/"  # Story.handout_url: in/<year>/<slug>/ beside bai-viet/<year>/<slug>/


def alias_url(alias: str) -> str:
    """"/bai-viet/2017/cu" → "bai-viet/2017/cu/": the form check.py compares."""
    return alias.strip("/") + "/"


def handout_alias(alias: str) -> str:
    """The handout address that went with an old story URL: bai-viet/2017/cu/ → in/2017/cu/."""
    return HANDOUT_PREFIX + alias_url(alias).removeprefix(STORY_PREFIX)


def old_urls(story: Story) -> list[tuple[str, str]]:
    """(old URL, where it leads) for every address the story no longer answers at.

    An old story URL leads to the story, its old handout to the handout. A
    withdrawn story keeps no handout, old or current: only its old story URLs
    lead to the notice of withdrawal.
    """
    pairs = []
    for alias in sorted(set(story.aliases)):
        pairs.append((alias_url(alias), story.url))
        if not story.withdrawn:
            pairs.append((handout_alias(alias), story.handout_url))
    return sorted(pairs)


def render_redirect(r: Renderer, story: Story, alias: str, target_url: str | None = None) -> Output:
    """A small static page at the old URL: refresh, canonical and a visible link, all relative
    so the redirect works on any host and from the file system. A withdrawn story's old
    URL leads to its notice and does not name it."""
    here = alias_url(alias)
    destination = target_url or story.url
    target = relative(here, destination)
    html = r.template("guide_redirect.html").render(
        title=story.title,
        withdrawn=story.withdrawn,
        target=target,
        canonical=r.site_url + destination if r.site_url else target,
    )
    return Output(here + "index.html", html)


def generate_redirects(cat: Catalogue, r: Renderer) -> Iterable[Output]:
    # Only stories the build shows (a draft's old URL must not announce its title) and
    # withdrawn ones, whose old URLs lead to the notice.
    for story in sorted((*cat.stories, *cat.withdrawn), key=lambda s: s.id):
        for old, target in old_urls(story):
            yield render_redirect(r, story, old, target)
