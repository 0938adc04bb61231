"""Human units: speeds parsed from what users type, sizes and durations shown."""

from __future__ import annotations

import pytest

from enunclic.cli.units import counted, human_bytes, human_eta, human_limit, parse_rate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),  # a limit of 0 B/s: only a word removes a limit
        ("none", None),
        ("Unlimited", None),
        ("off", None),
        ("0k", 0),
        ("100000", 100_000),
        ("1", 1),
        ("512b", 512),
        ("500k", 500 * 1024),
        ("500K", 500 * 1024),
        ("500kb", 500 * 1024),
        ("500KiB/s", 500 * 1024),
        ("1.5MiB/s", 1_572_864),
        ("1.5 MiB/s", 1_572_864),
        ("2m", 2 * 1024**2),
        ("2M/s", 2 * 1024**2),
        (".5g", 512 * 1024**2),
        ("1GiB", 1024**3),
    ],
)
def test_parse_rate(text: str, expected: int | None) -> None:
    assert parse_rate(text) == expected


@pytest.mark.parametrize("text", ["", "fast", "-1k", "1.2.3m", "5t", "k", "1e3", "0.0001k", "5 mbit"])
def test_parse_rate_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="speed|less than"):
        parse_rate(text)


@pytest.mark.parametrize(
    ("value", "suffix", "expected"),
    [
        (None, "", "-"),
        (0, "", "0 B"),
        (1023, "", "1023 B"),
        (1536, "", "1.5 KiB"),
        (5 * 1024**2, "/s", "5.0 MiB/s"),
        (3 * 1024**4, "", "3.0 TiB"),
        (2048 * 1024**4, "", "2048.0 TiB"),
    ],
)
def test_human_bytes(value: int | None, suffix: str, expected: str) -> None:
    assert human_bytes(value, suffix) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"), [(None, "-"), (0, "0m00s"), (75, "1m15s"), (3725, "1h02m"), (400 * 3600, "16d16h")]
)
def test_human_eta(seconds: int | None, expected: str) -> None:
    assert human_eta(seconds) == expected


def test_human_limit() -> None:
    assert human_limit(None) == "unlimited"
    assert human_limit(2048) == "2.0 KiB/s"


@pytest.mark.parametrize(("count", "expected"), [(0, "0 torrents"), (1, "1 torrent"), (2, "2 torrents")])
def test_counted(count: int, expected: str) -> None:
    assert counted(count, "torrent") == expected


def test_a_date_at_the_end_of_the_calendar_is_shown_whatever_the_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time
    from datetime import datetime, timezone

    from rich.console import Console

    from enunclic.cli.render import details_table
    from enunclic.models import Torrent

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        last = datetime(9999, 12, 31, 23, 0, tzinfo=timezone.utc)
        torrent = Torrent(id="1", name="n", state="seeding", native_state="s", progress=1.0, added_at=last)
        console = Console(record=True, width=120)
        console.print(details_table(torrent))
        assert "9999-12-31" in console.export_text()
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
