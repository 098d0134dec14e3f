"""Handouts made on a second core (guongsang.parallel): the same files, and a failed worker
never costs the build its result or hides the error."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from guongsang.parallel import JOBS_ENV, Job, parallel_possible
from guongsang.site import SiteBuild

SITE = "https://guongsang.example.org/"
TODAY = dt.date(2026, 11, 18)

needs_fork = pytest.mark.skipif(not parallel_possible({}), reason="no fork or a single core")


@needs_fork
def test_a_background_job_gives_the_work_s_result() -> None:
    parent = os.getpid()
    job = Job(lambda: [os.getpid() != parent, "kết quả"], in_background=True)
    assert job.result() == [True, "kết quả"]
    assert job.ran_in_background


@needs_fork
def test_a_worker_that_dies_leaves_the_work_to_the_build() -> None:
    parent = os.getpid()

    def work() -> str:
        if os.getpid() != parent:
            os._exit(3)  # killed, out of memory, …: no answer at all
        return "làm lại ở tiến trình chính"

    job = Job(work, in_background=True)
    assert job.result() == "làm lại ở tiến trình chính"
    assert not job.ran_in_background


@needs_fork
def test_an_error_in_the_worker_is_raised_by_the_build_itself() -> None:
    def work() -> str:
        raise ValueError("lỗi thật")

    job = Job(work, in_background=True)
    with pytest.raises(ValueError, match="lỗi thật"):  # with the parent's own traceback
        job.result()


def test_without_background_the_work_runs_when_asked() -> None:
    calls = []
    job = Job(lambda: calls.append(1) or len(calls), in_background=False)
    assert calls == []
    assert job.result() == 1


def test_the_board_can_switch_the_second_core_off() -> None:
    assert not parallel_possible({JOBS_ENV: "1"})


@needs_fork
def test_a_parallel_build_writes_the_handouts_a_plain_one_returns(root: Path, tmp_path: Path) -> None:
    plain = SiteBuild(root=root, site_url=SITE, today=TODAY, remember=False)
    expected = {out.uri: out.content for out in plain.run() if out.uri.startswith("in/")}
    assert len(expected) >= 18

    site = tmp_path / "site"
    parallel = SiteBuild(root=root, site_url=SITE, today=TODAY, remember=False, parallel=True, site_dir=str(site))
    outputs = parallel.run()
    assert not any(out.uri.startswith("in/") for out in outputs)  # not MkDocs' files: written by the worker
    parallel.finish_background()
    assert parallel.job is None
    written = {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "in").rglob("*") if p.is_file()}
    assert written == expected
    assert {out.uri for out in outputs} == {out.uri for out in plain.outputs} - set(expected)
