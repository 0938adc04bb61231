"""Fault injection: what can go wrong between a client and a NAS, switchable per test.

A fault applies to the next matching request(s) and then disarms itself
(``times=None`` keeps it armed until :meth:`FaultPlan.clear`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import Enum

__all__ = ["Fault", "FaultKind", "FaultPlan"]


class FaultKind(str, Enum):
    """The failures the simulator can produce."""

    #: HTTP 500 with an HTML error page (Download Station stopped, reference §9.2).
    HTTP_500 = "http_500"
    #: The reply comes late by ``delay`` seconds (a timeout for a client waiting less).
    SLOW = "slow"
    #: HTTP 200 with an HTML page instead of JSON (a login page or a captive portal).
    HTML = "html"
    #: The JSON reply cut in the middle.
    TRUNCATED = "truncated"
    #: The connection is reset before any reply.
    RESET = "reset"
    #: The session used by the request has expired (it answers the expired-session code).
    EXPIRE_SESSION = "expire_session"


@dataclass
class Fault:
    """One armed fault: its kind, how many more requests it hits, and which API it waits for."""

    kind: FaultKind
    times: int | None = 1
    api: str | None = None
    delay: float = 5.0

    def matches(self, api: str | None) -> bool:
        """Whether a request for ``api`` triggers this fault."""
        return self.api is None or self.api == api


class FaultPlan:
    """The armed faults of one simulator, thread-safe (the served simulator answers from threads)."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def inject(
        self, kind: FaultKind | str, *, times: int | None = 1, api: str | None = None, delay: float = 5.0
    ) -> Fault:
        """Arm a fault for the next ``times`` requests (to ``api`` only, when given)."""
        if times is not None and times < 1:
            raise ValueError("times must be at least 1, or None for every request")
        fault = Fault(FaultKind(kind), times, api, delay)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, api: str | None) -> Fault | None:
        """The fault that hits this request (first armed, first served), counting it down."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(api):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times == 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        """Disarm every fault."""
        with self._lock:
            self._faults.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._faults)
