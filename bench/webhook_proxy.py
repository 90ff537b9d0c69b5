"""A round-robin reverse proxy for webhook workers, as nginx would be in front of them.

Each POST goes to the next worker; a worker that does not accept the connection is skipped
for the next one (nginx's `proxy_next_upstream error`). Used by the scale-out benchmark and
the several-workers tests.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def round_robin_proxy(upstreams: list[str], path: str = "/hook") -> Starlette:
    """Return a proxy serving `path` that sends each POST to the next upstream URL."""
    turn = itertools.count()
    client = httpx.AsyncClient(timeout=30.0, trust_env=False, limits=httpx.Limits(max_connections=200))

    async def forward(request: Request) -> Response:
        body, start = await request.body(), next(turn)
        for offset in range(len(upstreams)):
            upstream = upstreams[(start + offset) % len(upstreams)]
            try:
                answer = await client.post(upstream, content=body, headers=dict(request.headers))
            except httpx.TransportError:
                continue
            return Response(answer.content, status_code=answer.status_code)
        return Response(status_code=502)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await client.aclose()

    return Starlette(routes=[Route(path, forward, methods=["POST"])], lifespan=lifespan)
