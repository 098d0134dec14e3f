"""Work done on a second core while MkDocs renders pages on the first.

MkDocs builds one page after another on one core. A build can share work
with forked processes: checking the story files (check.py, also for
`guongsang check` and `diff`), rendering and building generated pages
(offload.py) and the print handouts (they need nothing MkDocs makes). The
fork inherits everything already in memory (the checked catalogue, MkDocs'
configuration and files), so nothing is sent to the worker; it leaves each
result as a file in a folder of its own. Each piece of work is claimed first (`claim`): the build and the
worker go through the same list from opposite ends and meet wherever their
speeds make them meet, so neither waits for the other.

The folder is in memory (/dev/shm) when the machine has one with room, else in
the temporary folder (`scratch_root`): tens of thousands of small files made
and deleted during a build made ext4 look for free inodes past every recently
deleted one, 5 to 10 s of kernel time at 10,000 stories.

Only where it is safe and pays: a `fork` start method (Linux), more than one
usable core, not under `mkdocs serve` (its threads and a fork do not mix) nor
`mkdocs build --dirty` (it renders only some pages), and not switched off with
GUONGSANG_JOBS=1. A result the worker did not leave (it failed, died or could
not be started) is made by the build itself, so that the site, or the real
error with its traceback, is the same as without a worker.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import sys
import tempfile
import time
import weakref
from pathlib import Path
from typing import Callable

JOBS_ENV = "GUONGSANG_JOBS"
PAGES = "page"  # the kind of result the worker leaves for each page it renders (offload.py)
STOPPED = "stopped"  # a marker file: the worker gave up on a kind of work (its name is the prefix)


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parallel_possible(environ: dict | None = None) -> bool:
    env = os.environ if environ is None else environ
    if env.get(JOBS_ENV, "").strip() == "1":
        return False
    # Linux only: macOS offers fork too, but its system libraries are not safe to fork.
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods() and usable_cores() > 1


SHM = Path("/dev/shm")
SHM_ROOM = 512 * 2**20  # the folders hold about 130 MB at their fullest, at 10,000 stories


def scratch_root(environ: dict | None = None, shm: Path = SHM) -> str | None:
    """Where workers' folders go: the temporary folder the user chose (TMPDIR), else
    memory (a tmpfs at /dev/shm with room to spare), else the system's temporary folder
    (None). Should memory run out anyway, a worker fails and the build does its work."""
    env = os.environ if environ is None else environ
    if env.get("TMPDIR"):
        return None
    try:
        stat = os.statvfs(shm)
    except OSError:
        return None
    roomy = stat.f_bavail * stat.f_frsize >= SHM_ROOM
    return str(shm) if roomy and os.access(shm, os.W_OK | os.X_OK) else None


def put(folder: Path, key: str, value: object) -> None:
    """Leave a result (in the worker): written whole, then renamed, so it is never read half-made."""
    part = folder / f"{key}.part"
    part.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(part, folder / f"{key}.pickle")


def claim(folder: Path, key: str) -> bool:
    """Take a piece of work, in the worker or the build: true for whichever asks first.
    The build and its worker each go through the work from one end and meet."""
    try:
        os.close(os.open(folder / f"{key}.claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def give_up(folder: Path, kind: str) -> None:
    """Say (in the worker) that no more results of this kind will come."""
    (folder / f"{kind}.{STOPPED}").touch()


def _run(work: Callable[[Path], None], folder: Path) -> None:
    try:
        work(folder)
    except BaseException:  # noqa: BLE001 - what it did not leave, the build does itself (and sees the error)
        pass
    finally:
        (folder / "done").touch()


class Worker:
    """`work(folder)` in a forked process; its results read back by key.

    Raises OSError when the process cannot be started (a process limit, no memory to
    fork): the caller then does the work itself (`start`). The folder goes when the
    worker is finished or stopped, and at the latest when the program ends (an
    interrupted build)."""

    def __init__(self, work: Callable[[Path], None]):
        self.folder = Path(tempfile.mkdtemp(prefix="guongsang-", dir=scratch_root()))
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)
        context = multiprocessing.get_context("fork")
        self.process = context.Process(target=_run, args=(work, self.folder), daemon=True)
        try:
            self.process.start()
        except OSError:
            self._cleanup()
            raise

    @classmethod
    def start(cls, work: Callable[[Path], None]) -> Worker | None:
        """A worker, or None when no process can be started: the work is then the caller's."""
        try:
            return cls(work)
        except OSError:
            return None

    def claim(self, key: str) -> bool:
        return claim(self.folder, key)

    def result(self, key: str, kind: str) -> object | None:
        """The result for key, waiting while the worker may still make it; None if it will not."""
        path = self.folder / f"{key}.pickle"
        while not path.exists():
            if (self.folder / f"{kind}.{STOPPED}").exists() or (self.folder / "done").exists() or not self.process.is_alive():
                if not path.exists():  # it may have come just before the worker stopped
                    return None
                break
            time.sleep(0.0005)
        value = pickle.loads(path.read_bytes())
        path.unlink()
        return value

    def finish(self) -> None:
        """Wait for the worker to end and clear its folder."""
        self.process.join()
        self._cleanup()

    def stop(self) -> None:
        """End the worker now (the build failed) and clear its folder."""
        self.process.terminate()
        self.finish()
