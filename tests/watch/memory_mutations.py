"""Random server-side changes on a MemoryServer, for the delta property test."""

from __future__ import annotations

import random

from enunclic_memory import MemoryServer
from enunclic_memory.server import Entry


def mutate(server: MemoryServer, rng: random.Random) -> None:
    """Apply one to three random changes directly on the server (as another user would)."""
    for _ in range(rng.randint(1, 3)):
        entries = list(server.torrents.values())
        action = rng.choice(["add", "add", "pause", "resume", "remove", "label", "move", "queue", "noop"])
        if action == "add" or not entries:
            number = rng.getrandbits(64)
            entry = Entry(
                id=f"r{number:x}", info_hash=f"{number:040x}", name=f"random-{number:x}", size=rng.randint(0, 10**9),
                state=rng.choice(["seeding", "stopped", "fetching", "weird-native-state"]),
                destination=str(server.root), position=len(entries),
            )
            server.torrents[entry.id] = entry
            continue
        entry = rng.choice(entries)
        if action == "pause":
            entry.state = "stopped"
        elif action == "resume":
            entry.state = "seeding"
        elif action == "remove":
            del server.torrents[entry.id]
        elif action == "label":
            entry.label = rng.choice([None, "linux", "iso", "tv"])
        elif action == "move":
            entry.destination = rng.choice([str(server.root), str(server.root / "elsewhere")])
        elif action == "queue":
            entry.position = rng.randint(0, 20)
