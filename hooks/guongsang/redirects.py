"""Redirect pages: an old story URL (an `aliases` entry) and its old handout keep working after a slug or year change;
the folders of story and handout addresses (bai-viet/2017/, in/2017/, in/) lead to the listing of their stories."""

from __future__ import annotations

from typing import Iterable

from .catalogue import Catalogue
from .models import Story
from .pages import listing_url
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
    withdrawn story keeps no handout: its handout addresses, current and old (printed
    on sheets, linked from programmes), lead to the notice of withdrawal, as its old
    story URLs do.
    """
    pairs = [(story.handout_url, story.url)] if story.withdrawn else []
    for alias in sorted(set(story.aliases)):
        pairs.append((alias_url(alias), story.url))
        pairs.append((handout_alias(alias), story.url if story.withdrawn else story.handout_url))
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


def folder_redirects(cat: Catalogue) -> list[tuple[str, str, str]]:
    """(folder URL, where it leads, the title of that page) for every folder above a story
    or handout address the site writes: a reader who trims "bai-viet/2017/slug/" to
    "bai-viet/2017/" gets the stories of 2017, not a 404. A year with no story listed
    (only withdrawn or moved ones) leads to all the stories."""
    urls = [s.url for s in (*cat.stories, *cat.withdrawn)] + [s.handout_url for s in cat.stories]
    urls += [old for s in (*cat.stories, *cat.withdrawn) for old, _ in old_urls(s)]
    listed = set(cat.years())
    folders: dict[str, tuple[str, str]] = {}
    for url in urls:
        prefix, year = url.split("/")[:2]
        to_year = (listing_url("nam", year), f"Bài viết năm {year}") if year.isdigit() and int(year) in listed else (STORY_PREFIX, "Bài viết")
        folders[f"{prefix}/{year}/"] = to_year
        if prefix + "/" == HANDOUT_PREFIX:
            folders[HANDOUT_PREFIX] = (STORY_PREFIX, "Bài viết")
    return sorted((folder, target, title) for folder, (target, title) in folders.items())


def render_folder_redirect(r: Renderer, folder: str, target_url: str, title: str) -> Output:
    """A folder that has no page of its own: a small static page that leads on, relative as render_redirect's."""
    target = relative(folder, target_url)
    html = r.template("folder_redirect.html").render(
        title=title,
        target=target,
        canonical=r.site_url + target_url if r.site_url else target,
    )
    return Output(folder + "index.html", html)


def generate_redirects(cat: Catalogue, r: Renderer) -> Iterable[Output]:
    # Only stories the build shows (a draft's old URL must not announce its title) and
    # withdrawn ones, whose old URLs lead to the notice.
    for story in sorted((*cat.stories, *cat.withdrawn), key=lambda s: s.id):
        for old, target in old_urls(story):
            yield render_redirect(r, story, old, target)
    for folder, target, title in folder_redirects(cat):
        yield render_folder_redirect(r, folder, target, title)
