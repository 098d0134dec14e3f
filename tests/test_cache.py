"""The edit-loop cache: unchanged files are not parsed again, unchanged content is not generated again,
and a build that reuses builds exactly what a fresh build does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bench.corpus import write_corpus

from guongsang.cache import BuildCache, content_key
from guongsang.check import check_content
from guongsang.site import SiteBuild

SITE_URL = "https://guongsang.example.org/"
TODAY = dt.date(2026, 11, 18)
EDITED = "content/stories/2016/bai-mau-00001.md"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "project", 12, units=20)


def build(root: Path, previous: BuildCache | None = None, *, site_dir: str = "site") -> SiteBuild:
    b = SiteBuild(root=root, site_url=SITE_URL, today=TODAY, site_dir=site_dir, previous=previous or BuildCache())
    b.run()
    return b


def edit_title(root: Path, rel: str = EDITED) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").replace('title: "', 'title: "Đã sửa: ', 1), encoding="utf-8")


def contents(b: SiteBuild) -> list[tuple[str, str | bytes]]:
    return [(o.uri, o.content) for o in b.outputs]


def test_unchanged_content_reuses_every_load_the_catalogue_and_the_outputs(corpus: Path) -> None:
    first = build(corpus)
    second = build(corpus, first.handover())
    assert second.reused
    assert second.catalogue is first.catalogue
    assert contents(second) == contents(first)
    assert second.files.keys() == first.files.keys()
    assert all(second.files[path] is first.files[path] for path in first.files)
    assert second.unchanged == {o.uri for o in first.outputs}


def test_editing_one_story_parses_that_file_alone_and_builds_what_a_fresh_build_does(corpus: Path) -> None:
    first = build(corpus)
    edit_title(corpus)
    second = build(corpus, first.handover())
    fresh = build(corpus)
    assert not second.reused
    assert contents(second) == contents(fresh)
    assert {path for path in second.files if second.files[path] is not first.files[path]} == {EDITED}
    assert second.catalogue is not None and second.catalogue.story_by_id["2016/bai-mau-00001"].title.startswith("Đã sửa: ")
    # What the edit changed is rewritten by a dirty rebuild; another story's handout is not.
    assert "bai-viet/2016/bai-mau-00001.md" not in second.unchanged
    assert "in/2016/bai-mau-00001/index.html" not in second.unchanged
    assert "in/2015/bai-mau-00000/index.html" in second.unchanged
    assert "du-lieu/don-vi.json" in second.unchanged


def test_editing_one_story_makes_its_handout_alone_again(corpus: Path) -> None:
    first = build(corpus)
    edit_title(corpus)
    second = build(corpus, first.handover())
    assert second.catalogue is not None
    handouts = {f"{story.handout_url}index.html" for story in second.catalogue.stories}  # not the redirects under in/
    before = {o.uri: o for o in first.outputs if o.uri in handouts}
    after = {o.uri: o for o in second.outputs if o.uri in handouts}
    assert before.keys() == after.keys() and len(after) == 12
    made_again = {uri for uri in after if after[uri] is not before[uri]}
    assert made_again == {"in/2016/bai-mau-00001/index.html"}
    assert "Đã sửa: " in after["in/2016/bai-mau-00001/index.html"].content.decode("utf-8")
    assert len(second.handouts) == 12  # the memo holds this build's handouts only


def test_a_handout_is_made_again_when_what_it_shows_changes(corpus: Path) -> None:
    first = build(corpus)
    settings = corpus / "content" / "settings.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("organisation: ", "organisation: Ban mới — ", 1), encoding="utf-8")
    second = build(corpus, first.handover())
    assert contents(second) == contents(build(corpus))
    assert second.catalogue is not None
    handouts = {f"{story.handout_url}index.html" for story in second.catalogue.stories}  # not the redirects under in/
    changed = [o.content != first_o.content for o, first_o in zip(second.outputs, first.outputs) if o.uri in handouts]
    assert len(changed) == 12 and all(changed)


def test_a_deleted_file_drops_out_of_the_cache(corpus: Path) -> None:
    first = build(corpus)
    (corpus / EDITED).unlink()
    second = build(corpus, first.handover())
    assert EDITED in first.files and EDITED not in second.files
    assert not second.reused
    assert "bai-viet/2016/bai-mau-00001.md" not in {o.uri for o in second.outputs}


def test_outputs_count_as_written_only_in_the_directory_they_were_written_to(corpus: Path) -> None:
    first = build(corpus, site_dir="a")
    second = build(corpus, first.handover(), site_dir="b")
    assert second.reused
    assert second.unchanged == set()


def test_while_a_build_is_under_way_only_the_loads_are_handed_on(corpus: Path) -> None:
    first = build(corpus).handover()
    pending = first.loads_only()
    assert pending.files is first.files
    assert not pending.reusable(first.key)
    assert pending.written("site") == {}
    assert first.written("site").keys() == {o.uri for o in first.outputs}


def test_problems_of_reused_files_are_reported_again(corpus: Path) -> None:
    story = corpus / EDITED
    story.write_text(story.read_text(encoding="utf-8").replace("date: 2016-", "date: 2017-", 1), encoding="utf-8")
    unit = corpus / "content" / "units" / "don-vi-0002.yml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("kind: chi-bo", "kind: chi-bo-co-so"), encoding="utf-8")
    first = check_content(corpus)
    again = check_content(corpus, first.files)
    assert {(p.path, p.code) for p in first.errors} == {(EDITED, "GS211"), ("content/units/don-vi-0002.yml", "GS204")}
    assert again.problems == first.problems
    assert all(again.files[path] is first.files[path] for path in first.files)


def test_the_content_key_follows_every_file_and_every_build_parameter() -> None:
    digests = {"content/a.yml": b"1", "content/b.md": b"2"}
    key = content_key(digests, today=TODAY, preview=False, site_url=SITE_URL)
    assert key == content_key(dict(reversed(digests.items())), today=TODAY, preview=False, site_url=SITE_URL)
    variants = [
        content_key({**digests, "content/b.md": b"3"}, today=TODAY, preview=False, site_url=SITE_URL),
        content_key({"content/a.yml": b"1", "content/c.md": b"2"}, today=TODAY, preview=False, site_url=SITE_URL),
        content_key({"content/a.yml": b"1"}, today=TODAY, preview=False, site_url=SITE_URL),
        content_key(digests, today=TODAY + dt.timedelta(days=1), preview=False, site_url=SITE_URL),
        content_key(digests, today=TODAY, preview=True, site_url=SITE_URL),
        content_key(digests, today=TODAY, preview=False, site_url="https://example.org/"),
    ]
    assert len({key, *variants}) == 1 + len(variants)
