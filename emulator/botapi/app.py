"""The Starlette app: Bot API routes, file downloads and the control API, on one emulator."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from botapi.control import ControlApi
from botapi.errors import ApiError, ControlError, method_not_found, unauthorized
from botapi.faults import FaultSpecError
from botapi.guard import SameOriginGuard
from botapi.methods import MESSAGE_METHODS, Method
from botapi.methods_setup import SETUP_METHODS
from botapi.params import Params, read_params
from botapi.state import Emulator

logger = logging.getLogger(__name__)

CONTROL_PREFIX = "/_emulator"


def bot_api_methods() -> dict[str, Method]:
    """Return every supported Bot API method by lower-case name."""
    return {**SETUP_METHODS, **MESSAGE_METHODS}


class BotApi:
    """The Bot API side: `/bot<token>/<method>` and `/file/bot<token>/<path>`."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.methods = bot_api_methods()

    def _check_token(self, token: str) -> None:
        """Refuse any token but the configured one, as Telegram does (401)."""
        if not secrets.compare_digest(token.encode(), self.emulator.token.encode()):
            raise unauthorized()

    async def call(self, request: Request) -> Response:
        """Answer one Bot API call with Telegram's JSON envelope."""
        method = request.path_params["method"]
        params = Params({})
        try:
            self._check_token(request.path_params["token"])
            handler = self.methods.get(method.lower())
            if handler is None:
                raise method_not_found()
            params = await read_params(request)
            await self.emulator.faults.apply(method)
            body: dict[str, Any] = {"ok": True, "result": await handler(self.emulator, params)}
            status, error = 200, ""
        except ApiError as failure:
            body, status, error = failure.payload(), failure.error_code, failure.description
        self.emulator.record_call(method, params.loggable(), status, error)
        logger.debug("bot api %s answered %s", method, status)
        return JSONResponse(body, status_code=status)

    async def download(self, request: Request) -> Response:
        """Serve a file's bytes at the file_path getFile gave."""
        try:
            self._check_token(request.path_params["token"])
        except ApiError as failure:
            return JSONResponse(failure.payload(), status_code=failure.error_code)
        stored = self.emulator.files.by_path(request.path_params["file_path"])
        if stored is None:
            return JSONResponse(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404
            )
        return Response(stored.data, media_type=stored.mime_type)


async def _control_error(request: Request, exc: Exception) -> Response:
    """Turn a control API error into JSON."""
    if isinstance(exc, ControlError):
        return JSONResponse({"ok": False, "error": exc.message}, status_code=exc.status)
    if isinstance(exc, ApiError):
        return JSONResponse({"ok": False, "error": exc.description}, status_code=exc.error_code)
    return JSONResponse({"ok": False, "error": str(exc)}, status_code=400)


def create_app(emulator: Emulator, extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
    """Build the emulator's web app around `emulator`.

    `extra_routes` are served beside the Bot API and control routes, matched before them
    (a host page at `/`, its assets): the way to compose the emulator with another app that
    shares its port, and its same-origin guard.
    """
    bot_api = BotApi(emulator)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        """Stop webhook delivery and wake long polls when the server stops."""
        yield
        await emulator.close()

    routes: list[BaseRoute] = [
        *extra_routes,
        Route("/bot{token}/{method}", bot_api.call, methods=["GET", "POST"]),
        Route("/file/bot{token}/{file_path:path}", bot_api.download, methods=["GET"]),
        Mount(CONTROL_PREFIX, routes=ControlApi(emulator).routes()),
    ]
    handlers = {
        ControlError: _control_error,
        ApiError: _control_error,
        FaultSpecError: _control_error,
    }
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)
    app.add_middleware(SameOriginGuard, prefix=(CONTROL_PREFIX, "/bot", "/file/bot"))
    app.state.emulator = emulator
    return app
