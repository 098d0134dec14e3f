"""Rendering helpers shared by every generator: the Jinja2 environment, escaping, URLs, dates."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import fields as F

TEMPLATES = Path(__file__).parent / "templates"

# Characters that Markdown would turn into formatting or links, inline. "<", "&"
# and quotes are handled by HTML escaping afterwards.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()!|])")


@dataclass(frozen=True)
class Output:
    """One generated file: a Markdown page (rendered by MkDocs) or a file copied as is."""

    uri: str  # path inside the site, e.g. "bai-viet/2017/slug.md" or "du-lieu/bai-viet.json"
    content: str | bytes


def md_text(value: object) -> Markup:
    """Content text for a Markdown line: HTML-escaped, Markdown syntax neutralised."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))
    return Markup(escape(text))


def date_vi(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def page_url(uri: str) -> str:
    """Site URL (directory style) of a Markdown source path: "don-vi/x.md" → "don-vi/x/"."""
    if not uri.endswith(".md"):
        return uri
    stem = uri[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative(from_url: str, to_url: str) -> str:
    """Relative link between two site URLs; works from the file system too."""
    to_path, _, anchor = to_url.partition("#")
    base = posixpath.dirname(from_url.rstrip("/") + "/x") if from_url else ""
    target = _relpath(to_path or ".", base or ".")
    if (to_path == "" or to_path.endswith("/")) and not target.endswith("/"):
        target += "/"
    if target == "./":
        target = "./"
    return target + (f"#{anchor}" if anchor else "")


def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for two site paths, without its two getcwd() calls: a
    listing page links 40 times, and 10,000 stories make 2,000 listing pages."""
    path_parts, start_parts = _plain_parts(path), _plain_parts(start)
    if path_parts is None or start_parts is None:
        return posixpath.relpath(path, start)  # "..", "//" or an absolute path: the general case
    common = 0
    for a, b in zip(path_parts, start_parts):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(start_parts) - common) + path_parts[common:]
    return "/".join(parts) if parts else "."


def _plain_parts(path: str) -> list[str] | None:
    """The segments of a relative path with no empty, "." or ".." segment, else None."""
    if path == ".":
        return []
    parts = (path[:-1] if path.endswith("/") else path).split("/")
    if "" in parts or "." in parts or ".." in parts:
        return None
    return parts


def front_matter(**meta: object) -> str:
    """YAML front matter for a generated page. Values are JSON strings (valid YAML),
    HTML-escaped because the theme prints page.title and description without escaping."""
    lines = ["---"]
    for key, value in meta.items():
        if value is None:
            continue
        if isinstance(value, str):
            value = str(escape(value))
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def label(choices: tuple[str, ...], labels: tuple[str, ...]):  # noqa: ANN201
    table = dict(zip(choices, labels))
    return lambda value: table.get(value, value)


def make_env() -> jinja2.Environment:
    """One environment per build: strict, autoescaping, with the site's filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md_text,
        date_vi=date_vi,
        kind_label=label(F.UNIT_KINDS, F.UNIT_KIND_LABELS),
        level_label=label(F.LEVELS, F.LEVEL_LABELS),
        form_label=label(F.HONOR_FORMS, F.HONOR_FORM_LABELS),
        subject_label=label(F.SUBJECTS, F.SUBJECT_LABELS),
        audience_label=label(F.AUDIENCES, F.AUDIENCE_LABELS),
        grade_label=label(F.GRADE_BANDS, F.GRADE_BAND_LABELS),
        status_label=label(F.STATUSES, F.STATUS_LABELS),
        ending_label=label(F.ENDINGS, F.ENDING_LABELS),
        directive_kind_label=label(F.DIRECTIVE_KINDS, F.DIRECTIVE_KIND_LABELS),
    )
    return env


class Renderer:
    """Renders templates for one page at a time, with links relative to that page."""

    def __init__(self, env: jinja2.Environment, site_url: str):
        self.env = env
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        self._templates: dict[str, jinja2.Template] = {}

    def template(self, name: str) -> jinja2.Template:
        if name not in self._templates:
            self._templates[name] = self.env.get_template(name)
        return self._templates[name]

    def page(
        self, uri: str, template: str, *, title: str, description: str = "", searchable: bool = True, robots: str = "", **context: object
    ) -> Output:
        """A generated page; `searchable=False` keeps it out of the search index (Material's
        `search.exclude`), `robots` goes to a robots meta tag (overrides/main.html)."""
        here = page_url(uri)
        body = self.template(template).render(
            here=here,
            link=lambda target: relative(here, target),
            absolute=lambda target: self.site_url + target,
            title=title,
            **context,
        )
        search = None if searchable else {"exclude": True}
        return Output(uri, front_matter(title=title, description=description or None, search=search, robots=robots or None) + body)
