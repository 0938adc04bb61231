"""Sans-I/O flows: each backend operation is written once, as a generator.

A flow yields :class:`httpx.Request` objects and receives the complete
:class:`httpx.Response` for each; its return value is the operation's result.
A flow may also yield :class:`Serialized` to run a nested flow while holding the
client's one lock (a login, so that concurrent calls never log in twice).

The sync and the async driver in :mod:`enunclic.drivers` are the only code that
performs I/O; the backend code never knows which one runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, Union

import httpx

__all__ = ["Call", "Flow", "Serialized", "Step", "done"]

T = TypeVar("T")


@dataclass(frozen=True)
class Serialized:
    """Run the flow that ``make()`` returns under the client's lock; its result is sent back.

    ``make`` is called once the lock is held, so it can look at shared state (such
    as a session generation) and decide that there is nothing left to do.
    """

    make: Callable[[], Generator[Any, Any, Any]]


#: What a flow may yield.
Step = Union[httpx.Request, Serialized]

#: A flow: yields requests (or Serialized), receives responses, returns ``T``.
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
