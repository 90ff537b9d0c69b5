"""Fault injection: the next calls of a method get a 429, a 5xx or a delay, or are refused."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from botapi.errors import ApiError, too_many_requests

logger = logging.getLogger(__name__)

FaultKind = Literal["retry_after", "server_error", "delay", "error"]
FAULT_KINDS: tuple[str, ...] = ("retry_after", "server_error", "delay", "error", "hold")
HOLD_LIMIT = 60.0  # a held call goes on by itself after this many seconds, so a forgotten hold cannot hang a test
ANY_METHOD = "*"


class FaultSpecError(ValueError):
    """A fault description that cannot be used."""


@dataclass
class Fault:
    """One injected fault; `remaining` None means it never runs out."""

    fault_id: int
    method: str
    kind: str
    remaining: int | None = 1
    retry_after: int = 1
    status: int = 500
    delay: float = 0.0
    error_code: int = 400
    description: str = ""
    hits: int = 0
    released: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    def matches(self, method: str) -> bool:
        """Return whether this fault applies to a call of `method`."""
        live = self.remaining is None or self.remaining > 0
        return live and self.method in (ANY_METHOD, method.lower())

    def to_dict(self) -> dict[str, Any]:
        """Return the fault as JSON for the control API."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "released"}

    async def apply(self) -> None:
        """Raise the error this fault stands for, sleep for a delay, or wait until released (a hold)."""
        if self.kind == "retry_after":
            raise too_many_requests(self.retry_after)
        if self.kind == "server_error":
            raise ApiError(self.status, self.description or "Internal Server Error")
        if self.kind == "error":
            raise ApiError(
                self.error_code, self.description or "Bad Request: refused by the emulator"
            )
        if self.kind == "hold":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.released.wait(), HOLD_LIMIT)
            return
        await asyncio.sleep(self.delay)


class FaultInjector:
    """The faults in force, consulted before every Bot API call."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []
        self._next_id = 1

    def add(self, spec: dict[str, Any]) -> Fault:
        """Add a fault from its JSON description and return it."""
        kind = str(spec.get("kind", ""))
        if kind not in FAULT_KINDS:
            raise FaultSpecError(f"kind must be one of {', '.join(FAULT_KINDS)}")
        count = spec.get("count", 1)
        if count is not None and (not isinstance(count, int) or count < 1):
            raise FaultSpecError("count must be a positive integer, or null for ever")
        try:
            fault = Fault(
                fault_id=self._next_id,
                method=str(spec.get("method") or ANY_METHOD).lower(),
                kind=kind,
                remaining=count,
                retry_after=int(spec.get("retry_after", 1)),
                status=int(spec.get("status", 500)),
                delay=float(spec.get("delay", 0.0)),
                error_code=int(spec.get("error_code", 400)),
                description=str(spec.get("description", "")),
            )
        except (TypeError, ValueError) as error:
            raise FaultSpecError(str(error)) from None
        self._next_id += 1
        self.faults.append(fault)
        return fault

    def take(self, method: str) -> Fault | None:
        """Return the first fault for `method` and count it as used."""
        for fault in self.faults:
            if fault.matches(method):
                fault.hits += 1
                if fault.remaining is not None:
                    fault.remaining -= 1
                return fault
        return None

    async def apply(self, method: str) -> None:
        """Apply the fault due for this call of `method`, if any."""
        fault = self.take(method)
        if fault is not None:
            logger.info("injecting %s fault into %s", fault.kind, method)
            await fault.apply()

    def clear(self) -> None:
        """Remove every fault, letting held calls go on."""
        for fault in self.faults:
            fault.released.set()
        self.faults.clear()
