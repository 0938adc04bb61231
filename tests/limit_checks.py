"""What every backend's limit tests check on a real daemon, written once: limits kept when left out, changes polled."""

from __future__ import annotations

from typing import Any

from enunclic.testing.contract import eventually


def check_global_limits_kept(client: Any, download: int, upload: int) -> None:
    """Set the download limit, then the upload limit alone, then remove the download limit alone:
    each step keeps the other direction, as ``stats()`` reads back."""
    client.set_limits(download=download)
    client.set_limits(upload=upload)
    stats = client.stats()
    assert (stats.download_limit, stats.upload_limit) == (download, upload)
    client.set_limits(download=None)
    stats = client.stats()
    assert (stats.download_limit, stats.upload_limit) == (None, upload)


def polled_fields(client: Any, torrent_id: str, wanted: set[str], timeout: float = 10.0) -> set[str]:
    """Poll until the deltas for ``torrent_id`` have named every field of ``wanted`` (over one or more
    polls: some daemons list a change a moment after the call that made it)."""
    seen: set[str] = set()

    def all_seen() -> bool:
        seen.update(client.poll().changed_fields.get(torrent_id, ()))
        return seen >= wanted

    eventually(all_seen, timeout, interval=0.2)
    return seen
