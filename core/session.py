"""Single-flight sessions: log in once, re-login once on expiry, never a login storm.

A backend keeps one :class:`Session` per client and wraps each API call in
:meth:`Session.call`. The login itself runs as a :class:`~enunclic.flows.Serialized`
step, so concurrent async calls that all find the session gone wait for one
login instead of each starting their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .exceptions import SessionExpiredError
from .flows import Flow, Serialized

__all__ = ["Session"]

T = TypeVar("T")


class Session:
    """Login state shared by every flow of one client.

    ``login`` is the backend's login flow; it must raise on failure and store
    whatever token it obtained on the backend itself.
    """

    def __init__(self, login: Callable[[], Flow[None]]) -> None:
        self._login = login
        self.generation = 0
        self.active = False

    def ensure(self) -> Flow[None]:
        """Log in unless a session is already active."""
        if not self.active:
            yield Serialized(self._login_unless_newer(self.generation))

    def renew(self, seen_generation: int) -> Flow[None]:
        """Log in again, unless another flow already did since ``seen_generation``."""
        yield Serialized(self._login_unless_newer(seen_generation))

    def invalidate(self) -> None:
        """Forget the session (after logout, or when the server says it is gone)."""
        self.active = False

    def call(self, make_flow: Callable[[], Flow[T]]) -> Flow[T]:
        """Run ``make_flow()`` in a session; on :class:`SessionExpiredError`, re-login once and retry once.

        A second expiry surfaces as :class:`SessionExpiredError`.
        """
        yield from self.ensure()
        seen = self.generation
        try:
            return (yield from make_flow())
        except SessionExpiredError:
            pass  # fall through to one renewal; another flow may already have renewed
        yield from self.renew(seen)
        try:
            return (yield from make_flow())
        except SessionExpiredError as exc:
            self.active = False
            raise SessionExpiredError(
                "the session ended again right after a fresh login",
                native_code=exc.native_code,
            ) from exc

    def _login_unless_newer(self, seen_generation: int) -> Callable[[], Flow[Any]]:
        def run() -> Flow[None]:
            if self.active and self.generation != seen_generation:
                return  # another flow logged in while this one waited for the lock
            self.active = False
            yield from self._login()
            self.generation += 1
            self.active = True

        return run
