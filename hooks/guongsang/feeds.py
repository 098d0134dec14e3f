"""RSS 2.0 and Atom 1.0 feeds of the latest published or corrected public stories, with absolute links and stable ids."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from email.utils import format_datetime
from typing import Iterable
from urllib.parse import urlsplit

from .catalogue import Catalogue
from .models import Story, Unit
from .render import Output, Renderer

RSS_URI = "rss.xml"  # at the root: Material looks for sitemap.xml beside every rel=alternate link
ATOM_URI = "atom.xml"
LATEST = 50
FEED_TITLE = "Gương Sáng — bài viết mới"

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
# Stories carry a date, not a time: they are dated at midnight, Vietnam time.
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def story_time(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=VIETNAM)


def rfc822(day: dt.date) -> str:
    """RSS dates: "Wed, 10 May 2017 00:00:00 +0700" (English names whatever the locale)."""
    return format_datetime(story_time(day))


def rfc3339(day: dt.date) -> str:
    """Atom dates: "2017-05-10T00:00:00+07:00"."""
    return story_time(day).isoformat()


def updated_on(story: Story) -> dt.date:
    """A correction updates the story: feed readers show it again."""
    return max((story.date, *(c.date for c in story.corrections)))


def story_tag(site_url: str, story: Story) -> str:
    """The entry id: a tag: URI from the site's host and the story's id (year/slug).

    Editing the title, summary, date or body never changes it, so readers do
    not show an edited story as a new one. Only moving the story (a new id,
    with the old address kept in `aliases`) does.
    """
    parts = urlsplit(site_url)
    prefix = parts.path.strip("/")
    specific = f"{prefix}/{story.id}" if prefix else story.id
    return f"tag:{parts.hostname},{story.year}:{specific}"


def latest_stories(cat: Catalogue, limit: int = LATEST) -> list[Story]:
    """The `limit` public stories updated last (published, or corrected), most recent first.

    Chosen by last update, not publication: a correction to a story from years ago
    must reach the readers of the feed, who cannot be expected to look for it.
    """
    return sorted(public_stories(cat), key=lambda s: (-updated_on(s).toordinal(), s.order))[:limit]


def public_stories(cat: Catalogue) -> list[Story]:
    """Published stories dated today or earlier, newest first. A preview build
    shows drafts on pages, never in feeds or data files."""
    return [s for s in cat.stories if cat.is_public(s)]


def require_site_url(r: Renderer) -> str:
    if not r.site_url:
        raise ValueError("Cần đặt site_url trong mkdocs.yml: bản tin và dữ liệu mở dùng liên kết tuyệt đối.")
    return r.site_url


class FeedWriter:
    """Builds both feeds for one catalogue; every text goes through ElementTree, which escapes it."""

    def __init__(self, cat: Catalogue, r: Renderer):
        self.cat = cat
        self.r = r
        self.site_url = require_site_url(r)
        self.stories = latest_stories(cat)
        # The feed changes when its newest entry does, never with the clock.
        self.newest = max((updated_on(s) for s in self.stories), default=cat.today)
        self.last_published = max((s.date for s in self.stories), default=cat.today)

    def absolute(self, url: str) -> str:
        return self.site_url + url

    def entry_html(self, story: Story) -> str:
        """The entry's content: summary, a link to the page, and the corrections."""
        return self.r.template("feed_entry.html").render(
            story=story,
            url=self.absolute(story.url),
        )

    def units_of(self, story: Story) -> list[Unit]:
        return [self.cat.units[u] for u in story.units if u in self.cat.units]

    # -- RSS 2.0 -----------------------------------------------------------

    def rss(self) -> str:
        rss = ET.Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS, "xmlns:dc": DC_NS})
        channel = ET.SubElement(rss, "channel")
        text(channel, "title", FEED_TITLE)
        text(channel, "link", self.site_url)
        text(channel, "description", self.description)
        text(channel, "language", "vi")
        ET.SubElement(channel, "atom:link", {"href": self.absolute(RSS_URI), "rel": "self", "type": "application/rss+xml"})
        if self.stories:
            text(channel, "pubDate", rfc822(self.last_published))
            text(channel, "lastBuildDate", rfc822(self.newest))
        for story in self.stories:
            item = ET.SubElement(channel, "item")
            text(item, "title", story.title)
            text(item, "link", self.absolute(story.url))
            text(item, "guid", story_tag(self.site_url, story), isPermaLink="false")
            text(item, "pubDate", rfc822(story.date))
            text(item, "dc:creator", story.author)
            for unit in self.units_of(story):
                text(item, "category", unit.name, domain=self.absolute("don-vi/"))
            for tag in story.tags:
                text(item, "category", tag)
            text(item, "description", self.entry_html(story))
        return serialise(rss)

    # -- Atom 1.0 ----------------------------------------------------------

    def atom(self) -> str:
        feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "vi"})
        text(feed, "id", self.site_url)
        text(feed, "title", FEED_TITLE)
        text(feed, "subtitle", self.description)
        text(feed, "updated", rfc3339(self.newest))
        ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": self.absolute(ATOM_URI)})
        ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": self.site_url})
        author = ET.SubElement(feed, "author")
        text(author, "name", self.cat.settings.organisation)
        for story in self.stories:
            entry = ET.SubElement(feed, "entry")
            text(entry, "id", story_tag(self.site_url, story))
            text(entry, "title", story.title, type="text")
            ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": self.absolute(story.url)})
            text(entry, "published", rfc3339(story.date))
            text(entry, "updated", rfc3339(updated_on(story)))
            author = ET.SubElement(entry, "author")
            text(author, "name", story.author)
            for unit in self.units_of(story):
                ET.SubElement(entry, "category", {"term": unit.id, "scheme": self.absolute("don-vi/"), "label": unit.name})
            for tag in story.tags:
                ET.SubElement(entry, "category", {"term": tag})
            text(entry, "summary", story.summary, type="text")
            text(entry, "content", self.entry_html(story), type="html")
        return serialise(feed)

    @property
    def description(self) -> str:
        return f"Những tấm gương người tốt, việc tốt do {self.cat.settings.organisation} giới thiệu."


def text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = value
    return element


def serialise(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def generate_feeds(cat: Catalogue, r: Renderer) -> Iterable[Output]:
    writer = FeedWriter(cat, r)
    yield Output(RSS_URI, writer.rss())
    yield Output(ATOM_URI, writer.atom())
