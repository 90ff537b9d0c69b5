"""Bot API calls over aiohttp: the same calls as python-telegram-bot's HTTPXRequest, for a tenth of the CPU.

A step of the check makes two or three Bot API calls (answer the press, edit the question,
send the next). Through httpx each call cost the worker about 1.2 ms of CPU (its connection
pool re-checks every pooled connection on each call), a third of a step's cost; through
aiohttp about 0.1 ms (measured with 16 calls at once on loopback). The timeouts keep
python-telegram-bot's meaning: `connect_timeout` to open a connection, `pool_timeout` to get
one from the pool, `read_timeout` between bytes of the answer. aiohttp has no write timeout:
a body is bounded by the read timeout that follows it.

Errors are python-telegram-bot's: `TimedOut` or `NetworkError`, with aiohttp's error as the
cause, which tells `RetryingRequest` whether the call can have reached the server.
"""

from __future__ import annotations

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """`BaseRequest` on one aiohttp session, opened by `initialize` inside the bot's event loop."""

    def __init__(self, connection_pool_size: int = 1, *, read_timeout: float | None = 5.0,
                 connect_timeout: float | None = 5.0, pool_timeout: float | None = 1.0) -> None:
        self._pool_size = connection_pool_size
        self._timeouts = {"read": read_timeout, "connect": connect_timeout, "pool": pool_timeout}
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The read timeout used when a call names none."""
        return self._timeouts["read"]

    async def initialize(self) -> None:
        """Open the session (again after a shutdown)."""
        if self._session is None or self._session.closed:
            # trust_env: HTTPS_PROXY and the like are honoured, as httpx did for the bot before.
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self._pool_size),
                                                  trust_env=True)

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None,
        read_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make one call; return the status code and the body."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized")
        timeout = self._timeout(read_timeout, connect_timeout, pool_timeout)
        try:
            async with self._session.request(method, url, data=_body(request_data), timeout=timeout,
                                             headers={"User-Agent": self.USER_AGENT}) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut(f"aiohttp.{type(error).__name__}") from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _timeout(self, read: object, connect: object, pool: object) -> aiohttp.ClientTimeout:
        read_s, connect_s, pool_s = (_seconds(self._timeouts[name] if value is BaseRequest.DEFAULT_NONE else value)
                                     for name, value in (("read", read), ("connect", connect), ("pool", pool)))
        # aiohttp's `connect` covers the wait for a pooled connection and the opening of a new one.
        waiting = None if pool_s is None or connect_s is None else pool_s + connect_s
        return aiohttp.ClientTimeout(total=None, connect=waiting, sock_connect=connect_s, sock_read=read_s)


def _seconds(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _body(request_data: RequestData | None) -> aiohttp.FormData | None:
    """Return the call's parameters as a form: url-encoded, or multipart when files go with them."""
    if request_data is None:
        return None
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mime_type) in (request_data.multipart_data or {}).items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
