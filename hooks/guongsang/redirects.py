"""Redirect pages: an old story URL (an `aliases` entry) keeps working after a slug or year change."""

from __future__ import annotations

from typing import Iterable

from .catalogue import Catalogue
from .models import Story
from .render import Output, Renderer, relative


def alias_url(alias: str) -> str:
    """"/bai-viet/2017/cu" → "bai-viet/2017/cu/": the form check.py compares."""
    return alias.strip("/") + "/"


def render_redirect(r: Renderer, story: Story, alias: str) -> Output:
    """A small static page at the old URL: refresh, canonical and a visible link, all relative
    so the redirect works on any host and from the file system. A withdrawn story's old
    URL leads to its notice and does not name it."""
    here = alias_url(alias)
    target = relative(here, story.url)
    html = r.template("guide_redirect.html").render(
        title=story.title,
        withdrawn=story.withdrawn,
        target=target,
        canonical=r.site_url + story.url if r.site_url else target,
    )
    return Output(here + "index.html", html)


def generate_redirects(cat: Catalogue, r: Renderer) -> Iterable[Output]:
    # Only stories the build shows (a draft's old URL must not announce its title) and
    # withdrawn ones, whose old URLs lead to the notice.
    for story in sorted((*cat.stories, *cat.withdrawn), key=lambda s: s.id):
        for alias in sorted(set(story.aliases)):
            yield render_redirect(r, story, alias)
