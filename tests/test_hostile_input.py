"""Bad input never crashes the checker: odd YAML shapes and random corruption of every file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from guongsang.check import check_content

from minimal import FILES, STORY, write_minimal

S = "content/stories/2017/xa-dong-hoa.md"

ODD_FRONT_MATTER = [
    "title: [1, {a: b}]",
    "? [a, b]\n: c",
    "title: !!binary aGVsbG8=",
    "units: " + "[" * 5000 + "]" * 5000,
    "units:\n" + "".join("  " * i + "-\n" for i in range(1, 200)),
    "date: 2017-05-10T10:00:00",
    "date: 99999-01-01",
    "title: null\nsummary: ~",
    "status: {published: true}",
    "title: \"\\x00\"",
    "images: [{src: a.jpg}]",
    "corrections: [{date: 2017-06-01}]",
    "person: Chị Hoa",
    "source: https://example.vn",
    "tags: {a: 1}",
    "flag_ceremony: 1",
    "'': rỗng",
    "1: số",
]


@pytest.mark.parametrize("extra", ODD_FRONT_MATTER)
def test_odd_front_matter_is_reported_not_raised(tmp_path: Path, extra: str) -> None:
    write_minimal(tmp_path, {S: STORY.replace("author: Ban Tuyên giáo", extra + "\nauthor: Ban Tuyên giáo")})
    result = check_content(tmp_path)
    assert result.errors, extra
    assert all(p.path and p.code.startswith("GS") for p in result.problems)


def test_random_corruption_never_raises(tmp_path: Path) -> None:
    rng = random.Random(20261125)
    for round_ in range(120):
        root = tmp_path / f"r{round_}"
        rel = rng.choice(sorted(FILES))
        data = bytearray(FILES[rel].encode("utf-8"))
        for _ in range(rng.randint(1, 6)):
            op = rng.random()
            pos = rng.randrange(len(data))
            if op < 0.4:
                data[pos] = rng.randrange(256)
            elif op < 0.7:
                del data[pos : pos + rng.randint(1, 12)]
            else:
                data[pos:pos] = rng.choice([b":", b"-", b"\n", b"  ", b"\t", b"&", b"*", b"!", b"'", b'"', b"[", b"{", b"---\n", b"\xe2\x80\xae"])
        write_minimal(root, {rel: bytes(data)})
        result = check_content(root)  # must not raise
        for problem in result.problems:
            assert problem.format()
