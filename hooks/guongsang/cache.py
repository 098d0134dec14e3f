"""What one build hands to the next under `mkdocs serve`, so that editing one story does not redo the others."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from typing import Mapping

from .catalogue import Catalogue
from .load import LoadedFile
from .render import Output


def content_key(digests: Mapping[str, bytes], *, today: dt.date, preview: bool, site_url: str) -> bytes:
    """One digest for everything the generators depend on: every content file's
    bytes (by path, so a moved or deleted file counts) and the build's parameters."""
    h = hashlib.sha1()
    for path in sorted(digests):
        h.update(path.encode("utf-8") + b"\0" + digests[path])
    h.update(f"\0{today.isoformat()}\0{preview}\0{site_url}".encode("utf-8"))
    return h.digest()


@dataclass(frozen=True)
class BuildCache:
    """The last build's results. The hook module holds one and replaces it whole
    after every build: it never grows, and it holds only files that still exist.

    - `files`: each story and unit file's load, by path (LoadedFile, with the
      digest of its bytes): a file whose bytes are the same is not parsed again.
    - `key`, `catalogue`, `outputs`: when the content key is the same (no content
      file added, removed or changed; same day, preview and site URL), the
      catalogue and every generated file are reused as they are. Generators read
      only the catalogue and the renderer's site URL, so nothing else can change them.
    - `site_dir`: set once the build completed, when `outputs` are what that
      directory holds: a dirty rebuild (`mkdocs serve --dirty`) leaves the files
      whose content is the same as they are.
    - `handouts`: each story's print handout by what it is made from
      (handout.handout_key): true whatever else changed, so editing one story
      makes one handout again.
    """

    files: Mapping[str, LoadedFile] = field(default_factory=dict)
    key: bytes = b""
    catalogue: Catalogue | None = None
    outputs: tuple[Output, ...] = ()
    site_dir: str = ""
    handouts: Mapping[bytes, Output] = field(default_factory=dict)

    def reusable(self, key: bytes) -> bool:
        return self.catalogue is not None and self.key == key

    def written(self, site_dir: str) -> dict[str, str | bytes]:
        """Each output's content as the completed build wrote it into site_dir; empty for another directory."""
        if not self.site_dir or self.site_dir != site_dir:
            return {}
        return {out.uri: out.content for out in self.outputs}

    def loads_only(self) -> BuildCache:
        """What stays true while a build is under way, or after it failed: the files' loads."""
        return replace(self, key=b"", catalogue=None, outputs=(), site_dir="")
