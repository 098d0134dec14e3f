"""`guongsang diff`: what a change does to the public site, as Markdown for a pull-request comment."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
from markupsafe import Markup

from . import fields as F
from .catalogue import Catalogue, build_catalogue
from .check import CheckResult, check_content
from .fixer import content_files, fix_files, fix_problems
from .models import Honor, Story, Unit
from .problems import ERROR, Problem
from .redirects import old_urls
from .render import make_env
from .site import build_today
from .options import root_option
from .parallel import parallel_possible

MARKER = "<!-- guongsang-diff -->"  # lets the workflow find and update its own comment
# Text that GitHub would read as Markdown or HTML: escaped, quotes left readable.
_GH_SPECIAL = re.compile(r"([\\`*_{}\[\]()!|#~<>&])")
_GH_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
MAX_PROBLEMS = 100  # a pull-request comment has a size limit; the check step lists them all
MIN_BODY_MATCH = 200  # characters of body that make two files the same story under two names
# How alike two story files must be for git to call one a rename of the other. Above
# git's 50 %: unrelated short stories share most of their front matter.
RENAME_SIMILARITY = "60%"
STORIES_DIR = "content/stories"

# Story fields compared for "changed", with their front-matter names.
_STORY_FIELD_NAMES = {"body": "thân bài", "personal_data_reviewed": "personal_data_exception"}
_NOT_COMPARED = {"path", "body_line", "words", "year", "slug"}


class DiffError(Exception):
    """The comparison cannot be made (unknown ref, not a git repository); message in Vietnamese."""


# -- reading the base --------------------------------------------------------


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise DiffError("Không tìm thấy lệnh git.") from None
    if done.returncode != 0:
        raise DiffError(f"git {' '.join(args)}: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


def extract_ref(root: Path, ref: str, dest: Path) -> Path:
    """Write content/ and docs/ as they are at ref into dest; return the project root inside it."""
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except DiffError:
        raise DiffError(f"Không có phiên bản git '{ref}' (nhánh, thẻ hay mã commit).") from None
    # Paths are given from the top of the repository: the project may live in a subfolder.
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    wanted = [f"{prefix}{name}" for name in ("content", "docs")]
    present = _git(top, "ls-tree", "--name-only", ref, "--", *wanted).decode().splitlines()
    base = dest / prefix if prefix else dest
    base.mkdir(parents=True, exist_ok=True)
    if present:
        archive = _git(top, "archive", "--format=tar", ref, "--", *present)
        try:
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                # The "data" filter refuses links and paths that leave dest.
                tar.extractall(dest, filter="data")
        except tarfile.TarError as error:
            raise DiffError(f"Không đọc được nội dung của '{ref}': {error}") from None
    return base


# -- comparing ---------------------------------------------------------------


@dataclass(frozen=True)
class PublicPage:
    url: str
    kind: str  # story, handout, alias, withdrawn, unit, directive, programme, page (docs/)
    title: str
    path: str


@dataclass(frozen=True)
class Snapshot:
    """One side of the comparison: the checked content and what the public sees of it."""

    result: CheckResult
    catalogue: Catalogue
    pages: dict[str, PublicPage] = dataclasses.field(default_factory=dict)  # docs/ pages by URL


def take_snapshot(root: Path, today: dt.date) -> Snapshot:
    result = check_content(root, today=today, parallel=parallel_possible())
    return Snapshot(result, build_catalogue(result.content, today=today), docs_pages(root))


def docs_url(rel: str) -> str:
    """The address MkDocs gives docs/<rel> (directory URLs): a.md → a/, a/index.md → a/."""
    stem = rel[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def docs_pages(root: Path) -> dict[str, PublicPage]:
    """The hand-written pages of docs/ (nav pages, documents): their URLs are published too."""
    docs = root / "docs"
    if not docs.is_dir():
        return {}
    pages = {}
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        pages[docs_url(rel)] = PublicPage(docs_url(rel), "page", rel, f"docs/{rel}")
    return pages


def public_pages(cat: Catalogue, docs: dict[str, PublicPage] | None = None) -> dict[str, PublicPage]:
    """Every URL of the public site that content owns, with what owns it; docs/ pages
    (from docs_pages) where no content page takes the URL."""
    pages: dict[str, PublicPage] = {}
    for story in cat.stories:
        pages[story.url] = PublicPage(story.url, "story", story.title, story.path)
        pages[story.handout_url] = PublicPage(story.handout_url, "handout", story.title, story.path)
    for story in cat.withdrawn:  # the address answers with the notice of withdrawal; its handout's leads there
        pages[story.url] = PublicPage(story.url, "withdrawn", story.title, story.path)
        pages[story.handout_url] = PublicPage(story.handout_url, "withdrawn", story.title, story.path)
    for story in (*cat.stories, *cat.withdrawn):
        for url, _target in old_urls(story):  # the redirects the build writes
            kind = "handout" if url.startswith("in/") else "alias"
            pages.setdefault(url, PublicPage(url, kind, story.title, story.path))
    for unit in cat.units.values():
        pages[unit.url] = PublicPage(unit.url, "unit", unit.name, unit.path)
    for directive in cat.directives.values():
        pages[directive.url] = PublicPage(directive.url, "directive", directive.number, directive.path)
    for programme in cat.content.programmes:
        pages[programme.url] = PublicPage(programme.url, "programme", programme.id, programme.path)
    for url, page in (docs or {}).items():
        pages.setdefault(url, page)
    return dict(sorted(pages.items()))


@dataclass(frozen=True)
class Move:
    """A published story now at another URL: the old one must redirect."""

    story: Story  # as it is now
    old_url: str
    redirected: bool


@dataclass(frozen=True)
class HonorLine:
    honor: Honor
    unit_label: str


@dataclass(frozen=True)
class UnitChange:
    unit: Unit
    text: str


@dataclass(frozen=True)
class Unpublished:
    """A story added or changed that the public site does not show yet: the reviewer's work."""

    story: Story
    state: str  # "bản nháp", "đang duyệt", "hẹn đăng dd/mm/yyyy"
    fields: tuple[str, ...]  # changed fields; () for a new story


@dataclass(frozen=True)
class FileChange:
    """A file of content/ or docs/ that differs from the base: topics, directives,
    commemorations, programme, settings, a docs page, or a story or unit whose change
    no section names."""

    path: str
    state: str  # "thêm", "sửa", "xóa", "đổi tên từ <old>"


_GIT_STATES = {"A": "thêm", "M": "sửa", "D": "xóa", "T": "sửa"}


def _name_status(raw: bytes) -> list[tuple[str, str, str]]:
    """`git diff --name-status -z` read: (status, old path, new path); a rename or copy
    (R…, C…) names two paths, anything else one (then old == new)."""
    fields = raw.decode("utf-8", "replace").split("\0")
    entries: list[tuple[str, str, str]] = []
    i = 0
    while i < len(fields) - 1:
        status = fields[i]
        if status.startswith(("R", "C")):
            entries.append((status, fields[i + 1], fields[i + 2]))
            i += 3
        else:
            entries.append((status, fields[i + 1], fields[i + 1]))
            i += 2
    return entries


def changed_files(root: Path, ref: str) -> list[FileChange]:
    """Files under content/ and docs/ of the working tree that differ from ref, new
    (not yet added) files included, ignored ones not: git's own view of the change."""
    out = _git(root, "-c", "core.quotepath=off", "diff", "--relative", "--name-status", "-z", "--find-renames", ref, "--", "content", "docs")
    changes = [
        FileChange(new, f"đổi tên từ {old}" if status.startswith(("R", "C")) else _GIT_STATES.get(status[:1], "sửa"))
        for status, old, new in _name_status(out)
    ]
    new = _git(root, "-c", "core.quotepath=off", "ls-files", "--others", "--exclude-standard", "-z", "--", "content", "docs")
    changes += [FileChange(path, "thêm") for path in new.decode("utf-8", "replace").split("\0") if path]
    return sorted(changes, key=lambda c: c.path)


@dataclass(frozen=True)
class SiteDiff:
    base: str
    today: dt.date
    stories_added: tuple[Story, ...] = ()
    stories_changed: tuple[tuple[Story, tuple[str, ...]], ...] = ()
    stories_moved: tuple[Move, ...] = ()
    stories_removed: tuple[Story, ...] = ()
    stories_withdrawn: tuple[Story, ...] = ()
    stories_unpublished: tuple[Unpublished, ...] = ()  # not a change of the public site
    honors_added: tuple[HonorLine, ...] = ()
    honors_revoked: tuple[HonorLine, ...] = ()
    honors_removed: tuple[HonorLine, ...] = ()
    units_added: tuple[Unit, ...] = ()
    units_renamed: tuple[UnitChange, ...] = ()
    units_ended: tuple[UnitChange, ...] = ()
    units_removed: tuple[Unit, ...] = ()
    lost_urls: tuple[str, ...] = ()
    other_files: tuple[FileChange, ...] = ()  # changed under content/ and docs/, in no section above
    problems: tuple[Problem, ...] = ()

    @property
    def changes_site(self) -> bool:
        return any(
            (self.stories_added, self.stories_changed, self.stories_moved, self.stories_removed, self.stories_withdrawn, self.honors_added,
             self.honors_revoked, self.honors_removed, self.units_added, self.units_renamed, self.units_ended,
             self.units_removed, self.lost_urls, self.other_files)
        )


def changed_fields(old: Story, new: Story) -> tuple[str, ...]:
    names = []
    for f in dataclasses.fields(Story):
        if f.name in _NOT_COMPARED:
            continue
        if getattr(old, f.name) != getattr(new, f.name):
            names.append(_STORY_FIELD_NAMES.get(f.name, f.name))
    return tuple(names)


def _same_long_body(a: Story, b: Story) -> bool:
    # A short body ("Đang cập nhật.") says nothing about being the same story.
    return len(a.body.strip()) >= MIN_BODY_MATCH and a.body.strip() == b.body.strip()


def find_moves(removed: list[Story], added: list[Story], renames: dict[str, str] | None = None) -> list[Move]:
    """Removed stories that reappear under another URL: named in an alias; else the file git
    sees as renamed (renames: old path → new path); else one with the same title or body."""
    moves: dict[str, Move] = {}
    unclaimed = {s.path: s for s in added}

    def pair(old: Story, new: Story | None, redirected: bool) -> None:
        if new is not None and old.url not in moves and new.path in unclaimed:
            del unclaimed[new.path]
            moves[old.url] = Move(new, old.url, redirected)

    for old in removed:
        pair(old, next((s for s in unclaimed.values() if old.url in {a.strip("/") + "/" for a in s.aliases}), None), True)
    for old in removed:
        pair(old, unclaimed.get((renames or {}).get(old.path, "")), False)
    for old in removed:
        if old.url not in moves:
            pair(old, next((s for s in unclaimed.values() if s.title == old.title or _same_long_body(s, old)), None), False)
    return [moves[s.url] for s in removed if s.url in moves]


def story_renames(base_root: Path, head_root: Path) -> dict[str, str]:
    """Story files git sees as renamed between two project trees: old path → new path.

    `git diff --no-index` compares the folders themselves, so files not yet
    committed (or added to git) count as well.
    """
    old_dir, new_dir = base_root / STORIES_DIR, head_root / STORIES_DIR
    if not (old_dir.is_dir() and new_dir.is_dir()):
        return {}
    args = ["git", "-c", "core.quotepath=off", "diff", "--no-index", "--no-ext-diff", "--no-color", f"--find-renames={RENAME_SIMILARITY}",
            "--name-status", "-z", "--", str(old_dir), str(new_dir)]
    try:
        done = subprocess.run(args, capture_output=True, check=False)
    except FileNotFoundError:
        raise DiffError("Không tìm thấy lệnh git.") from None
    if done.returncode not in (0, 1):  # 1: the folders differ
        raise DiffError(f"git diff --no-index: {done.stderr.decode('utf-8', 'replace').strip()}")
    return {
        f"{STORIES_DIR}/{Path(old).relative_to(old_dir).as_posix()}": f"{STORIES_DIR}/{Path(new).relative_to(new_dir).as_posix()}"
        for status, old, new in _name_status(done.stdout)
        if status.startswith("R")
    }


def _honors(cat: Catalogue) -> dict[str, Honor]:
    out: dict[str, Honor] = {}
    for honor in sorted(cat.honors, key=lambda h: (h.key, h.index)):
        key, n = honor.key, 2
        while key in out:  # two honors alike in every identifying field
            key, n = f"{honor.key}#{n}", n + 1
        out[key] = honor
    return out


def _unit_label(cat: Catalogue, unit_id: str) -> str:
    unit = cat.units.get(unit_id)
    return unit.name if unit else unit_id


def _ending(cat: Catalogue, unit: Unit) -> str:
    # valid_to is the unit's last day: what follows starts the day after, as its page says.
    when = f" từ {unit.valid_to + dt.timedelta(days=1):%d/%m/%Y}" if unit.valid_to else ""
    if unit.ended_by == "sap-nhap":
        return f"sáp nhập vào {_unit_label(cat, unit.successor)}{when}"
    if unit.ended_by == "doi-ten":
        return f"đổi tên thành {_unit_label(cat, unit.successor)}{when}"
    return f"giải thể{when}"


WITHDRAW_HINT = "gỡ bài bằng 'status: withdrawn' kèm 'withdrawal' (ngày, lý do, người quyết định): địa chỉ còn lại một thông báo đã gỡ"


def lost_story_problem(page: PublicPage, held: Story | None) -> Problem:
    """GS702 for a story no longer on the site, with the advice its case needs."""
    url = page.url
    if held is not None and held.status in ("draft", "review"):
        return Problem(
            held.path, 0, "status", "GS702", f"Bài '{page.title}' ({url}) đã công bố nhưng bị chuyển lại thành {held.status}",
            f"Bài đã công bố không trở lại bản nháp: giữ 'status: published' (sai sót thì sửa và ghi 'corrections'), hoặc {WITHDRAW_HINT}.",
        )
    if held is not None:
        return Problem(
            held.path, 0, "date", "GS702", f"Bài '{page.title}' ({url}) đã công bố nhưng ngày đăng bị dời sang {held.date:%d/%m/%Y}",
            f"Giữ ngày đăng cũ; muốn thôi đăng thì {WITHDRAW_HINT}.",
        )
    return Problem(
        page.path, 0, "", "GS702", f"Bài '{page.title}' ({url}) đã công bố nhưng tệp bị xóa",
        f"Đừng xóa bài đã công bố: khôi phục tệp và {WITHDRAW_HINT}. Nếu bài chuyển sang tệp khác, thêm '{url}' vào 'aliases' của bài đó.",
    )


def lost_url_problems(
    base: Catalogue, head: Catalogue, moves: list[Move] | None = None, renames: dict[str, str] | None = None,
    *, docs: tuple[dict[str, PublicPage], dict[str, PublicPage]] = ({}, {}),
) -> list[Problem]:
    """GS702: every URL the base published that the head neither serves nor redirects
    (docs: the docs/ pages of base and head)."""
    before, after = public_pages(base, docs[0]), public_pages(head, docs[1])
    if moves is None:
        removed = [s for s in base.stories if s.url not in after]
        added = [s for s in head.stories if s.id not in base.story_by_id]
        moves = find_moves(removed, added, renames)
    moved_to = {m.old_url: m.story for m in moves}
    base_stories = {s.url: s for s in base.stories}
    held = {s.id: s for s in head.held_back}
    problems = []
    for url, page in before.items():
        if url in after or page.kind == "handout":  # a handout goes with its story: one problem for both
            continue
        if url in moved_to:
            story = moved_to[url]
            problems.append(
                Problem(story.path, 0, "aliases", "GS702", f"Bài đổi đường dẫn từ '{url}' sang '{story.url}' nhưng đường dẫn cũ không được chuyển hướng", f"Thêm vào phần đầu: aliases: [{url}]")
            )
        elif page.kind == "story":
            problems.append(lost_story_problem(page, held.get(base_stories[url].id)))
        elif page.kind == "alias":
            problems.append(Problem(page.path, 0, "aliases", "GS702", f"Đường dẫn cũ '{url}' của bài '{page.title}' không còn được chuyển hướng", f"Giữ '{url}' trong 'aliases' của bài."))
        elif page.kind == "unit":
            problems.append(Problem(page.path, 0, "", "GS702", f"Đơn vị '{page.title}' bị xóa nên trang {url} mất", "Giữ tệp đơn vị; ghi vòng đời (valid_to, ended_by, successor) thay vì xóa."))
        elif page.kind == "page":
            problems.append(
                Problem(
                    page.path, 0, "", "GS702", f"Trang {url} (tệp {page.path}) không còn",
                    f"Khôi phục {page.path}; nếu trang đã chuyển chỗ, để lại ở đó một trang ngắn báo địa chỉ mới, kèm liên kết.",
                )
            )
        else:
            problems.append(Problem(page.path, 0, "", "GS702", f"Trang {url} ({page.title}) không còn"))
    return problems


def unpublished_changes(base: Snapshot, head: Snapshot) -> list[Unpublished]:
    """Stories held back at the head (draft, review, future) that are new or changed, and were not public at the base."""
    before = {s.id: s for s in base.result.content.stories}
    out = []
    for story in sorted(head.catalogue.held_back, key=lambda s: s.id):
        if story.id in base.catalogue.story_by_id:
            continue  # public before: reported as a lost URL
        old = before.get(story.id)
        fields = changed_fields(old, story) if old is not None else ()
        if old is None or fields:
            out.append(Unpublished(story, head.catalogue.held_back_label(story), fields))
    return out


def _covered_paths(diff: SiteDiff, base: Catalogue, head: Catalogue) -> set[str]:
    """The files whose change a section of the summary already tells."""
    paths = {s.path for s in (*diff.stories_added, *diff.stories_removed, *diff.stories_withdrawn)}
    paths |= {s.path for s, _ in diff.stories_changed} | {u.story.path for u in diff.stories_unpublished}
    for move in diff.stories_moved:
        paths.add(move.story.path)
        old = next((s for s in base.stories if s.url == move.old_url), None)
        if old is not None:
            paths.add(old.path)
    paths |= {u.path for u in (*diff.units_added, *diff.units_removed)} | {c.unit.path for c in (*diff.units_renamed, *diff.units_ended)}
    for line in (*diff.honors_added, *diff.honors_revoked, *diff.honors_removed):
        unit = head.units.get(line.honor.unit_id) or base.units.get(line.honor.unit_id)
        if unit is not None:
            paths.add(unit.path)
    return paths


def compare(
    base: Snapshot, head: Snapshot, *, base_label: str, today: dt.date, renames: dict[str, str] | None = None,
    files: list[FileChange] | None = None, file_problems: list[Problem] | None = None,
) -> SiteDiff:
    """What the head changes on the public site. files: what git sees changed under
    content/ and docs/; file_problems: `guongsang fix --check`'s (GS113), which fail the
    pull request as the checker's do."""
    b, h = base.catalogue, head.catalogue
    withdrawn_now = {s.id for s in h.withdrawn}
    withdrawn = [s for s in h.withdrawn if s.id in b.story_by_id]  # public at the base, withdrawn now
    removed = [s for s in b.stories if s.id not in h.story_by_id and s.id not in withdrawn_now]
    added = [s for s in h.stories if s.id not in b.story_by_id]
    moves = find_moves(removed, added, renames)
    moved_new = {m.story.id for m in moves}
    moved_old = {m.old_url for m in moves}
    changed = []
    for story in h.stories:
        old = b.story_by_id.get(story.id)
        if old is not None:
            fields = changed_fields(old, story)
            if fields:
                changed.append((story, fields))

    bh, hh = _honors(b), _honors(h)
    honors_added = [HonorLine(x, _unit_label(h, x.unit_id)) for k, x in hh.items() if k not in bh]
    honors_revoked = [HonorLine(x, _unit_label(h, x.unit_id)) for k, x in hh.items() if k in bh and x.revoked and not bh[k].revoked]
    honors_removed = [HonorLine(x, _unit_label(b, x.unit_id)) for k, x in bh.items() if k not in hh]

    units_renamed, units_ended = [], []
    for unit in h.units.values():
        old_unit = b.units.get(unit.id)
        if old_unit is None:
            continue
        if old_unit.name != unit.name:
            units_renamed.append(UnitChange(unit, old_unit.name))
        if unit.ended_by and (old_unit.ended_by, old_unit.successor, old_unit.valid_to) != (unit.ended_by, unit.successor, unit.valid_to):
            units_ended.append(UnitChange(unit, _ending(h, unit)))

    before, after = public_pages(b, base.pages), public_pages(h, head.pages)
    lost = lost_url_problems(b, h, moves, docs=(base.pages, head.pages))
    problems = sorted(head.result.problems + lost + list(file_problems or ()), key=Problem.sort_key)
    honor_order = lambda line: (line.unit_label.casefold(), line.honor.key)  # noqa: E731
    diff = SiteDiff(
        base=base_label,
        today=today,
        stories_added=tuple(s for s in added if s.id not in moved_new),
        stories_changed=tuple(changed),
        stories_moved=tuple(sorted(moves, key=lambda m: m.old_url)),
        stories_removed=tuple(s for s in removed if s.url not in moved_old),
        stories_withdrawn=tuple(withdrawn),
        stories_unpublished=tuple(unpublished_changes(base, head)),
        honors_added=tuple(sorted(honors_added, key=honor_order)),
        honors_revoked=tuple(sorted(honors_revoked, key=honor_order)),
        honors_removed=tuple(sorted(honors_removed, key=honor_order)),
        units_added=tuple(u for uid, u in h.units.items() if uid not in b.units),
        units_renamed=tuple(units_renamed),
        units_ended=tuple(units_ended),
        units_removed=tuple(u for uid, u in b.units.items() if uid not in h.units),
        lost_urls=tuple(url for url in before if url not in after),
        problems=tuple(problems),
    )
    covered = _covered_paths(diff, b, h)
    return dataclasses.replace(diff, other_files=tuple(f for f in files or () if f.path not in covered))


def diff_against(root: Path, ref: str, *, today: dt.date) -> SiteDiff:
    """Compare the working tree under root with the content at git ref, both as of today."""
    with tempfile.TemporaryDirectory(prefix="guongsang-diff-") as tmp:
        base_root = extract_ref(root, ref, Path(tmp))
        base = take_snapshot(base_root, today)
        renames = story_renames(base_root, root)
    # Format problems (GS113) of the files the change touches: the others were read and
    # passed when they came in; reading every file again would double the command's work.
    changed = changed_files(root, ref)
    touched = tuple(c.path for c in changed if (root / c.path).is_file())
    file_problems = fix_problems(fix_files(root, content_files(root, touched), write=False)) if touched else []
    return compare(base, take_snapshot(root, today), base_label=ref, today=today, renames=renames, files=changed, file_problems=file_problems)


def lost_urls_since(root: Path, ref: str, *, today: dt.date) -> list[Problem]:
    """GS702 problems of the working tree against ref: what `guongsang check --base` adds."""
    with tempfile.TemporaryDirectory(prefix="guongsang-diff-") as tmp:
        base_root = extract_ref(root, ref, Path(tmp))
        base = take_snapshot(base_root, today)
        renames = story_renames(base_root, root)
    head = take_snapshot(root, today)
    return lost_url_problems(base.catalogue, head.catalogue, renames=renames, docs=(base.pages, head.pages))


# -- writing -----------------------------------------------------------------


def honor_text(line: HonorLine) -> str:
    h = line.honor
    form = dict(zip(F.HONOR_FORMS, F.HONOR_FORM_LABELS)).get(h.form, h.form)
    level = dict(zip(F.LEVELS, F.LEVEL_LABELS)).get(h.level, h.level).lower()
    who = f" ({h.person})" if h.person else ""
    decision = f", quyết định {h.decision.number}" if h.decision else ""
    revoked = f", thu hồi theo quyết định {h.revoked_by.number}" if h.revoked and h.revoked_by else ""
    return f"{line.unit_label}{who}: {h.title} — {form} {level} năm {h.year}{decision}{revoked}"


def gh_text(value: object) -> Markup:
    """Content text for one line of a GitHub comment: no formatting, links or HTML survive."""
    text = " ".join(str(value).split())
    return Markup(_GH_SPECIAL.sub(lambda m: _GH_ENTITIES.get(m.group(1), "\\" + m.group(1)), text))


def render_markdown(diff: SiteDiff) -> str:
    errors = [p for p in diff.problems if p.severity == ERROR]
    env = make_env()
    env.filters["gh"] = gh_text
    return env.get_template("guide_diff.md").render(
        marker=Markup(MARKER),
        d=diff,
        honor_text=honor_text,
        errors=len(errors),
        warnings=len(diff.problems) - len(errors),
        shown=diff.problems[:MAX_PROBLEMS],
        hidden=max(0, len(diff.problems) - MAX_PROBLEMS),
    )


@click.command("diff")
@click.argument("base_ref", metavar="BASE_REF")
@root_option
def command(base_ref: str, root: Path) -> None:
    """Tóm tắt (Markdown) thay đổi trên trang công khai so với bản git BASE_REF, để dán vào pull request."""
    project = root
    try:
        diff = diff_against(project, base_ref, today=build_today())
    except DiffError as error:
        click.echo(f"Lỗi: {error}", err=True)
        sys.exit(2)
    click.echo(render_markdown(diff), nl=False)
