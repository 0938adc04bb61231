"""``enunclic demo`` and ``enunclic simulate``: in-process with typer's runner, and as real processes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
import typer
from typer.testing import CliRunner

import enunclic
from enunclic.cli import app
from enunclic.cli.simulate import build_synology, connect_url, parse_user
from enunclic.simulators.synology import SAMPLES

runner = CliRunner()


def test_demo_once_prints_every_sample_task_with_its_state() -> None:
    result = runner.invoke(app, ["demo", "--once"])
    assert result.exit_code == 0, result.output
    out = result.output
    for name in (
        "ubuntu-24.04.1-desktop-amd64.iso",
        "Big.Buck.Bunny.2008.2160p",
        "debian-12.7.0-amd64-DVD-1.iso",
        "archlinux-2024.11.01-x86_64.iso",
        "Distributed.Systems.Lecture.07.mp4",
        "annual-report-2023.pdf",
    ):
        assert name in out
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in out.splitlines() if line.count("│") > 3}
    assert rows["ubuntu-24.04.1-desktop-amd64.iso"] == "seeding"
    assert rows["Big.Buck.Bunny.2008.2160p"] == "downloading"
    assert rows["debian-12.7.0-amd64-DVD-1.iso"] == "metadata"
    assert rows["archlinux-2024.11.01-x86_64.iso"] == "paused"
    assert rows["annual-report-2023.pdf"] == "error"
    assert rows["Tears.of.Steel.2012.720p"] == "completed"
    assert "broken link" in out or "broken_link" in out
    assert re.search(r"http://127\.0\.0\.1:\d+", out)


def test_demo_once_on_dsm6_with_more_tasks() -> None:
    result = runner.invoke(app, ["demo", "--once", "--dsm", "6", "--tasks", str(len(SAMPLES) + 2)])
    assert result.exit_code == 0, result.output
    assert "DSM 6" in result.output
    assert "ubuntu-24.04.1-desktop-amd64.iso.part2" in result.output


def test_no_arguments_shows_help() -> None:
    result = runner.invoke(app, [])
    assert "demo" in result.output
    assert "simulate" in result.output


@pytest.mark.parametrize(
    ("text", "name", "password", "manager"),
    [("bob:pw", "bob", "pw", False), ("bob:pw:manager", "bob", "pw", True), ("bob:a:b:c", "bob", "a:b:c", False)],
)
def test_parse_user(text: str, name: str, password: str, manager: bool) -> None:
    spec = parse_user(text)
    assert (spec.name, spec.password, spec.manager) == (name, password, manager)


@pytest.mark.parametrize("text", ["bob", ":pw", "bob:", "bob::manager"])
def test_parse_user_refuses_malformed(text: str) -> None:
    with pytest.raises(typer.BadParameter):
        parse_user(text)


def test_given_password_stays_out_of_the_url() -> None:
    built = build_synology(7, [parse_user("bob:hunter2:manager")])
    assert connect_url("http://127.0.0.1:5000", built.login, include_password=False) == "synology://bob@127.0.0.1:5000"
    assert not built.generated_password


def test_otp_and_tasks_options_build_the_simulator() -> None:
    built = build_synology(6, [parse_user("bob:pw")], otp="246810", tasks=3)
    sim = built.simulator
    assert sim.personality.dsm_major == 6
    assert sim.state.accounts["bob"].otp_code == "246810"
    assert sim.state.accounts["bob"].manager is False
    assert len(sim.state.tasks) == 3


# -- as real processes ------------------------------------------------------------------------


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "enunclic.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )


def _read_until(process: subprocess.Popen[str], marker: str, timeout: float = 30.0) -> list[str]:
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if marker in line:
            return lines
    raise AssertionError(f"no {marker!r} in output: {''.join(lines)}")


@pytest.fixture
def simulate_process() -> Iterator[subprocess.Popen[str]]:
    process = _spawn(
        "simulate", "synology", "--port", "0", "--dsm", "6", "--user", "bob:s3cret:manager", "--tasks", "4"
    )
    yield process
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)


def test_simulate_serves_until_ctrl_c(simulate_process: subprocess.Popen[str]) -> None:
    lines = _read_until(simulate_process, "Press Ctrl-C")
    text = "".join(lines)
    assert "s3cret" not in text  # the user's own password is never printed
    match = re.search(r"synology://bob@127\.0\.0\.1:(\d+)", text)
    assert match, text
    port = int(match.group(1))
    with enunclic.Client("synology", url=f"http://127.0.0.1:{port}", username="bob", password="s3cret") as client:
        torrents = client.torrents()
    assert len(torrents) == 4
    simulate_process.send_signal(signal.SIGINT)
    out, _ = simulate_process.communicate(timeout=15)
    assert simulate_process.returncode == 0
    assert "Stopped." in out


def test_simulate_generated_admin_password_is_in_the_url() -> None:
    process = _spawn("simulate", "synology", "--port", "0")
    try:
        text = "".join(_read_until(process, "Press Ctrl-C"))
        match = re.search(r"synology://admin:([^@\s]+)@127\.0\.0\.1:(\d+)", text)
        assert match, text
        response = httpx.post(
            f"http://127.0.0.1:{match.group(2)}/webapi/entry.cgi",
            data={
                "api": "SYNO.API.Auth",
                "version": 7,
                "method": "login",
                "account": "admin",
                "passwd": match.group(1),
                "format": "sid",
            },
        )
        assert response.json()["success"] is True
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
    assert process.returncode == 0


def test_simulate_busy_port_is_a_clear_error() -> None:
    sim = build_synology(7, []).simulator
    with sim.serve() as server:
        result = runner.invoke(app, ["simulate", "synology", "--port", str(server.port)])
    assert result.exit_code == 1
    assert "cannot listen" in result.output


def test_live_demo_exits_cleanly_on_ctrl_c() -> None:
    process = _spawn("demo", "--interval", "0.2")
    try:
        _read_until(process, "Ctrl-C to stop")
        time.sleep(1.0)  # a few polls and refreshes
    finally:
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=15)
    assert process.returncode == 0, out
    assert "Traceback" not in out
    assert "Stopped." in out
    assert "Big.Buck.Bunny" in out  # the live table's last frame
