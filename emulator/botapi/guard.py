"""Keep other web pages out of the Bot API and the control API: loopback Host only, same origin only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from botapi.loopback import is_loopback


class SameOriginGuard:
    """Refuse calls that a page from another site, or a DNS-rebound name, could make.

    A browser lets any page POST a "simple" request to 127.0.0.1, and a rebound host name
    can even read the answers; checking Host and Origin stops both, while bots (no Origin),
    tests, the bench and the sandbox page (same origin) go through. The token of the Bot
    API routes is public (the emulator's default), so they need the guard as much as the
    control API does.
    """

    def __init__(self, app: ASGIApp, prefix: str | tuple[str, ...]) -> None:
        self.app = app
        self.prefixes = (prefix,) if isinstance(prefix, str) else prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check calls under the guarded prefixes; pass everything else (a host page, its assets) through."""
        if scope["type"] == "http" and scope["path"].startswith(self.prefixes):
            reason = _refusal(dict(scope.get("headers") or []))
            if reason:
                await JSONResponse({"ok": False, "error": reason}, status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _refusal(headers: dict[bytes, bytes]) -> str | None:
    host = headers.get(b"host", b"").decode("latin-1")
    hostname = urlsplit(f"//{host}").hostname or ""
    if not is_loopback(hostname):
        return "the emulator answers on loopback host names only"
    origin: Any = headers.get(b"origin")
    if origin is not None and urlsplit(origin.decode("latin-1")).netloc != host:
        return "cross-origin calls to the emulator are refused"
    return None
