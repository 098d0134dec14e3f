"""Work on a second core (guongsang.parallel, guongsang.offload): the same site, file for file,
and a worker that fails never costs the build its result or hides the error."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bench.bench import make_ours
from conftest import FIXED_EPOCH, copy_project, files_of, mkdocs_build

from guongsang import parallel
from guongsang.parallel import JOBS_ENV, PAGES, Worker, claim, give_up, parallel_possible, put, scratch_root

needs_fork = pytest.mark.skipif(not parallel_possible({}), reason="no fork or a single core")


@needs_fork
def test_results_come_back_by_key_as_the_worker_leaves_them() -> None:
    parent = os.getpid()

    def work(folder: Path) -> None:
        for n in range(3):
            put(folder, f"{PAGES}-{n}", {"n": n, "worker": os.getpid() != parent})

    worker = Worker(work)
    assert [worker.result(f"{PAGES}-{n}", PAGES) for n in range(3)] == [{"n": n, "worker": True} for n in range(3)]
    worker.finish()
    assert not worker.folder.exists()


@needs_fork
def test_a_piece_of_work_goes_to_whoever_claims_it_first() -> None:
    def work(folder: Path) -> None:
        put(folder, "mine", [claim(folder, f"x-{n}") for n in range(3)])

    worker = Worker(work)
    taken_here = worker.claim("x-1")
    worker_took = worker.result("mine", "mine")
    worker.finish()
    assert worker_took[0] and worker_took[2]
    assert taken_here != worker_took[1]  # one of the two, never both


@needs_fork
def test_a_result_the_worker_gave_up_on_is_none_without_waiting_for_it_to_end() -> None:
    def work(folder: Path) -> None:
        put(folder, f"{PAGES}-0", "đã làm")
        give_up(folder, PAGES)
        put(folder, "handouts", ["in/a/index.html"])

    worker = Worker(work)
    assert worker.result(f"{PAGES}-0", PAGES) == "đã làm"
    assert worker.result(f"{PAGES}-1", PAGES) is None
    assert worker.result("handouts", "handouts") == ["in/a/index.html"]
    worker.finish()


@needs_fork
def test_a_worker_that_dies_or_fails_leaves_nothing_to_wait_for() -> None:
    def dies(folder: Path) -> None:
        os._exit(3)  # killed, out of memory, …: no answer at all

    def fails(folder: Path) -> None:
        raise ValueError("lỗi")

    for work in (dies, fails):
        worker = Worker(work)
        assert worker.result("handouts", "handouts") is None
        worker.finish()


@needs_fork
def test_a_failed_build_stops_the_worker_and_clears_its_folder() -> None:
    def slow(folder: Path) -> None:
        import time

        time.sleep(60)

    worker = Worker(slow)
    worker.stop()
    assert not worker.process.is_alive() and not worker.folder.exists()


def test_the_workers_folders_go_to_memory_when_there_is_room(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    roomy = tmp_path / "shm"
    roomy.mkdir()
    monkeypatch.setattr(parallel, "SHM_ROOM", 1)  # whatever the test machine's free space
    assert scratch_root({}, shm=roomy) == str(roomy)
    assert scratch_root({"TMPDIR": str(tmp_path)}, shm=roomy) is None  # the user's choice wins
    assert scratch_root({}, shm=tmp_path / "none") is None  # no /dev/shm (not Linux)
    roomy.chmod(0o500)
    try:
        if not os.access(roomy, os.W_OK):  # root may write anywhere
            assert scratch_root({}, shm=roomy) is None
    finally:
        roomy.chmod(0o700)
    stat = os.statvfs(roomy)
    monkeypatch.setattr(parallel, "SHM_ROOM", stat.f_bavail * stat.f_frsize * 2)  # a small /dev/shm (Docker's 64 MB)
    assert scratch_root({}, shm=roomy) is None


def test_a_worker_folder_is_made_where_scratch_root_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "scratch_root", lambda: str(tmp_path))
    worker = Worker(lambda folder: None)
    try:
        assert worker.folder.parent == tmp_path
    finally:
        worker.finish()
    assert not worker.folder.exists()


def test_the_board_can_switch_the_second_core_off() -> None:
    assert not parallel_possible({JOBS_ENV: "1"})


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_ours(tmp_path_factory.mktemp("corpus") / "project", 60, units=20)


@needs_fork
@pytest.mark.parametrize("which", ["shipped", "corpus"])
def test_a_build_with_the_worker_is_the_build_without_it(which: str, root: Path, corpus: Path, tmp_path: Path) -> None:
    project = root if which == "shipped" else corpus
    with_worker, without = tmp_path / "with", tmp_path / "without"
    done = mkdocs_build(project, with_worker)
    assert done.returncode == 0
    assert "Page skipped" not in done.stdout + done.stderr  # the pages the worker wrote are not said to be skipped
    assert mkdocs_build(project, without, env={JOBS_ENV: "1"}).returncode == 0
    made, expected = files_of(with_worker), files_of(without)
    assert made.keys() == expected.keys()
    assert [name for name in made if made[name] != expected[name]] == []
    assert any(name.startswith("in/") for name in made)  # the handouts, from the worker


# Rich Markdown in story bodies: what handout.printable_from_page turns from page HTML
# into print HTML (headings, links, lists, tables, definitions, notes, quotes), and what
# it leaves to Markdown (raw HTML, images, footnotes, attribute lists, a cut story).
RICH_BODIES = {
    "tieu-de-va-lien-ket": (
        "Mở đầu có **chữ đậm**, *nghiêng*, dấu & và \"ngoặc kép\" cùng [một liên kết](https://example.vn/a \"tiêu đề\").\n\n"
        "## Cách làm của [chi bộ](bai-viet/2017/bot-hop-dai-them-viec-lam.md)\n\n- Một việc.\n- Hai việc:\n    1. nhỏ;\n    2. lớn.\n\n"
        "## Cách làm\n\n> Lời người dân kể lại.\n\nKết quả\n------\n\n| Năm | Số hộ |\n|---|---:|\n| 2016 | 120 |\n\n"
        "Thôn Đông\n:   nơi bắt đầu.\n\n!!! note \"Ghi nhớ\"\n    Việc nhỏ làm đều.\n\n***\n\nDòng một  \ndòng hai, [tham chiếu][r].\n\n[r]: https://example.vn/r"
    ),
    "ma-va-lien-ket": "Viết `[a](b)` và `a < b` trong mã, [một liên kết](https://example.vn).\n\n```\nkhối mã\n```",
    "co-html-va-chu-thich": "Đoạn có chú thích[^1] và <em>HTML</em>.\n\n## Mục {#muc-rieng}\n\n![Ảnh](assets/anh.png)\n\n[^1]: Lời chú thích.",
}


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Path:
    project = copy_project(tmp_path_factory.mktemp("rich") / "project")
    model = (root / "content/stories/2017/bao-hiem-xa-hoi-huyen-tan-tinh-voi-tung-ho-so-cua-dan.md").read_text(encoding="utf-8")
    front = model[: model.index("\n---\n", 4) + 5]
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
    (project / "docs/assets/anh.png").write_bytes(png)
    for slug, body in RICH_BODIES.items():
        title = f"title: \"Bài thử {slug}\""
        text = re.sub(r"^title: .*$", title, front, count=1, flags=re.M) + "\n" + body + "\n"
        (project / f"content/stories/2017/{slug}.md").write_text(text, encoding="utf-8")
    return project


# Handouts only with the pages: the handout worker and the end of the build make none.
HANDOUTS_WITH_PAGES_ONLY = """
import sys
import guongsang.handout as handout
import guongsang.site as site
site.SiteBuild._write_handouts = lambda self, take: None
from_page, printable = [], handout.printable_from_page
handout.printable_from_page = lambda story, body: (lambda made: from_page.append(made is not None) or made)(printable(story, body))
from mkdocs.__main__ import cli
try:
    cli(["build", "--strict", "-f", sys.argv[1], "-d", sys.argv[2]])
finally:
    print(sum(from_page), len(from_page))
"""


@needs_fork
@pytest.mark.parametrize("which", ["shipped", "rich"])
def test_handouts_made_with_the_pages_are_the_handouts(which: str, root: Path, rich: Path, tmp_path: Path) -> None:
    project = root if which == "shipped" else rich
    with_pages, without = tmp_path / "with", tmp_path / "without"
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-c", HANDOUTS_WITH_PAGES_ONLY, str(project / "mkdocs.yml"), str(with_pages)],
                          capture_output=True, text=True, env=env, cwd=project)
    assert done.returncode == 0, done.stderr[-3000:]
    # Every story page asked for its handout; in the parent and the worker alike.
    assert mkdocs_build(project, without, env={JOBS_ENV: "1"}).returncode == 0
    made, expected = files_of(with_pages), files_of(without)
    handouts = sorted(name for name in expected if name.startswith("in/") and name.endswith("/index.html") and b"gs-qr" in expected[name])
    assert len(handouts) >= 18
    assert [name for name in handouts if made.get(name) != expected[name]] == []
    counted = [int(n) for n in done.stdout.split()[-2:]]
    if which == "shipped":
        assert counted[0] > 0  # at least the parent's pages made theirs from the page (the worker's count stays in it)
    assert made.keys() == expected.keys()


def test_only_plain_markdown_is_made_from_the_page(rich: Path) -> None:
    import datetime as dt

    from guongsang.catalogue import build_catalogue
    from guongsang.check import check_content
    from guongsang.handout import printable_from_page

    result = check_content(rich, today=dt.date(2026, 11, 18))
    stories = {s.slug: s for s in build_catalogue(result.content, today=dt.date(2026, 11, 18)).stories}
    assert printable_from_page(stories["tieu-de-va-lien-ket"], "<p>x</p>") is not None
    assert printable_from_page(stories["co-html-va-chu-thich"], "<p>x</p>") is None
    assert printable_from_page(stories["ma-va-lien-ket"], "<p>x</p>") is None


# The build claims no page: the page worker renders every page it may (and builds it
# whole, unless told to fail from its n-th page on).
LEAVE_ALL_TO_THE_WORKER = """
import sys
import guongsang.offload as offload
import guongsang.parallel as parallel
parallel.Worker.claim = lambda self, key: False
rendered, built, fail_from = [], [], int(sys.argv[3])
apply, finish, build_page = offload.apply, offload.finish_page, offload._build_page
offload.apply = lambda r, page, files: rendered.append(page.file.src_uri) or apply(r, page, files)
offload.finish_page = lambda *args: (lambda done: built.append(done) or done)(finish(*args))
calls = []  # in the worker: MkDocs' _build_page for each page it builds whole

def failing(*args, **kwargs):
    calls.append(1)
    if len(calls) > fail_from >= 0:
        raise RuntimeError("hỏng")
    return build_page(*args, **kwargs)

offload._build_page = failing
from mkdocs.__main__ import cli
try:
    cli(["build", "--strict", "-q", "-f", sys.argv[1], "-d", sys.argv[2]])
finally:
    print(len(rendered), sum(built), len(built))
"""


@needs_fork
@pytest.mark.parametrize("fail_from", [-1, 0, 7])
def test_a_site_the_worker_rendered_alone_is_the_same(fail_from: int, corpus: Path, tmp_path: Path) -> None:
    """Whatever the worker rendered and built, or failed to build from some page on (the
    build then renders those itself), the site is the one built without it."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    script = [sys.executable, "-c", LEAVE_ALL_TO_THE_WORKER, str(corpus / "mkdocs.yml"), str(tmp_path / "worker"), str(fail_from)]
    done = subprocess.run(script, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    rendered, built, taken = map(int, done.stdout.strip().splitlines()[-1].split())
    assert rendered > 60 and taken == rendered  # every story page, and the generated pages outside the navigation
    assert built == (rendered if fail_from < 0 else fail_from)
    assert mkdocs_build(corpus, tmp_path / "alone", env={JOBS_ENV: "1"}).returncode == 0
    made, expected = files_of(tmp_path / "worker"), files_of(tmp_path / "alone")
    assert made.keys() == expected.keys()
    assert [name for name in made if made[name] != expected[name]] == []


@needs_fork
def test_a_page_the_worker_cannot_render_is_rendered_by_the_build_with_its_error(corpus: Path, tmp_path: Path) -> None:
    """A story whose rendering fails in MkDocs fails the build the same way with or without the worker."""
    broken = tmp_path / "broken"
    make_ours(broken, 12, units=20)
    config = broken / "mkdocs.yml"
    # A Markdown extension that raises on one story's text, in the build and in the worker alike.
    (broken / "boom.py").write_text(
        "import markdown\n"
        "class Boom(markdown.preprocessors.Preprocessor):\n"
        "    def run(self, lines):\n"
        "        if any('BOOM' in line for line in lines):\n"
        "            raise RuntimeError('không dựng được trang')\n"
        "        return lines\n"
        "class BoomExtension(markdown.Extension):\n"
        "    def extendMarkdown(self, md):\n"
        "        md.preprocessors.register(Boom(md), 'boom', 1)\n"
        "def makeExtension(**kwargs):\n"
        "    return BoomExtension(**kwargs)\n",
        encoding="utf-8",
    )
    config.write_text(config.read_text(encoding="utf-8").replace("markdown_extensions:\n", "markdown_extensions:\n  - boom\n", 1), encoding="utf-8")
    last = sorted((broken / "content" / "stories").rglob("*.md"))[-1]  # among the pages the worker renders
    last.write_text(last.read_text(encoding="utf-8") + "\nBOOM\n", encoding="utf-8")
    env = {"PYTHONPATH": str(broken) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    for extra in ({}, {JOBS_ENV: "1"}):
        done = mkdocs_build(broken, tmp_path / f"site{len(extra)}", env={**env, **extra})
        assert done.returncode != 0
        assert "không dựng được trang" in done.stdout + done.stderr


@needs_fork
def test_what_a_page_logs_in_the_worker_counts_in_the_build(tmp_path: Path) -> None:
    """MkDocs' warnings about a page the worker rendered reach the build: --strict fails on them."""
    project = make_ours(tmp_path / "project", 12, units=20)
    last = sorted((project / "content" / "stories").rglob("*.md"))[-1]  # among the pages the worker renders
    last.write_text(last.read_text(encoding="utf-8") + "\nXem [bài khác](khong-co-muc-nay.md).\n", encoding="utf-8")
    outputs = []
    for extra in ({}, {JOBS_ENV: "1"}):
        done = mkdocs_build(project, tmp_path / f"site{len(extra)}", env=extra)
        assert done.returncode != 0
        outputs.append([line for line in (done.stdout + done.stderr).splitlines() if "khong-co-muc-nay" in line or "Aborted" in line])
    assert outputs[0] == outputs[1] and len(outputs[0]) == 2


@needs_fork
def test_handouts_a_dead_worker_claimed_or_left_are_made_by_the_build(root: Path, tmp_path: Path) -> None:
    import datetime as dt

    from guongsang.site import HANDOUTS, SiteBuild

    today, site = dt.date(2026, 11, 18), tmp_path / "site"
    plain = SiteBuild(root=root, site_url="https://guongsang.example.org/", today=today, remember=False)
    expected = {out.uri: out.content for out in plain.run() if out.uri.startswith("in/") and out.uri.count("/") == 3}  # handouts, not the folders' redirects
    build = SiteBuild(root=root, site_url="https://guongsang.example.org/", today=today, remember=False, parallel=True, site_dir=str(site))
    build.run()
    assert build.catalogue is not None and build.handout_worker is not None
    build.stop_background()  # the handout worker stopped at any point: what it wrote, it wrote whole

    def claims_half_then_dies(folder: Path) -> None:
        for n in range(0, len(build.catalogue.stories), 2):
            claim(folder, f"{HANDOUTS}-{n}")
        os._exit(1)

    build.handout_worker = Worker(claims_half_then_dies)
    build.handout_worker.process.join()  # half the handouts claimed, none written, none made with a page
    build.finish_background()
    assert not list(site.rglob("*.part"))
    assert {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "in").rglob("*") if p.is_file()} == expected


# -- the checker's second process (check.check_content, parallel=True) ----------------


def _broken_corpus(dest: Path) -> Path:
    """A corpus with problems in both halves of its story files, and some between them."""
    project = make_ours(dest, 60, units=20)
    stories = sorted((project / "content" / "stories").glob("*/*.md"))
    first, last = stories[1], stories[-2]
    # A field problem and a text problem in each half.
    for path in (first, last):
        text = path.read_text(encoding="utf-8")
        text = text.replace("units: [", "units: [khong-co-don-vi, ", 1)
        path.write_text(text + "\nLiên hệ 0912 345 678 để biết thêm.\n", encoding="utf-8")
    # A story whose front matter does not parse, one that is not UTF-8, one without its
    # required fields (its text is still checked), one an old address of another.
    stories[3].write_text("---\ntitle: \"chưa đóng\n---\nThân bài.\n", encoding="utf-8")
    stories[-4].write_bytes("---\ntitle: Bài\n---\nThân bài có chữ Việt.\n".encode("utf-16"))
    stories[-6].write_text("---\ntitle: Thiếu trường\n---\nGọi số 0987 654 321.\n", encoding="utf-8")
    year, slug = stories[2].parent.name, stories[2].stem
    text = stories[-8].read_text(encoding="utf-8")
    stories[-8].write_text(text.replace("status:", f"aliases: [bai-viet/{year}/{slug}/]\nstatus:", 1), encoding="utf-8")
    return project


def _checked(project: Path, *, parallel: bool) -> tuple:
    from guongsang.check import check_content

    result = check_content(project, parallel=parallel)
    files = {rel: (memo.digest, memo.model, memo.body, memo.problems) for rel, memo in result.files.items()}
    return result.problems, result.content, files, result.digests


@needs_fork
def test_the_checker_shares_story_files_and_finds_what_it_finds_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from guongsang import check

    project = _broken_corpus(tmp_path / "p")
    alone = _checked(project, parallel=False)
    codes = {p.code for p in alone[0]}
    assert {"GS301", "GS401", "GS105", "GS102", "GS703"} <= codes, codes
    split = sorted(alone[2])[len(alone[2]) // 2]
    assert any(p.path > split and p.code == "GS301" for p in alone[0])  # problems in the worker's part too

    def sent(folder: Path, key: str, value: object) -> None:  # in the worker
        (tmp_path / "sent").write_text(str(len(value[0])))
        put(folder, key, value)

    from guongsang.load import Loader

    workers, adopted = [], []
    adopt = Loader.adopt
    monkeypatch.setattr(check, "SHARED_FROM", 10)
    monkeypatch.setattr(check.Worker, "start", lambda work: workers.append(Worker(work)) or workers[-1])
    monkeypatch.setattr(check, "put", sent)
    monkeypatch.setattr(Loader, "adopt", lambda self, files, problems: adopted.append(len(files)) or adopt(self, files, problems))
    assert _checked(project, parallel=True) == alone
    assert len(workers) == 1
    assert (tmp_path / "sent").read_text() == "28"  # the worker loaded its part: the last 28 of 60 files
    assert adopted == [28]  # and the build took them in, not loading them again


@needs_fork
def test_a_failing_checker_worker_costs_nothing_but_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from guongsang import check

    project = _broken_corpus(tmp_path / "p")
    alone = _checked(project, parallel=False)

    def broken(folder: Path, key: str, value: object) -> None:
        raise OSError("đĩa đầy")

    workers = []
    monkeypatch.setattr(check, "SHARED_FROM", 10)
    monkeypatch.setattr(check, "put", broken)
    monkeypatch.setattr(check.Worker, "start", lambda work: workers.append(Worker(work)) or workers[-1])
    assert _checked(project, parallel=True) == alone
    assert len(workers) == 1  # it was made, and failed


@needs_fork
def test_no_second_process_no_matter(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork refused (a process limit, no memory): checking and building go on in one
    process, with the same results, and leave no folder behind."""
    import multiprocessing.process
    import tempfile

    from guongsang import check

    project = _broken_corpus(tmp_path / "p")
    alone = _checked(project, parallel=False)
    site_alone = tmp_path / "alone"
    assert mkdocs_build(corpus, site_alone, env={JOBS_ENV: "1"}).returncode == 0

    def refused(self: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    before = set(Path(tempfile.gettempdir()).glob("guongsang-*"))
    monkeypatch.setattr(check, "SHARED_FROM", 10)
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refused)
    assert _checked(project, parallel=True) == alone
    assert set(Path(tempfile.gettempdir()).glob("guongsang-*")) == before
    script = (
        "import multiprocessing.process, sys\n"
        "def refused(self): raise BlockingIOError(11, 'Resource temporarily unavailable')\n"
        "multiprocessing.process.BaseProcess.start = refused\n"
        "from mkdocs.__main__ import cli\n"
        "cli(['build', '--strict', '-f', sys.argv[1], '-d', sys.argv[2]])\n"
    )
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-c", script, str(corpus / "mkdocs.yml"), str(tmp_path / "one")], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    made, expected = files_of(tmp_path / "one"), files_of(site_alone)
    assert [name for name in made.keys() | expected.keys() if made.get(name) != expected.get(name)] == []


def test_a_small_or_remembered_load_is_not_shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from guongsang import check

    project = make_ours(tmp_path / "p", 30, units=10)
    monkeypatch.setattr(check, "Worker", lambda work: pytest.fail("no worker below SHARED_FROM"))
    first = check.check_content(project, parallel=True)
    monkeypatch.setattr(check, "SHARED_FROM", 10)
    again = check.check_content(project, first.files, parallel=True)  # under serve: nothing to parse again
    assert again.problems == first.problems


@needs_fork
def test_a_dirty_build_keeps_to_one_process_and_the_same_site(corpus: Path, tmp_path: Path) -> None:
    """`mkdocs build --dirty` renders only the pages that changed: no worker renders the rest."""
    import shutil

    site = tmp_path / "site"
    assert mkdocs_build(corpus, site).returncode == 0
    clean = files_of(site)
    args = [sys.executable, "-c", "import guongsang.parallel as p, sys; p.Worker = None; from mkdocs.__main__ import cli; cli()"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    project = tmp_path / "project"
    shutil.copytree(corpus, project)
    done = subprocess.run([*args, "build", "--dirty", "-f", str(project / "mkdocs.yml"), "-d", str(site)], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr  # a worker would have failed: there is none to make
    # Every page as the clean build wrote it; the search index of a dirty build holds only
    # the pages it rendered (MkDocs warns that a dirty build is for development only).
    index = "search/search_index.json"
    assert {k: v for k, v in files_of(site).items() if k != index} == {k: v for k, v in clean.items() if k != index}


@needs_fork
def test_pages_built_by_the_worker_name_the_navigation_as_the_build_does(corpus: Path, tmp_path: Path) -> None:
    """A navigation page titled by its first heading, with an icon in its front matter: the
    pages the worker builds name it in their menus as the pages the build renders do."""
    import shutil

    project = tmp_path / "project"
    shutil.copytree(corpus, project)
    (project / "docs" / "them.md").write_text("---\nicon: material/star\n---\n# Trang thêm của ban\n\nNội dung.\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("\nnav:\n", "\nnav:\n  - them.md\n", 1), encoding="utf-8")
    with_worker, without = tmp_path / "with", tmp_path / "without"
    assert mkdocs_build(project, with_worker).returncode == 0
    assert mkdocs_build(project, without, env={JOBS_ENV: "1"}).returncode == 0
    made, expected = files_of(with_worker), files_of(without)
    last_story = max(name for name in made if re.fullmatch(r"bai-viet/\d{4}/[^/]+/index.html", name))  # the worker builds it
    assert "Trang thêm của ban" in made[last_story].decode("utf-8")
    assert [name for name in made if made[name] != expected[name]] == []
