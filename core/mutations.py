"""A client's count of the changes it made, so that a watcher can refresh at once instead of at its next tick.

After a successful pause, resume, remove, add... the client bumps its
:class:`MutationSignal`; ``watch()``, ``awatch()`` and the bridge's subscriptions wait
on it between polls, so the row a GUI just acted on changes one round trip later, not
one interval later. Works across threads (a sync client shared with a GUI thread) and
with asyncio (waiters are woken in their own loop).
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # asyncio loads with the first async wait, not with every sync client
    import asyncio

__all__ = ["MutationSignal"]


class MutationSignal:
    """A counter of successful mutations that threads and coroutines can wait on."""

    def __init__(self) -> None:
        self._count = 0
        self._condition = threading.Condition()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    @property
    def count(self) -> int:
        """How many mutations so far: a watcher keeps the value it last acted on."""
        return self._count

    def bump(self) -> None:
        """Record one mutation and wake every waiter."""
        with self._condition:
            self._count += 1
            self._condition.notify_all()
            waiters = list(self._waiters)
        for loop, event in waiters:
            with contextlib.suppress(RuntimeError):  # that loop is closed: its waiter is gone
                loop.call_soon_threadsafe(event.set)

    def wait(self, seen: int, timeout: float) -> bool:
        """Block until the count differs from ``seen`` or ``timeout`` seconds pass; True when woken early."""
        with self._condition:
            return self._condition.wait_for(lambda: self._count != seen, timeout)

    async def wait_async(self, seen: int, timeout: float) -> bool:
        """The coroutine form of :meth:`wait`."""
        import asyncio  # noqa: PLC0415 - lazy, see the imports

        event = asyncio.Event()
        waiter = (asyncio.get_running_loop(), event)
        with self._condition:
            if self._count != seen:
                return True
            self._waiters.add(waiter)
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        finally:
            with self._condition:
                self._waiters.discard(waiter)
        return True
