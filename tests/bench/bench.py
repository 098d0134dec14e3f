"""The benchmark: checker and build times and peak memory at 1,000 to 10,000 stories, against stock MkDocs.

    make bench                       # 1,000, 5,000 and 10,000 stories, then the edit loop at 10,000
    python tests/bench/bench.py --sizes 1000 --no-edit-loop

For each size a deterministic corpus (corpus.py) becomes two projects in the
work folder: ours (mkdocs.yml, overrides/, docs/, the hook file; content/ is
the corpus) and a stock one (the same theme, plugins and Markdown extensions,
no hooks, the story files copied as they are to docs/bai-viet/<year>/, the same
not_in_nav rule). Each command runs in a fresh process whose wall time, CPU
time and peak resident memory a small measuring process reads from
getrusage(RUSAGE_CHILDREN), so one run never inherits another's peak. The peak
is that of the largest process, the build (its workers, forked from it, peak
lower and share the memory the fork gave them). The workers' result folders,
in memory (/dev/shm) where there is one, hold up to about 130 MB more at
10,000 stories; the README gives both.

Every build goes into a new folder, and the sites are deleted only with the work
folder when the benchmark ends (about 3 GB at the default sizes with
`--repeat 2`): a site deleted just before a build made ext4 slower to find free
inodes during it (`run_build`).

The edit loop builds our project twice in one process through MkDocs' build
API, the hook module loaded once as under `mkdocs serve`: after one story is
edited, the rebuild reuses what the cache holds; the same rebuild with the
cache emptied is the cost without it. It does so for a plain rebuild and for a
dirty one (`mkdocs serve --dirty`), where MkDocs renders only the pages whose
generated Markdown changed.

The targets are judged on wall time, what a two-core machine waits for (the
issue sets them on such a machine; the workers' time on the second core is what
makes the wall shorter than the CPU). CPU time is printed next to it: on a shared
machine the wall clock measures the neighbours too, and the CPU figure shows the
work done whatever the neighbours do.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402  (a sibling script, not a package)

ROOT = Path(__file__).resolve().parents[2]
FIXED_EPOCH = "1795000000"  # 2026-11-18: the build's "today", whatever the clock says
SIZES = (1000, 5000, 10000)

# Targets of the issue, on a 2-core machine.
MAX_RATIO = 1.15
MAX_GROWTH = 11.0
MAX_CHECK_SECONDS = 5.0
MAX_PEAK_MIB = 1024

STOCK_CONFIG = """\
site_name: Gương Sáng
site_url: https://guongsang.example.org/
theme:
  name: material
  language: vi
  font: false
  features:
    - navigation.tabs
    - navigation.top
    - search.suggest
    - search.highlight
    - content.tooltips
plugins:
  - search:
      lang: vi
markdown_extensions:
  - toc:
      permalink: "#"
  - attr_list
  - tables
  - footnotes
  - admonition
  - md_in_html
  - def_list
not_in_nav: |
  /bai-viet/**
nav:
  - Trang chủ: index.md
"""

# Runs one command and prints what it cost: a process of its own, so that
# RUSAGE_CHILDREN holds that command alone.
MEASURE = textwrap.dedent(
    """\
    import json, resource, subprocess, sys, time
    start = time.perf_counter()
    done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({
        "code": done.returncode,
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,
        "stderr": done.stderr.decode("utf-8", "replace")[-3000:],
    }))
    """
)


@dataclass(frozen=True)
class Cost:
    wall: float
    cpu: float
    peak_mib: float


@dataclass(frozen=True)
class Row:
    stories: int
    check: Cost
    ours: Cost
    stock: Cost | None
    index: tuple[float, float] | None = None  # our search index: MB raw, MB gzip -6 (what a reader who searches downloads)

    @property
    def ratio(self) -> float | None:
        return self.ours.wall / self.stock.wall if self.stock else None

    @property
    def cpu_ratio(self) -> float | None:
        return self.ours.cpu / self.stock.cpu if self.stock else None


def environment() -> dict[str, str]:
    return {
        **os.environ,
        "SOURCE_DATE_EPOCH": FIXED_EPOCH,
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def measure(args: list[str], *, cwd: Path) -> Cost:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *args], cwd=cwd, env=environment(), capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(args)} failed ({result['code']}):\n{result['stderr']}")
    return Cost(result["wall"], result["cpu"], result["peak_mib"])


def best(costs: list[Cost]) -> Cost:
    """The run that used the least CPU: the one least disturbed by the rest of the machine."""
    return min(costs, key=lambda c: c.cpu)


# -- projects ------------------------------------------------------------------


def make_ours(dest: Path, stories: int, *, units: int = 300) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "hooks").mkdir()
    shutil.copy2(ROOT / "hooks" / "mkdocs_hooks.py", dest / "hooks" / "mkdocs_hooks.py")
    write_corpus(dest, stories, units=units)
    return dest


def make_stock(dest: Path, ours: Path) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    docs.mkdir(parents=True)
    for story in sorted((ours / "content" / "stories").glob("*/*.md")):
        target = docs / "bai-viet" / story.parent.name / story.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(story, target)
    (docs / "index.md").write_text("# Trang chủ\n\nBài viết mẫu.\n", encoding="utf-8")
    (dest / "mkdocs.yml").write_text(STOCK_CONFIG, encoding="utf-8")
    return dest


def build_args(project: Path, site: Path) -> list[str]:
    # Never --quiet: MkDocs then makes no warnings, and --strict would pass them.
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site)]


def check_args(project: Path) -> list[str]:
    # What the `guongsang` console script runs.
    return [sys.executable, "-c", "from guongsang.cli import main; main()", "check", "--root", str(project)]


def run_build(project: Path, site: Path, repeat: int) -> tuple[Cost, Path]:
    """The least disturbed of `repeat` builds, and the folder of its site.

    Every build goes into a folder of its own that nothing was ever deleted from,
    and no site is deleted until the whole benchmark is over (with the work folder),
    as `make site` deletes the old site after the build, not before. Deleting one
    just before made ext4 look for free inodes past every recently deleted one
    during the next build: seconds of kernel time, more for the build that writes
    more files, and different from run to run."""
    runs = []
    for n in range(repeat):
        target = site.with_name(f"{site.name}-{n + 1}")
        if target.exists():
            raise SystemExit(f"{target} already exists: the benchmark measures builds into new folders")
        runs.append((measure(build_args(project, target), cwd=project), target))
    cost = best([c for c, _ in runs])
    return cost, next(t for c, t in runs if c is cost)


def index_size(site: Path) -> tuple[float, float]:
    data = (site / "search" / "search_index.json").read_bytes()
    return len(data) / 1e6, len(gzip.compress(data, compresslevel=6, mtime=0)) / 1e6


def run_size(work: Path, stories: int, *, repeat: int, stock: bool) -> Row:
    ours = make_ours(work / f"ours-{stories}", stories)
    check = best([measure(check_args(ours), cwd=ours) for _ in range(repeat)])
    ours_cost, ours_site = run_build(ours, work / f"site-ours-{stories}", repeat)
    index = index_size(ours_site)
    stock_cost = run_build(make_stock(work / f"stock-{stories}", ours), work / f"site-stock-{stories}", repeat)[0] if stock else None
    return Row(stories, check, ours_cost, stock_cost, index)


# -- the edit loop -------------------------------------------------------------

# Runs in a process of its own: the hook module is loaded once, as under
# `mkdocs serve`, and each build goes through MkDocs' build API.
EDIT_LOOP = textwrap.dedent(
    """\
    import json, sys, time
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from guongsang import site

    project, site_dir, story, dirty = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4] == "dirty"
    hook_name = "hooks/mkdocs_hooks.py"
    ours = []  # seconds in SiteBuild.run (check, index, generate) per build
    run = site.SiteBuild.run

    def timed_run(self):
        start = time.perf_counter()
        try:
            return run(self)
        finally:
            ours.append(time.perf_counter() - start)

    site.SiteBuild.run = timed_run

    def rebuild():
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir))
        config.plugins.on_startup(command="serve", dirty=dirty)
        start = time.perf_counter()
        build(config, dirty=dirty)
        return [round(time.perf_counter() - start, 2), round(ours[-1], 2)]

    def edit(n):
        with story.open("a", encoding="utf-8") as f:
            f.write(f"\\nBổ sung lần {n}: đoàn viên thanh niên giúp đỡ hộ nghèo.\\n")

    first = rebuild()
    edit(1)
    cached = rebuild()
    same = rebuild()  # nothing changed: every output is reused
    hook = sys.modules[hook_name]
    assert hasattr(hook, "_cache"), "the hook module keeps its cache in _cache"
    hook._cache = type(hook._cache)()  # the rebuild as it was before the cache
    edit(2)
    uncached = rebuild()
    print(json.dumps({"first": first, "cached": cached, "unchanged": same, "uncached": uncached}))
    """
)


def run_edit_loop(work: Path, stories: int, *, dirty: bool) -> dict[str, list[float]]:
    project = make_ours(work / f"edit-{stories}", stories)
    site = work / f"site-edit-{stories}"
    shutil.rmtree(site, ignore_errors=True)
    story = sorted((project / "content" / "stories").glob("*/*.md"))[stories // 2]
    out = subprocess.run(
        [sys.executable, "-c", EDIT_LOOP, str(project), str(site), str(story), "dirty" if dirty else "clean"],
        cwd=project, env=environment(), capture_output=True, text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"edit loop failed:\n{out.stderr[-3000:]}")
    shutil.rmtree(site, ignore_errors=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- report --------------------------------------------------------------------


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("mkdocs", "mkdocs-material", "Markdown", "PyYAML", "Jinja2"))
    return [
        f"CPU: {cpu}, {cores} cores available; RAM {ram}; load average {load} (1/5/15 min) at start",
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; {versions}",
    ]


def table(rows: list[Row]) -> list[str]:
    head = ("stories", "check s", "ours build s", "ours peak MiB", "stock build s", "stock peak MiB", "ratio", "ours CPU s", "stock CPU s", "CPU ratio", "search index MB (gzip)")
    lines = [" | ".join(head), " | ".join("---:" for _ in head)]
    for r in rows:
        s = r.stock
        cells = (
            f"{r.stories:,}",
            f"{r.check.wall:.1f}",
            f"{r.ours.wall:.1f}",
            f"{r.ours.peak_mib:.0f}",
            f"{s.wall:.1f}" if s else "–",
            f"{s.peak_mib:.0f}" if s else "–",
            f"{r.ratio:.2f}" if s else "–",
            f"{r.ours.cpu:.1f}",
            f"{s.cpu:.1f}" if s else "–",
            f"{r.cpu_ratio:.2f}" if s else "–",
            f"{r.index[0]:.1f} ({r.index[1]:.2f})" if r.index else "–",
        )
        lines.append(" | ".join(cells))
    return lines


def verdicts(rows: list[Row]) -> list[str]:
    def mark(ok: bool) -> str:
        return "met" if ok else "NOT MET"

    out = []
    largest, smallest = rows[-1], rows[0]
    if largest.stock:
        out.append(
            f"- build ≤ {MAX_RATIO}× stock at {largest.stories:,}: {largest.ratio:.2f}× wall, "
            f"{largest.cpu_ratio:.2f}× CPU — {mark(largest.ratio <= MAX_RATIO)}"
        )
    if len(rows) > 1:
        scale = largest.stories / smallest.stories
        growth = largest.ours.wall / smallest.ours.wall
        out.append(
            f"- linear growth ({largest.stories:,} vs {smallest.stories:,}: ≤ {MAX_GROWTH * scale / 10:g}×): "
            f"{growth:.1f}× wall, {largest.ours.cpu / smallest.ours.cpu:.1f}× CPU — {mark(growth <= MAX_GROWTH * scale / 10)}"
        )
    out.append(
        f"- check ≤ {MAX_CHECK_SECONDS:g} s at {largest.stories:,}: {largest.check.wall:.1f} s wall, "
        f"{largest.check.cpu:.1f} s CPU — {mark(largest.check.wall <= MAX_CHECK_SECONDS)}"
    )
    out.append(f"- peak ≤ {MAX_PEAK_MIB} MiB at {largest.stories:,}: {largest.ours.peak_mib:.0f} MiB — {mark(largest.ours.peak_mib <= MAX_PEAK_MIB)}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES), help="story counts, comma-separated")
    parser.add_argument("--work", type=Path, default=ROOT / ".bench", help="work folder (kept for inspection)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per figure; the least disturbed one counts")
    parser.add_argument("--no-stock", action="store_true", help="skip the stock MkDocs baseline")
    parser.add_argument("--no-edit-loop", action="store_true", help="skip the edit-loop measurement")
    parser.add_argument("--edit-loop-size", type=int, default=0, help="stories for the edit loop (default: the largest size)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    args.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=args.work))

    try:
        report(args, sizes, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the sites too (run_build): several GB
    return 0


def report(args: argparse.Namespace, sizes: list[int], work: Path) -> None:
    print("\n".join(machine()), flush=True)
    rows = []
    for n in sizes:
        started = time.perf_counter()
        rows.append(run_size(work, n, repeat=args.repeat, stock=not args.no_stock))
        print(f"  … {n:,} stories measured in {time.perf_counter() - started:.0f} s", flush=True)
    print()
    print("\n".join(table(rows)))
    print()
    print("\n".join(verdicts(rows)))
    if not args.no_edit_loop:
        n = args.edit_loop_size or sizes[-1]
        print(f"\nEdit loop at {n:,} stories, rebuilt in one process as under `mkdocs serve`: whole build s (of which our check, index and generate s)")
        print("rebuild | first build | one story edited | nothing changed | one story edited, no cache")
        print("---|---:|---:|---:|---:")
        for dirty in (False, True):
            loop = run_edit_loop(work, n, dirty=dirty)
            name = "`mkdocs serve --dirty`" if dirty else "`mkdocs serve`"
            cells = " | ".join(f"{loop[k][0]:.1f} ({loop[k][1]:.1f})" for k in ("first", "cached", "unchanged", "uncached"))
            print(f"{name} | {cells}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
