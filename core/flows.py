"""Sans-I/O flows: each backend operation is written once, as a generator.

A flow yields :class:`httpx.Request` objects and receives the complete
:class:`httpx.Response` for each; its return value is the operation's result.
A flow may also yield :class:`Serialized` to run a nested flow while holding the
client's one lock (a login, so that concurrent calls never log in twice), and
:class:`Wait` to let time pass (a server that applies a change on its next tick).

The sync and the async driver in :mod:`enunclic.drivers` are the only code that
performs I/O; the backend code never knows which one runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, Union

import httpx

__all__ = ["MAX_WAIT", "Call", "Flow", "Serialized", "Step", "Wait", "done"]

T = TypeVar("T")


@dataclass(frozen=True)
class Serialized:
    """Run the flow that ``make()`` returns under the client's lock; its result is sent back.

    ``make`` is called once the lock is held, so it can look at shared state (such
    as a session generation) and decide that there is nothing left to do. With
    ``authenticated=False`` its requests skip the backend's auth (a login's own requests).
    """

    make: Callable[[], Generator[Any, Any, Any]]
    authenticated: bool = True


#: The longest single :class:`Wait`, in seconds: a flow that needs longer waits again.
MAX_WAIT = 10.0


@dataclass(frozen=True)
class Wait:
    """Let ``seconds`` pass before the flow goes on (the driver sleeps; ``None`` is sent back).

    For servers that apply a command later than they answer it: a flow that must see the
    effect before its next request waits and reads again, without knowing sync from async.
    """

    seconds: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.seconds <= MAX_WAIT:  # NaN fails both comparisons
            raise ValueError(f"a Wait takes 0..{MAX_WAIT} seconds, not {self.seconds!r}")


#: What a flow may yield.
Step = Union[httpx.Request, Serialized, Wait]

#: A flow: yields requests (or Serialized, or Wait), receives responses, returns ``T``.
Flow = Generator[Step, Any, T]


@dataclass(frozen=True)
class Call(Generic[T]):
    """A flow with the name of the public operation it serves (for error context and logs).

    ``again`` makes a fresh flow for a retry; only idempotent reads have one, so an
    add or a remove is never sent twice.
    """

    operation: str
    flow: Flow[T]
    again: Callable[[], Flow[T]] | None = None


def done(value: T) -> Flow[T]:
    """A flow that sends nothing and returns ``value`` (an empty bulk operation)."""
    yield from ()
    return value
