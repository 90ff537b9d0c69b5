"""The control API under /_emulator: play users, read transcripts, long-poll, inject faults."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from botapi.errors import ControlError
from botapi.params import has_lone_surrogate
from botapi.simulate import (
    user_blocks_bot,
    user_presses_button,
    user_sends_document,
    user_sends_text,
)
from botapi.state import Emulator
from botapi.transcript import transcript, wait_bot_messages, wait_changes

MAX_WAIT_SECONDS = 60.0
USER_FIELDS = ("first_name", "last_name", "username", "language_code")


async def json_body(request: Request) -> dict[str, Any]:
    """Return the request's JSON object body ({} when empty)."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise ControlError(400, "body is not valid JSON") from None
    if not isinstance(body, dict):
        raise ControlError(400, "body must be a JSON object")
    if has_lone_surrogate(body):
        raise ControlError(400, "a string holds a lone UTF-16 surrogate, which is not a character")
    return body


def query_number(request: Request, name: str, default: float) -> float:
    """Return a numeric query parameter."""
    raw = request.query_params.get(name)
    try:
        return float(raw) if raw not in (None, "") else default
    except ValueError:
        raise ControlError(400, f"{name} must be a number") from None


def wait_seconds(request: Request) -> float:
    """Return the long-poll timeout of a request, capped."""
    return min(max(query_number(request, "timeout", 10.0), 0.0), MAX_WAIT_SECONDS)


def user_fields(source: dict[str, Any]) -> dict[str, Any]:
    """Return the profile fields (first_name, language_code, ...) present in `source`."""
    nested = source.get("user")
    merged = dict(nested) if isinstance(nested, dict) else {}
    merged.update({key: value for key, value in source.items() if key in USER_FIELDS})
    return {name: merged[name] for name in USER_FIELDS if merged.get(name)}


class ControlApi:
    """Routes of the control API, bound to one emulator."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def routes(self) -> list[BaseRoute]:
        """Return the routes, to mount under /_emulator."""
        get, post = ["GET"], ["POST"]
        return [
            Route("/health", self.health, methods=get),
            Route("/bot", self.bot_info, methods=get),
            Route("/reset", self.reset, methods=post),
            Route("/users/{user_id:int}", self.put_user, methods=["POST", "PUT"]),
            Route("/chats", self.list_chats, methods=get),
            Route("/chats/{chat_id:int}", self.get_transcript, methods=get),
            Route("/chats/{chat_id:int}/messages", self.post_message, methods=post),
            Route("/chats/{chat_id:int}/documents", self.post_document, methods=post),
            Route("/chats/{chat_id:int}/callbacks", self.post_callback, methods=post),
            Route("/chats/{chat_id:int}/block", self.post_block, methods=post),
            Route("/chats/{chat_id:int}/wait", self.wait_messages, methods=get),
            Route("/chats/{chat_id:int}/changes", self.get_changes, methods=get),
            Route("/files/{file_id}", self.get_file, methods=get),
            Route("/updates", self.post_update, methods=post),
            Route("/updates/{update_id:int}/redeliver", self.redeliver, methods=post),
            Route("/faults", self.faults, methods=["GET", "POST", "DELETE"]),
            Route("/calls", self.calls, methods=get),
        ]

    async def health(self, request: Request) -> Response:
        """Answer that the emulator is up."""
        return JSONResponse({"ok": True, "bot": self.emulator.bot_user})

    async def bot_info(self, request: Request) -> Response:
        """Return the bot, its commands, menu buttons, profile texts and webhook."""
        settings = self.emulator.settings
        return JSONResponse(
            {
                "me": self.emulator.me(),
                "commands": settings.commands,
                "menu_buttons": settings.menu_buttons,
                "texts": settings.texts,
                "webhook": self.emulator.webhook.info(),
                "pending_updates": len(self.emulator.updates.pending),
                "waiting_polls": self.emulator.updates.waiting_polls,
            }
        )

    async def reset(self, request: Request) -> Response:
        """Forget chats, users, updates, files, faults and calls."""
        self.emulator.reset()
        return JSONResponse({"ok": True})

    async def put_user(self, request: Request) -> Response:
        """Create or update a user and open their private chat."""
        body = await json_body(request)
        chat = self.emulator.chat_for(request.path_params["user_id"], user_fields(body))
        return JSONResponse({"user": chat.user, "chat": chat.chat_object()})

    async def list_chats(self, request: Request) -> Response:
        """List the chats with their last message id."""
        chats = [
            {
                "chat": chat.chat_object(),
                "user": chat.user,
                "last_message_id": chat.next_message_id - 1,
            }
            for chat in self.emulator.chats.values()
        ]
        return JSONResponse({"chats": chats, "revision": self.emulator.revision})

    async def get_transcript(self, request: Request) -> Response:
        """Return a chat's transcript."""
        return JSONResponse(transcript(self.emulator, request.path_params["chat_id"]))

    async def post_message(self, request: Request) -> Response:
        """Send a text from the chat's user: {"text", "reply_to_message_id"?, "user"?}."""
        body = await json_body(request)
        reply_to = body.get("reply_to_message_id")
        outcome = user_sends_text(
            self.emulator,
            request.path_params["chat_id"],
            str(body.get("text") or ""),
            user=user_fields(body),
            reply_to=int(reply_to) if reply_to is not None else None,
        )
        return JSONResponse(outcome)

    async def post_document(self, request: Request) -> Response:
        """Send a document: multipart with a `file` part, or JSON with `content_base64`."""
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            fields, data, name, mime = await _multipart_document(request)
        else:
            fields = await json_body(request)
            data, name, mime = _json_document(fields)
        outcome = user_sends_document(
            self.emulator,
            request.path_params["chat_id"],
            data,
            name,
            mime_type=mime,
            caption=fields.get("caption") or None,
            user=user_fields(fields),
        )
        return JSONResponse(outcome)

    async def post_callback(self, request: Request) -> Response:
        """Press a button: {"data"? , "text"?, "message_id"?, "forge"?}."""
        body = await json_body(request)
        message_id = body.get("message_id")
        outcome = user_presses_button(
            self.emulator,
            request.path_params["chat_id"],
            message_id=int(message_id) if message_id is not None else None,
            data=body.get("data"),
            text=body.get("text"),
            forge=bool(body.get("forge")),
        )
        return JSONResponse(outcome)

    async def post_block(self, request: Request) -> Response:
        """Block or unblock the bot: {"blocked": true|false}."""
        body = await json_body(request)
        chat_id = request.path_params["chat_id"]
        return JSONResponse(
            user_blocks_bot(self.emulator, chat_id, bool(body.get("blocked", True)))
        )

    async def wait_messages(self, request: Request) -> Response:
        """Long-poll for the bot's messages after ?after=N (at least ?count=1, ?timeout=10 s)."""
        after = int(query_number(request, "after", 0))
        count = max(int(query_number(request, "count", 1)), 1)
        chat_id = request.path_params["chat_id"]
        found = await wait_bot_messages(self.emulator, chat_id, after, count, wait_seconds(request))
        return JSONResponse(found)

    async def get_changes(self, request: Request) -> Response:
        """Long-poll for anything changed in a chat after ?since=revision (?sender=bot|user)."""
        since = int(query_number(request, "since", 0))
        sender = request.query_params.get("sender") or None
        chat_id = request.path_params["chat_id"]
        found = await wait_changes(self.emulator, chat_id, since, wait_seconds(request), sender)
        return JSONResponse(found)

    async def get_file(self, request: Request) -> Response:
        """Download a file either side sent, by file_id."""
        stored = self.emulator.files.get(request.path_params["file_id"])
        if stored is None:
            raise ControlError(404, "file not found")
        disposition = f"attachment; filename*=UTF-8''{_quote(stored.file_name)}"
        headers = {"Content-Disposition": disposition}
        return Response(stored.data, media_type=stored.mime_type, headers=headers)

    async def post_update(self, request: Request) -> Response:
        """Queue an arbitrary update: {"update": {...}} (update_id is assigned)."""
        body = await json_body(request)
        payload = body.get("update")
        if not isinstance(payload, dict) or not payload:
            raise ControlError(400, "give an update object")
        payload = {key: value for key, value in payload.items() if key != "update_id"}
        return JSONResponse({"update": self.emulator.updates.push(payload)})

    async def redeliver(self, request: Request) -> Response:
        """Deliver a past update again: {"keep_id": true} (default) or a fresh update_id."""
        body = await json_body(request)
        update = self.emulator.updates.redeliver(
            request.path_params["update_id"], keep_id=bool(body.get("keep_id", True))
        )
        return JSONResponse({"update": update})

    async def faults(self, request: Request) -> Response:
        """List (GET), add (POST) or clear (DELETE) injected faults."""
        injector = self.emulator.faults
        if request.method == "POST":
            fault = injector.add(await json_body(request))
            return JSONResponse({"fault": fault.to_dict()})
        if request.method == "DELETE":
            injector.clear()
        return JSONResponse({"faults": [fault.to_dict() for fault in injector.faults]})

    async def calls(self, request: Request) -> Response:
        """Return logged Bot API calls, optionally ?method=name and ?since=seq."""
        method = (request.query_params.get("method") or "").lower()
        since = int(query_number(request, "since", 0))
        found = [
            call
            for call in self.emulator.calls
            if call["seq"] > since and (not method or call["method"].lower() == method)
        ]
        return JSONResponse({"calls": found})


async def _multipart_document(request: Request) -> tuple[dict[str, Any], bytes, str, str | None]:
    """Read a document upload from a multipart form (the web page's FormData)."""
    async with request.form(max_files=1) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ControlError(400, "the form needs a `file` part")
        fields = {key: value for key, value in form.items() if isinstance(value, str)}
        data = await upload.read()
        name = fields.get("file_name") or upload.filename or "document"
        mime = fields.get("mime_type") or upload.content_type
    return fields, data, name, mime


def _json_document(body: dict[str, Any]) -> tuple[bytes, str, str | None]:
    """Read a document given as base64 in JSON."""
    try:
        data = base64.b64decode(str(body.get("content_base64", "")), validate=True)
    except (binascii.Error, ValueError):
        raise ControlError(400, "content_base64 is not valid base64") from None
    return data, str(body.get("file_name") or "document"), body.get("mime_type")


def _quote(name: str) -> str:
    """Percent-encode a file name for Content-Disposition."""
    return quote(name, safe="")
