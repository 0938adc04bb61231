"""Sample tasks that make the simulator look like a real, busy NAS (the demo, ``simulate --tasks N``)."""

from __future__ import annotations

from dataclasses import dataclass

from .app import SynologySimulator
from .state import SimTask

__all__ = ["SAMPLES", "Sample", "add_samples"]

_MIB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    """One kind of task a NAS typically holds."""

    uri: str
    status: str
    progress: float = 0.0
    download_rate: int = 3 * _MIB
    upload_rate: int = 256 * 1024
    error: str | None = None
    metadata_pending: bool = False


_BTIH = "{:040x}"

#: A few BT tasks in various states, an http task and an error task.
SAMPLES: tuple[Sample, ...] = (
    Sample(
        "magnet:?xt=urn:btih:" + _BTIH.format(0x1A2B3C) + "&dn=ubuntu-24.04.1-desktop-amd64.iso"
        "&tr=udp%3A%2F%2Ftracker.opentrackr.org%3A1337%2Fannounce",
        "seeding",
        upload_rate=640 * 1024,
    ),
    Sample(
        "magnet:?xt=urn:btih:" + _BTIH.format(0x4D5E6F) + "&dn=Big.Buck.Bunny.2008.2160p"
        "&tr=udp%3A%2F%2Ftracker.opentrackr.org%3A1337%2Fannounce",
        "downloading",
        progress=0.42,
        download_rate=5 * _MIB,
    ),
    Sample(
        "magnet:?xt=urn:btih:" + _BTIH.format(0x778899) + "&dn=debian-12.7.0-amd64-DVD-1.iso",
        "downloading",
        metadata_pending=True,
    ),
    Sample(
        "magnet:?xt=urn:btih:" + _BTIH.format(0xABCDEF) + "&dn=archlinux-2024.11.01-x86_64.iso",
        "paused",
        progress=0.63,
    ),
    Sample(
        "https://cdn.example.org/lectures/Distributed.Systems.Lecture.07.mp4",
        "downloading",
        progress=0.18,
        download_rate=2 * _MIB,
    ),
    Sample("https://files.example.invalid/reports/annual-report-2023.pdf", "error", error="broken_link"),
    Sample(
        "magnet:?xt=urn:btih:" + _BTIH.format(0x135790) + "&dn=Sintel.2010.1080p",
        "waiting",
    ),
    Sample(
        "magnet:?xt=urn:btih:" + _BTIH.format(0x246801) + "&dn=Tears.of.Steel.2012.720p",
        "finished",
    ),
)


def _variant(sample: Sample, round_number: int) -> str:
    """The same sample again with a distinct link (and so a distinct task) for rounds after the first."""
    if round_number == 0:
        return sample.uri
    if sample.uri.startswith("magnet:"):
        head, _, rest = sample.uri.partition("&dn=")
        prefix, btih = head[:-40], head[-40:]
        fresh = f"{(int(btih, 16) + round_number * 0x1000000):040x}"
        name, _, trackers = rest.partition("&")
        return f"{prefix}{fresh}&dn={name}.part{round_number + 1}" + (f"&{trackers}" if trackers else "")
    return f"{sample.uri}?copy={round_number + 1}"


def add_samples(simulator: SynologySimulator, owner: str, count: int | None = None) -> list[SimTask]:
    """Add ``count`` sample tasks (all of :data:`SAMPLES` by default) owned by ``owner``."""
    total = len(SAMPLES) if count is None else count
    created: list[SimTask] = []
    for n in range(total):
        sample = SAMPLES[n % len(SAMPLES)]
        created.append(
            simulator.add_task(
                _variant(sample, n // len(SAMPLES)),
                owner=owner,
                status=sample.status,
                progress=sample.progress,
                download_rate=sample.download_rate,
                upload_rate=sample.upload_rate,
                error=sample.error,
                metadata_pending=sample.metadata_pending,
                uploaded=int(sample.progress * 400 * _MIB),
            )
        )
    return created
