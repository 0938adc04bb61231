"""``enunclic watch``: a bounded live table, and JSON lines of deltas."""

from __future__ import annotations

import json

from .conftest import Nas, cli


def test_watch_count_draws_the_table(saved: Nas) -> None:
    result = cli(["watch", "--count", "2", "--interval", "0.1", "--columns", "name,state"])
    assert result.exit_code == 0, result.output
    assert "Big.Buck.Bunny.2008.2160p" in result.stdout
    assert f"127.0.0.1:{saved.port}" in result.stdout


def test_watch_json_lines_are_deltas(saved: Nas) -> None:
    result = cli(["watch", "--count", "3", "--interval", "0.1", "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3
    first, *rest = lines
    assert len(first["added"]) == 8
    assert first["removed"] == []
    for delta in rest:  # the simulated clock stands still: nothing changes
        assert delta == {"added": [], "changed": [], "removed": [], "changed_fields": {}, "events": []}


def test_watch_sees_a_change_between_polls(saved: Nas) -> None:
    saved.sim.options.download_rate = 1024 * 1024
    first = cli(["watch", "--count", "1", "--json"])
    assert len(json.loads(first.stdout)["added"]) == 8
    # A task paused on the server shows up as a change of state in the next poll of a new watch's table.
    target = next(r for r in json.loads(cli(["list", "--json"]).stdout) if r["state"] == "downloading")
    assert cli(["pause", target["id"]]).exit_code == 0
    table = cli(["watch", "--count", "1", "--columns", "id,state"])
    assert any(target["id"] in line and "paused" in line for line in table.stdout.splitlines())


def test_watch_wrong_password_exits_3(nas: Nas) -> None:
    result = cli(["--password-stdin", "-s", nas.url, "watch", "--count", "1"], input="bad\n")
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: ")
