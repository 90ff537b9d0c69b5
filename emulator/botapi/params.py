"""Read Bot API parameters from a query string, a JSON body, a form or a multipart upload."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from botapi.errors import bad_request

ATTACH_PREFIX = "attach://"
SECRET_PARAMETERS = frozenset({"secret_token"})
NOT_UTF8 = "strings must be encoded in UTF-8"
# JSON can spell a lone UTF-16 surrogate ("\ud800"), which is no character: stored, it would
# make every later JSON answer that carries it (getUpdates, transcripts) fail to encode.
_SURROGATE = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(value: Any) -> bool:
    """Return whether a decoded JSON value holds a lone UTF-16 surrogate in any key or string."""
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(has_lone_surrogate(key) or has_lone_surrogate(item) for key, item in value.items())
    if isinstance(value, list):
        return any(has_lone_surrogate(item) for item in value)
    return False


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart request."""

    filename: str
    content_type: str
    data: bytes


class Params:
    """The parameters of one Bot API call, with typed accessors that fail like Telegram."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None) -> None:
        self.values = values
        self.uploads = uploads or {}

    def has(self, name: str) -> bool:
        """Return whether the parameter was given with a non-empty value."""
        return self.values.get(name) not in (None, "")

    def text(self, name: str, *, required: bool = False) -> str | None:
        """Return a string parameter."""
        value = self.values.get(name)
        if value in (None, ""):
            if required:
                raise bad_request(f"{name} is empty")
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def integer(self, name: str, *, required: bool = False) -> int | None:
        """Return an integer parameter."""
        value = self.values.get(name)
        if value in (None, ""):
            if required:
                raise bad_request(f"{name} is empty")
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def number(self, name: str, default: float) -> float:
        """Return a numeric parameter, or `default` when it is absent."""
        value = self.values.get(name)
        if value in (None, ""):
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        """Return a boolean parameter (absent means false)."""
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)

    def json_value(self, name: str) -> Any:
        """Return a JSON-typed parameter, decoding it when it came as a form string."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            decoded = json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
        if has_lone_surrogate(decoded):
            raise bad_request(NOT_UTF8)
        return decoded

    def upload(self, name: str) -> Upload | None:
        """Return the file uploaded for `name`, directly or through an attach:// reference."""
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith(ATTACH_PREFIX):
            return self.uploads.get(value[len(ATTACH_PREFIX) :])
        return self.uploads.get(name)

    def loggable(self) -> dict[str, Any]:
        """Return the parameters for the call log: uploads summarised, secrets hidden."""
        summary: dict[str, Any] = dict(self.values)
        for name in SECRET_PARAMETERS.intersection(summary):
            summary[name] = "***"
        for name, upload in self.uploads.items():
            summary[name] = {"file_name": upload.filename, "size": len(upload.data)}
        return summary


async def read_params(request: Request) -> Params:
    """Parse the query string and the body of a Bot API request."""
    values: dict[str, Any] = dict(request.query_params)
    uploads: dict[str, Upload] = {}
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        body = await request.body()
        values.update(_json_object(body))
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        async with request.form(max_files=50, max_part_size=64 * 1024 * 1024) as form:
            for key, item in form.multi_items():
                if isinstance(item, UploadFile):
                    uploads[key] = await _read_upload(item)
                else:
                    values[key] = item
    return Params(values, uploads)


def _json_object(body: bytes) -> dict[str, Any]:
    """Decode a JSON request body, which must be an object (or empty)."""
    if not body.strip():
        return {}
    try:
        decoded = json.loads(body)
    except ValueError:
        raise bad_request("can't parse JSON request body") from None
    if not isinstance(decoded, dict):
        raise bad_request("request body must be a JSON object")
    if has_lone_surrogate(decoded):
        raise bad_request(NOT_UTF8)
    return decoded


async def _read_upload(item: UploadFile) -> Upload:
    """Read a multipart file part into memory."""
    data = await item.read()
    return Upload(
        filename=item.filename or "file",
        content_type=item.content_type or "application/octet-stream",
        data=data,
    )
