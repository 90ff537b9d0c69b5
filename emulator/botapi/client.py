"""EmulatorClient: the control API from Python (async httpx), for tests, benchmarks and tools."""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any

import httpx

logger = logging.getLogger(__name__)

CONTROL_PREFIX = "/_emulator"
HTTP_MARGIN_SECONDS = 5.0
# Every simulated user may hold a long poll and a request at once: keep those connections
# alive instead of reconnecting past httpx's default of 20 kept-alive connections.
CONNECTION_LIMITS = httpx.Limits(max_connections=2000, max_keepalive_connections=2000)


class EmulatorError(RuntimeError):
    """The control API refused a request."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


class BotDidNotReply(TimeoutError):
    """The bot sent fewer messages than expected before the wait ran out."""


class EmulatorClient:
    """Play users and read what the bot sent, through the emulator's control API."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + CONTROL_PREFIX,
            timeout=timeout,
            transport=transport,
            limits=CONNECTION_LIMITS,
            trust_env=False,
        )

    async def __aenter__(self) -> EmulatorClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._http.aclose()

    async def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """Send a request and return its JSON object, raising EmulatorError on a refusal."""
        response = await self._http.request(method, path, **kwargs)
        try:
            body = response.json()
        except ValueError:
            body = {"error": response.text}
        if response.status_code >= 400 or not isinstance(body, dict):
            message = body.get("error", response.text) if isinstance(body, dict) else response.text
            raise EmulatorError(response.status_code, str(message))
        return body

    async def health(self) -> dict[str, Any]:
        """Return the emulator's health answer (the bot user)."""
        return await self._request("GET", "/health")

    async def bot_info(self) -> dict[str, Any]:
        """Return the bot, its commands, menu buttons, profile texts and webhook."""
        return await self._request("GET", "/bot")

    async def reset(self) -> None:
        """Forget chats, users, updates, files, faults and calls."""
        await self._request("POST", "/reset")

    async def add_user(self, user_id: int, **profile: str) -> dict[str, Any]:
        """Create or update a user (first_name, last_name, username, language_code)."""
        return await self._request("POST", f"/users/{user_id}", json=profile)

    async def send_text(
        self, user_id: int, text: str, *, reply_to: int | None = None, **profile: str
    ) -> dict[str, Any]:
        """Send a text from a user; answer {"message", "update_id"}."""
        body: dict[str, Any] = {"text": text, **profile}
        if reply_to is not None:
            body["reply_to_message_id"] = reply_to
        return await self._request("POST", f"/chats/{user_id}/messages", json=body)

    async def send_document(
        self,
        user_id: int,
        content: bytes,
        file_name: str,
        *,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> dict[str, Any]:
        """Upload a document from a user; answer {"message", "update_id", "file_id"}."""
        data = {"caption": caption} if caption else {}
        files = {"file": (file_name, content, mime_type)}
        return await self._request("POST", f"/chats/{user_id}/documents", data=data, files=files)

    async def press_button(
        self,
        chat_id: int,
        *,
        data: str | None = None,
        text: str | None = None,
        message_id: int | None = None,
        forge: bool = False,
    ) -> dict[str, Any]:
        """Press an inline button by data or text; answer {"callback_query_id", "update_id"}."""
        body = {"data": data, "text": text, "message_id": message_id, "forge": forge}
        clean = {key: value for key, value in body.items() if value is not None}
        return await self._request("POST", f"/chats/{chat_id}/callbacks", json=clean)

    async def block_bot(self, chat_id: int, blocked: bool = True) -> dict[str, Any]:
        """Block (or unblock) the bot as the chat's user."""
        return await self._request("POST", f"/chats/{chat_id}/block", json={"blocked": blocked})

    async def transcript(self, chat_id: int) -> dict[str, Any]:
        """Return a chat's transcript: entries both ways, button presses and answers."""
        return await self._request("GET", f"/chats/{chat_id}")

    async def chats(self) -> list[dict[str, Any]]:
        """Return every chat with its last message id."""
        return list((await self._request("GET", "/chats"))["chats"])

    async def wait_bot_messages(
        self, chat_id: int, *, after: int = 0, count: int = 1, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Long-poll for the bot's messages after id `after`; fewer than `count` on timeout."""
        params = {"after": after, "count": count, "timeout": timeout}
        found = await self._request(
            "GET", f"/chats/{chat_id}/wait", params=params, timeout=timeout + HTTP_MARGIN_SECONDS
        )
        return list(found["messages"])

    async def expect_bot_messages(
        self, chat_id: int, *, after: int = 0, count: int = 1, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Like wait_bot_messages, but raise BotDidNotReply when fewer than `count` arrive."""
        found = await self.wait_bot_messages(chat_id, after=after, count=count, timeout=timeout)
        if len(found) < count:
            raise BotDidNotReply(
                f"chat {chat_id}: {len(found)} of {count} bot messages after {after} in {timeout}s"
            )
        return found

    async def wait_changes(
        self, chat_id: int, *, since: int, timeout: float = 10.0, sender: str | None = None
    ) -> dict[str, Any]:
        """Long-poll for entries changed after revision `since` (only `sender`'s, if given)."""
        params: dict[str, Any] = {"since": since, "timeout": timeout}
        if sender:
            params["sender"] = sender
        return await self._request(
            "GET", f"/chats/{chat_id}/changes", params=params, timeout=timeout + HTTP_MARGIN_SECONDS
        )

    async def ask(self, user_id: int, text: str, *, timeout: float = 10.0) -> dict[str, Any]:
        """Send a text and return the bot's first message after it."""
        sent = await self.send_text(user_id, text)
        after = sent["message"]["message_id"]
        found = await self.expect_bot_messages(user_id, after=after, timeout=timeout)
        return dict(found[0])

    async def download(self, file_id: str) -> bytes:
        """Return the bytes of a file either side sent."""
        response = await self._http.get(f"/files/{file_id}")
        if response.status_code >= 400:
            raise EmulatorError(response.status_code, response.text)
        return response.content

    async def inject_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an arbitrary update for the bot; return it with its update_id."""
        return dict((await self._request("POST", "/updates", json={"update": update}))["update"])

    async def redeliver(self, update_id: int, *, keep_id: bool = True) -> dict[str, Any]:
        """Deliver a past update again (duplicate delivery), with its own id or a new one."""
        body = {"keep_id": keep_id}
        answer = await self._request("POST", f"/updates/{update_id}/redeliver", json=body)
        return dict(answer["update"])

    async def add_fault(
        self, kind: str, *, method: str = "*", count: int | None = 1, **options: Any
    ) -> dict[str, Any]:
        """Inject a fault (retry_after, server_error, delay, error) for the next `count` calls."""
        body = {"kind": kind, "method": method, "count": count, **options}
        return dict((await self._request("POST", "/faults", json=body))["fault"])

    async def fail_with_retry_after(
        self, method: str = "*", *, retry_after: int = 1, count: int = 1
    ) -> dict[str, Any]:
        """Answer the next `count` calls of `method` with 429 and retry_after."""
        return await self.add_fault(
            "retry_after", method=method, count=count, retry_after=retry_after
        )

    async def fail_with_server_error(
        self, method: str = "*", *, status: int = 500, count: int = 1
    ) -> dict[str, Any]:
        """Answer the next `count` calls of `method` with a 5xx."""
        return await self.add_fault("server_error", method=method, count=count, status=status)

    async def delay(self, method: str = "*", *, seconds: float, count: int = 1) -> dict[str, Any]:
        """Delay the next `count` calls of `method` by `seconds`."""
        return await self.add_fault("delay", method=method, count=count, delay=seconds)

    async def hold(self, method: str = "*", *, count: int = 1) -> dict[str, Any]:
        """Hold the next `count` calls of `method` until `clear_faults` (or a minute) lets them go on."""
        return await self.add_fault("hold", method=method, count=count)

    async def refuse(
        self, method: str, *, error_code: int = 400, description: str = ""
    ) -> dict[str, Any]:
        """Refuse every call of `method` from now on (until clear_faults)."""
        return await self.add_fault(
            "error", method=method, count=None, error_code=error_code, description=description
        )

    async def clear_faults(self) -> None:
        """Remove every injected fault."""
        await self._request("DELETE", "/faults")

    async def faults(self) -> list[dict[str, Any]]:
        """Return the injected faults with their remaining counts and hits."""
        return list((await self._request("GET", "/faults"))["faults"])

    async def calls(self, method: str | None = None, *, since: int = 0) -> list[dict[str, Any]]:
        """Return the logged Bot API calls (optionally of one method, after a sequence number)."""
        params: dict[str, Any] = {"since": since}
        if method:
            params["method"] = method
        return list((await self._request("GET", "/calls", params=params))["calls"])
