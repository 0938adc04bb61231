"""``enunclic bridge``: JSON-RPC 2.0 over stdin/stdout for GUI frontends (Electron, Tauri, Qt...).

Framing is newline-delimited JSON (see :mod:`enunclic.bridge.framing`); logs go to
stderr only. The methods are an explicit allow-list (:data:`~enunclic.bridge.methods.METHODS`);
their JSON Schemas are checked in under ``docs/schema/``. See docs/bridge.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence

from ..pool import Pool
from .framing import DEFAULT_MAX_MESSAGE_BYTES
from .server import DEFAULT_CHUNK_BYTES, Bridge, StdinSource

__all__ = ["Bridge", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="enunclic bridge", description="JSON-RPC 2.0 bridge over stdin/stdout (newline-delimited JSON)."
    )
    parser.add_argument(
        "--max-message-bytes",
        type=int,
        default=DEFAULT_MAX_MESSAGE_BYTES,
        help="refuse incoming messages longer than this (default: %(default)s)",
    )
    parser.add_argument(
        "--chunk-bytes",
        type=int,
        default=DEFAULT_CHUNK_BYTES,
        help="split lists and deltas into messages of about this size (default: %(default)s)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="seconds each call or poll of a server may take, retries included: a deadline (default: %(default)s)",
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=["debug", "info", "warning", "error"],
        help="log level on stderr (default: %(default)s)",
    )
    return parser


async def _serve(args: argparse.Namespace, out: int) -> int:
    def write(data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(out, view) :]

    bridge = Bridge(
        write,
        pool=Pool(timeout=args.timeout),
        max_message_bytes=args.max_message_bytes,
        chunk_bytes=args.chunk_bytes,
    )
    return await bridge.run(StdinSource(sys.stdin.fileno(), args.max_message_bytes))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the bridge until stdin closes or ``bridge.shutdown``; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.max_message_bytes <= 0 or args.chunk_bytes <= 1024 or args.timeout <= 0:
        print("enunclic bridge: limits and timeout must be positive (chunk-bytes > 1024)", file=sys.stderr)
        return 2
    logging.basicConfig(
        stream=sys.stderr, level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request at INFO: that is every poll of every server, so it shows at debug only.
    for chatty in ("httpx", "httpcore"):
        logging.getLogger(chatty).setLevel(logging.DEBUG if args.log_level == "debug" else logging.WARNING)
    # The protocol owns file descriptor 1; a stray print() anywhere must land on stderr instead.
    sys.stdout.flush()
    out = os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        return asyncio.run(_serve(args, out))
    except KeyboardInterrupt:
        return 130
    finally:
        os.close(out)
