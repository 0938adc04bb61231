"""Hardening fixtures: a fresh fake server per backend, and an async runner."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest

from .fakes import BACKENDS, Target, make_target

T = TypeVar("T")


@pytest.fixture(params=BACKENDS)
def target(request: pytest.FixtureRequest) -> Target:
    """Each backend's fake server holding 6 generated torrents."""
    return make_target(str(request.param), 6)


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run one coroutine on a private loop (the async client's tests)."""
    return asyncio.run(coroutine)
