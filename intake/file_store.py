"""Documents applicants attach: which ones are accepted, where their bytes go, how they are erased.

Every adapter (the bot, the deletion service's callers, the dashboard) goes through one
`FileStore`; `LocalFileStore` keeps the bytes in a folder, which several workers can share.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from datafiles.messages import N_
from intake.services.dossier import FileRef

logger = logging.getLogger(__name__)

MAX_MB = 10
MAX_BYTES = MAX_MB * 1024 * 1024
UPLOADS = "uploads"
_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class Kind:
    """An accepted file type: its content type and how its bytes start."""

    content_type: str
    magic: bytes


_ZIP = b"PK\x03\x04"
KINDS: dict[str, Kind] = {
    ".pdf": Kind("application/pdf", b"%PDF-"),
    ".docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".jpg": Kind("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": Kind("image/jpeg", b"\xff\xd8\xff"),
    ".png": Kind("image/png", b"\x89PNG\r\n\x1a\n"),
}


def kind_of(name: str | None) -> Kind | None:
    """Return the accepted kind of a file name, by its extension, or None."""
    return KINDS.get(PurePosixPath(name or "").suffix.lower())


def refusal_before_download(name: str | None, size: int | None) -> str | None:
    """Return the text key refusing a file from what Telegram says of it, or None to go on."""
    if kind_of(name) is None:
        return N_("refused_type")
    if size is not None and size > MAX_BYTES:
        return N_("refused_size")
    return None


def refusal_of_content(name: str | None, data: bytes) -> str | None:
    """Return the text key refusing downloaded bytes (too big, or not what the name says), or None."""
    kind = kind_of(name)
    if kind is None:
        return N_("refused_type")
    if len(data) > MAX_BYTES:
        return N_("refused_size")
    if not data.startswith(kind.magic):
        return N_("refused_content")
    return None


def safe_name(name: str) -> str:
    """Return a file name safe on disk: no path, no leading dot, 100 UTF-8 bytes at most.

    File systems limit names in bytes (255), not characters: a Chinese name of 100
    characters is about 300 bytes. The end of the name is kept, with its extension.
    """
    cleaned = _UNSAFE.sub("_", PurePosixPath(name.replace("\\", "/")).name).lstrip(".")
    return cleaned.encode()[-100:].decode(errors="ignore") or "file"


class FileStore(Protocol):
    """Where applicants' files live; the database keeps only each file's `FileRef.location`."""

    def store(self, applicant_id: int, item_id: str, name: str, data: bytes) -> FileRef:
        """Keep the bytes (written whole or not at all) and return their reference."""
        ...

    def read(self, location: str) -> bytes:
        """Return a stored file's bytes (FileNotFoundError when it is gone or outside the store)."""
        ...

    def erase(self, locations: list[str]) -> int:
        """Delete stored files by their locations; return how many were deleted."""
        ...

    def erase_applicant(self, applicant_id: int) -> int:
        """Delete whatever is left of an applicant's files; return how many went."""
        ...

    def sweep_orphans(self, applicant_ids: set[int]) -> int:
        """Delete the files of applicants no longer in the database; return how many folders went."""
        ...


class LocalFileStore:
    """Files under `<base>/uploads/<applicant>/<item>/`; locations are relative to `base`, so it can move."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.root = base / UPLOADS

    def store(self, applicant_id: int, item_id: str, name: str, data: bytes) -> FileRef:
        """Write the bytes (through a partial file, renamed) and return the reference the database keeps."""
        kind = kind_of(name)
        if kind is None:
            raise ValueError(f"not an accepted file type: {name!r}")
        digest = hashlib.sha256(data).hexdigest()
        relative = PurePosixPath(UPLOADS, str(applicant_id), item_id, f"{digest[:16]}-{safe_name(name)}")
        target = self.base / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(data)
        os.replace(partial, target)
        return FileRef(name=name[:255], size=len(data), content_type=kind.content_type, sha256=digest,
                       location=relative.as_posix())

    def read(self, location: str) -> bytes:
        """Return a stored file's bytes; a location outside the store is refused like a missing file."""
        path = self._inside(location)
        if path is None or not path.is_file():
            raise FileNotFoundError(location)
        return path.read_bytes()

    def erase(self, locations: list[str]) -> int:
        """Delete stored files; locations outside the store are refused, whatever the database says."""
        erased = 0
        for location in locations:
            path = self._inside(location)
            if path is None:
                logger.warning("refused to erase a file outside the uploads directory")
                continue
            if path.is_file():
                path.unlink()
                erased += 1
        return erased

    def erase_applicant(self, applicant_id: int) -> int:
        """Delete whatever is left in an applicant's upload folder; return how many files went."""
        folder = self.root / str(applicant_id)
        if not folder.is_dir():
            return 0
        count = sum(1 for path in folder.rglob("*") if path.is_file())
        shutil.rmtree(folder)
        return count

    def sweep_orphans(self, applicant_ids: set[int]) -> int:
        """Delete upload folders of applicants no longer in the database; return how many went.

        Deletion removes the rows before the bytes, so a crash in between leaves a folder no
        row points to; sweeping at start-up keeps it from outliving its owner.
        """
        if not self.root.is_dir():
            return 0
        orphans = [folder for folder in self.root.iterdir()
                   if folder.is_dir() and folder.name.isdigit() and int(folder.name) not in applicant_ids]
        for folder in orphans:
            shutil.rmtree(folder)
        return len(orphans)

    def _inside(self, location: str) -> Path | None:
        path = (self.base / location).resolve()
        return path if path.is_relative_to(self.root.resolve()) else None
