"""Work done on a second core while MkDocs renders the pages.

MkDocs renders pages on one core. The print handouts (a QR code and a
Markdown rendering a story) need nothing MkDocs makes, so a build can make
them in a forked process meanwhile and add them to the site before MkDocs
copies its files. The fork inherits the checked catalogue as it is: nothing
is sent to the worker, only the finished files come back.

Only where it is safe and pays: a `fork` start method (Linux), more than one
usable core, not under `mkdocs serve` (its threads and a fork do not mix) and
not switched off with GUONGSANG_JOBS=1. If the worker fails or dies, the work
is done again in the build's own process, so that the result, or the real
error with its traceback, is the same as without a worker.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.connection import Connection
from typing import Callable, Generic, TypeVar

JOBS_ENV = "GUONGSANG_JOBS"

T = TypeVar("T")


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parallel_possible(environ: dict | None = None) -> bool:
    env = os.environ if environ is None else environ
    if env.get(JOBS_ENV, "").strip() == "1":
        return False
    return "fork" in multiprocessing.get_all_start_methods() and usable_cores() > 1


def _work_and_send(work: Callable[[], T], sender: Connection) -> None:
    try:
        result = work()
    except BaseException:  # noqa: BLE001 - the parent does the work again and sees the error itself
        sender.send(("failed", None))
    else:
        sender.send(("done", result))
    finally:
        sender.close()


class Job(Generic[T]):
    """`work()` run in a forked process, or right here when `in_background` is false."""

    def __init__(self, work: Callable[[], T], *, in_background: bool):
        self.work = work
        self.process = None
        self.receiver: Connection | None = None
        self.ran_in_background = False
        if in_background:
            context = multiprocessing.get_context("fork")
            self.receiver, sender = context.Pipe(duplex=False)
            self.process = context.Process(target=_work_and_send, args=(work, sender), daemon=True)
            self.process.start()
            sender.close()  # the worker holds the sending end now

    def result(self) -> T:
        if self.process is None or self.receiver is None:
            return self.work()
        try:
            status, value = self.receiver.recv()  # before join: a large result fills the pipe
        except (EOFError, OSError):  # the worker died before it could answer
            status, value = "lost", None
        finally:
            self.receiver.close()
            self.process.join()
            self.process = self.receiver = None
        if status == "done":
            self.ran_in_background = True
            return value
        return self.work()
