"""The offline copy: a zip of a school year's programme, its stories and handouts, for file://.

Made after MkDocs has written the site, from the pages it wrote, rather than by
a second MkDocs build with Material's offline plugin. A second build costs as
much as the first; the plugin also only switches off directory URLs and adds
a search shim fetched from a CDN, which a school without a connection cannot
reach. Here the pages are read once and their links rewritten:

- a link to a page in the copy becomes a link to its index.html (a browser
  opening files shows a folder listing, not the page, for "../bai/");
- a link to any other page, feed or data file becomes the page's address on
  the site (it works again once online);
- files under assets/ (styles, scripts, images) that the pages use are copied
  as they are, and the school year's calendar too.

Search needs a server (Material's search worker cannot start from file://
without a shim from the network), so the copy hides the search box; the
request Material still makes for search/search_index.js fails quietly. The zip
is deterministic: entries sorted, one fixed timestamp and mode, fixed
compression.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection

import click
from markupsafe import escape

from .catalogue import Catalogue
from .schedule import Schedule, build_schedule, school_years

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold: no clock in the output
ZIP_MODE = 0o100644 << 16  # a regular file, rw-r--r--
ASSETS = "assets/"
_LINK = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|//|/|#)")
_BODY_OPEN = re.compile(r"<body[^>]*>")
# A redirect page's refresh (redirects.py): from disk it too must name index.html.
_REFRESH = re.compile(r'(<meta http-equiv="refresh" content="\d+; url=)([^"]*)(")')

OFFLINE_STYLE = "<style>.md-search,label.md-header__button[for=__search]{display:none!important}.gs-offline{padding:.4rem 1rem;background:#fff8e1;color:#000;font-size:.8rem}</style>"


@dataclass
class Bundle:
    """The files of one offline copy, by their path in the site."""

    pages: Collection[str]  # HTML pages whose links are rewritten, site-relative ("bai-viet/2017/x/index.html")
    site_url: str
    files: dict[str, bytes] = field(default_factory=dict)
    assets: set[str] = field(default_factory=set)


def offline_pages(schedule: Schedule) -> list[str]:
    """The programme page, then each story of the programme with its handout."""
    pages = [schedule.url + "index.html"]
    for story in schedule.stories():
        pages += [story.url + "index.html", story.handout_url + "index.html"]
    return pages


def split_url(url: str) -> tuple[str, str]:
    """("../a/", "#x") from "../a/#x"; a query goes with the suffix."""
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return url[:cut], url[cut:]


def resolve(page: str, target: str) -> str | None:
    """Site-relative path of a relative link on a page ("" for the root); None outside the site."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
    if joined == ".." or joined.startswith("../"):
        return None
    return "" if joined == "." else joined


def rewrite_link(bundle: Bundle, site_dir: Path, page: str, url: str, extra: set[str]) -> str:
    if not url or _EXTERNAL.match(url):
        return url
    target, suffix = split_url(url)
    if not target:
        return url
    path = resolve(page, target)
    if path is None:
        return url
    is_dir = target.endswith("/") or target in (".", "..") or (site_dir / path).is_dir()
    file = posixpath.join(path, "index.html") if is_dir else path
    if file in bundle.pages:
        return posixpath.relpath(file, posixpath.dirname(page) or ".") + suffix
    if not is_dir and (file.startswith(ASSETS) or file in extra) and (site_dir / file).is_file():
        bundle.assets.add(file)
        return url
    if not bundle.site_url:
        return url
    online = bundle.site_url + (path + "/" if is_dir and path else path)
    return str(escape(online)) + suffix


def rewrite_page(bundle: Bundle, site_dir: Path, page: str, html: str, extra: set[str], banner: str) -> str:
    html = _LINK.sub(lambda m: m[1] + rewrite_link(bundle, site_dir, page, m[2], extra) + m[3], html)
    html = _REFRESH.sub(lambda m: m[1] + rewrite_link(bundle, site_dir, page, m[2], extra) + m[3], html, count=1)
    html = html.replace("</head>", OFFLINE_STYLE + "</head>", 1)
    return _BODY_OPEN.sub(lambda m: m[0] + banner, html, count=1)


def css_assets(site_dir: Path, css_path: str) -> set[str]:
    """Files a stylesheet points to with url(), relative to the stylesheet."""
    text = (site_dir / css_path).read_text(encoding="utf-8", errors="replace")
    found = set()
    for _, url in _CSS_URL.findall(text):
        target, _ = split_url(url.strip())
        if target and not _EXTERNAL.match(target):
            path = resolve(css_path, target)
            if path and (site_dir / path).is_file():
                found.add(path)
    return found


def start_page(schedule: Schedule) -> str:
    """The file a teacher opens first: it forwards to the programme page."""
    target = schedule.url + "index.html"
    title = f"Chào cờ đầu tuần năm học {schedule.id}"
    return (
        '<!doctype html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="0; url={escape(target)}">\n<title>{escape(title)}</title>\n</head>\n'
        f'<body>\n<p><a href="{escape(target)}">{escape(title)}</a></p>\n</body>\n</html>\n'
    )


def readme(schedule: Schedule, site_url: str, today: dt.date) -> str:
    lines = [
        f"Chào cờ đầu tuần năm học {schedule.id} — bản dùng không cần mạng",
        "",
        f"Mở tệp chao-co-{schedule.id}.html (nhấp đúp) để xem chương trình từng tuần,",
        "bài đọc và phiếu in một trang A4 của mỗi bài. Không cần kết nối mạng.",
        "Các liên kết khác (đơn vị, chuyên đề, tìm kiếm) cần mạng.",
        "",
        f"Bản lưu ngày {today:%d/%m/%Y}.",
    ]
    if site_url:
        lines.append(f"Bản mới nhất: {site_url}{schedule.url}")
    return "\r\n".join(lines) + "\r\n"  # CRLF: Notepad on older Windows shows it right


def build_offline_zip(site_dir: Path, schedule: Schedule, *, site_url: str, today: dt.date) -> bytes:
    """The zip of one school year's offline copy, from an already written site."""
    site_url = site_url.rstrip("/") + "/" if site_url else ""
    bundle = Bundle(pages=offline_pages(schedule), site_url=site_url)
    extra = {schedule.calendar_url}
    online = f' — bản mới nhất: <a href="{escape(site_url + schedule.url)}">{escape(site_url + schedule.url)}</a>' if site_url else ""
    banner = f'<div class="gs-offline" role="note">Bản dùng không cần mạng, lưu ngày {today:%d/%m/%Y}{online}</div>'
    for page in bundle.pages:
        html = (site_dir / page).read_text(encoding="utf-8")
        bundle.files[page] = rewrite_page(bundle, site_dir, page, html, extra, banner).encode("utf-8")
    pending = sorted(bundle.assets)
    while pending:
        asset = pending.pop()
        if asset.endswith(".css"):
            for more in sorted(css_assets(site_dir, asset) - bundle.assets):
                bundle.assets.add(more)
                pending.append(more)
    for asset in bundle.assets:
        bundle.files[asset] = (site_dir / asset).read_bytes()
    folder = f"chao-co-{schedule.id}/"
    entries = {folder + path: data for path, data in bundle.files.items()}
    entries[f"{folder}chao-co-{schedule.id}.html"] = start_page(schedule).encode("utf-8")
    entries[f"{folder}DOC-TRUOC.txt"] = readme(schedule, site_url, today).encode("utf-8")
    return write_zip(entries)


def write_zip(entries: dict[str, bytes]) -> bytes:
    """A zip whose bytes depend only on the entries: sorted, fixed time, mode and compression."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = ZIP_MODE
            archive.writestr(info, entries[name], compresslevel=6)
    return buffer.getvalue()


def write_offline_copies(cat: Catalogue, site_dir: Path, site_url: str) -> list[Path]:
    """One zip per school year the site shows, next to its programme page."""
    written = []
    for year in school_years(cat):
        schedule = build_schedule(cat, year)
        target = site_dir / schedule.offline_url
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(build_offline_zip(site_dir, schedule, site_url=site_url, today=cat.today))
        written.append(target)
    return written


# -- a whole site for file:// (the pull request's preview) -------------------

DISK_BANNER = (
    '<div class="gs-offline" role="note">Bản xem trước mở từ ổ đĩa: bấm liên kết để đi giữa các trang;'
    " ô tìm kiếm không dùng được ở bản này.</div>"
)


def copy_site_for_disk(site_dir: Path, out_dir: Path) -> int:
    """Write into out_dir a copy of a built site that opens from disk (file://), as the
    offline copy does: every link to a page of the site names its index.html, the
    search box is hidden, every other file is copied as it is. Returns the pages written.

    For staff who download the pull request's preview and have no web server to
    run: they open index.html with a double click."""
    pages = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html") if p.is_file()}  # looked up once a link
    bundle = Bundle(pages=pages, site_url="")
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        target = out_dir / rel
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif rel in bundle.pages:
            html = path.read_text(encoding="utf-8")
            target.write_text(rewrite_page(bundle, site_dir, rel, html, set(), DISK_BANNER), encoding="utf-8")
        elif path.is_file():
            shutil.copyfile(path, target)
    return len(pages)


@click.command("offline-copy")
@click.argument("site", type=click.Path(file_okay=False, path_type=Path))
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
def command(site: Path, out: Path) -> None:
    """Chép trang đã dựng SITE sang thư mục OUT để mở thẳng từ ổ đĩa (nhấp đúp index.html), không cần máy chủ web.

    Dùng cho bản xem trước của pull request. Ô tìm kiếm bị ẩn vì không chạy được từ ổ đĩa.
    """
    site, out = site.resolve(), out.resolve()
    if not (site / "index.html").is_file():
        click.echo(f"Lỗi: {site} không phải trang đã dựng (không có index.html); chạy mkdocs build trước.", err=True)
        sys.exit(2)
    if out == site or site in out.parents or (out.exists() and any(out.iterdir())):
        click.echo(f"Lỗi: thư mục đích {out} phải là thư mục mới hoặc rỗng, và nằm ngoài {site}.", err=True)
        sys.exit(2)
    count = copy_site_for_disk(site, out)
    click.echo(f"Đã chép {count} trang sang {out}; mở {out / 'index.html'} trong trình duyệt.", err=True)
