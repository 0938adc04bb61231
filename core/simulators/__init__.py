"""Simulated torrent servers that behave like the real APIs, for tests, demos and GUI work without hardware.

Each simulator keeps its state machine and API handlers free of I/O; transports
(an in-process httpx transport, a real loopback HTTP server) sit on top.
"""

from __future__ import annotations
