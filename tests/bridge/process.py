"""The bridge as a real subprocess over pipes: send lines, read lines with timeouts."""

from __future__ import annotations

import itertools
import json
import queue
import subprocess
import sys
import threading
from typing import Any

_EOF = object()


class BridgeProcess:
    """``python -m enunclic.bridge`` with stdin/stdout pipes; stderr is collected separately."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "enunclic.bridge", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.raw_lines: list[bytes] = []
        self.stderr = b""
        self._lines: queue.Queue[object] = queue.Queue()
        self._ids = itertools.count(1)
        self._pending: list[dict[str, Any]] = []
        threading.Thread(target=self._read_stdout, daemon=True).start()
        self._stderr_thread = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr_thread.start()

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.raw_lines.append(line)
            self._lines.put(line)
        self._lines.put(_EOF)

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read()

    def send_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message: Any) -> None:
        self.send_raw(json.dumps(message).encode() + b"\n")

    def next_message(self, timeout: float = 10.0) -> dict[str, Any]:
        """The next line from stdout (not from the kept messages)."""
        item = self._lines.get(timeout=timeout)
        if item is _EOF:
            raise EOFError("the bridge closed stdout")
        assert isinstance(item, bytes)
        message: dict[str, Any] = json.loads(item)
        return message

    def reply(self, rid: Any, timeout: float = 10.0) -> dict[str, Any]:
        """The reply with this id; other messages are kept for later."""
        for i, message in enumerate(self._pending):
            if message.get("id") == rid and "method" not in message:
                return self._pending.pop(i)
        while True:
            message = self.next_message(timeout)
            if message.get("id") == rid and "method" not in message:
                return message
            self._pending.append(message)

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        rid = next(self._ids)
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, **({"params": params} if params else {})})
        return self.reply(rid)

    def notification(self, method: str, timeout: float = 10.0) -> dict[str, Any]:
        """The next notification of ``method`` (others before it are kept)."""
        for i, message in enumerate(self._pending):
            if message.get("method") == method:
                return self._pending.pop(i)["params"]  # type: ignore[no-any-return]
        while True:
            message = self.next_message(timeout)
            if message.get("method") == method:
                return message["params"]  # type: ignore[no-any-return]
            self._pending.append(message)

    def close_stdin(self, timeout: float = 10.0) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        return self.wait(timeout)

    def wait(self, timeout: float = 10.0) -> int:
        code = self.proc.wait(timeout)
        self._stderr_thread.join(timeout)
        return code

    def kill(self) -> None:
        """Stop the process if still running and close every pipe."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._stderr_thread.join(5)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:
                    pass
