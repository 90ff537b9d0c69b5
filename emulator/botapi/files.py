"""Files the users and the bot exchanged: bytes in memory, by file_id and by file_path."""

from __future__ import annotations

import mimetypes
import secrets
from dataclasses import dataclass
from typing import Any

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    """One file as the emulator keeps it."""

    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    mime_type: str
    data: bytes

    def document(self) -> dict[str, Any]:
        """Return the Telegram Document object for this file."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": len(self.data),
        }

    def file_object(self) -> dict[str, Any]:
        """Return the Telegram File object that getFile answers."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


class FileStore:
    """Every file sent either way, in memory."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}

    def add(self, data: bytes, file_name: str, mime_type: str | None = None) -> StoredFile:
        """Store `data` as a document and return its record."""
        guessed = mimetypes.guess_type(file_name)[0]
        mime = mime_type or guessed or "application/octet-stream"
        suffix = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        number = len(self._by_id)
        stored = StoredFile(
            file_id=f"BQACAgQAAx{secrets.token_urlsafe(24)}",
            file_unique_id=f"AgAD{secrets.token_urlsafe(9)}",
            file_path=f"documents/file_{number}.{suffix}",
            file_name=file_name,
            mime_type=mime,
            data=data,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        """Return the file with `file_id`, if known."""
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        """Return the file served at `file_path`, if known."""
        return self._by_path.get(file_path)

    def clear(self) -> None:
        """Forget every file."""
        self._by_id.clear()
        self._by_path.clear()
