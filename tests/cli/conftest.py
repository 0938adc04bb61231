"""CLI fixtures: an isolated config directory and keyring, and a simulated NAS served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from typer.testing import CliRunner, Result

from enunclic.cli import app
from enunclic.simulators.synology import SynologySimulator, add_samples

PASSWORD = "s3cret-Pa55"


class MemoryKeyring(KeyringBackend):
    """A keyring backend in a dict: stands in for the system keyring, which tests never touch."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise keyring.errors.PasswordDeleteError(username)
        del self.store[(service, username)]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Config under tmp_path, no server selected by the environment, and no keyring unless a test adds one."""
    config = tmp_path / "config"
    monkeypatch.setenv("ENUNCLIC_CONFIG_DIR", str(config))
    monkeypatch.delenv("ENUNCLIC_SERVER", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield config
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    """A working keyring for this test."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@dataclass
class Nas:
    """A served simulator and the enunclic URL of its admin account (no password in it)."""

    sim: SynologySimulator
    port: int

    @property
    def url(self) -> str:
        return f"synology://admin@127.0.0.1:{self.port}"


@pytest.fixture
def nas() -> Iterator[Nas]:
    """DSM 7 with the sample tasks, over real HTTP on 127.0.0.1 (the simulated clock stands still)."""
    sim = SynologySimulator(7)
    sim.add_account("admin", PASSWORD, manager=True)
    sim.add_account("alice", "wonder", default_destination="downloads")
    add_samples(sim, "admin")
    with sim.serve() as server:
        yield Nas(sim, server.port)


def cli(args: Sequence[str], input: str | None = None) -> Result:
    """Run ``enunclic ARGS`` in-process as a user would (stdout and stderr kept apart)."""
    return CliRunner().invoke(app, list(args), input=input)


@pytest.fixture
def saved(nas: Nas) -> Nas:
    """A default profile ``nas`` whose password is in the file (no keyring here)."""
    result = cli(
        ["--password-stdin", "servers", "add", "nas", nas.url, "--store-password-plaintext"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    return nas
