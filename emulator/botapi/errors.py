"""Bot API errors as Telegram words them, raised by methods and turned into JSON by the app."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error answer of the Bot API: `{"ok": false, "error_code": N, "description": ...}`."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """Return the JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    """Return a 400 error with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """Return a 403 error with Telegram's "Forbidden: " prefix."""
    return ApiError(403, f"Forbidden: {detail}")


def conflict(detail: str) -> ApiError:
    """Return a 409 error with Telegram's "Conflict: " prefix."""
    return ApiError(409, f"Conflict: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """Return a 429 flood-control error asking the caller to wait `retry_after` seconds."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


def unauthorized() -> ApiError:
    """Return the 401 Telegram answers for a wrong bot token."""
    return ApiError(401, "Unauthorized")


def method_not_found() -> ApiError:
    """Return the 404 Telegram answers for an unknown method name."""
    return ApiError(404, "Not Found: method not found")


class ControlError(Exception):
    """An error of the emulator's own control API (not a Telegram error)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
