"""``enunclic simulate synology``: a simulated server on loopback for GUI work and manual tests."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ..simulators.synology import SimulatorOptions, SynologySimulator

__all__ = ["SimulatedServer", "UserSpec", "build_synology", "parse_user", "simulate"]


class Simulated(str, Enum):
    """Servers that have a simulator."""

    synology = "synology"


@dataclass(frozen=True)
class UserSpec:
    """One ``--user NAME:PASSWORD[:manager]``."""

    name: str
    password: str = field(repr=False)
    manager: bool = False


def parse_user(text: str) -> UserSpec:
    """``NAME:PASSWORD`` or ``NAME:PASSWORD:manager`` (the password may itself contain colons)."""
    manager = text.endswith(":manager")
    body = text[: -len(":manager")] if manager else text
    name, sep, password = body.partition(":")
    if not sep or not name or not password:
        raise typer.BadParameter("expected NAME:PASSWORD or NAME:PASSWORD:manager", param_hint="--user")
    return UserSpec(name, password, manager)


@dataclass
class SimulatedServer:
    """A simulator with its accounts, and the account the printed URL names."""

    simulator: SynologySimulator
    login: UserSpec
    generated_password: bool


def build_synology(
    dsm: int,
    users: list[UserSpec],
    otp: str | None = None,
    tasks: int = 0,
    options: SimulatorOptions | None = None,
) -> SimulatedServer:
    """A wall-clock simulator with the given users (an ``admin`` manager with a random password when none)."""
    from ..simulators.synology import add_samples, real_time_simulator  # noqa: PLC0415 - keeps --help fast

    simulator = real_time_simulator(dsm, options=options)
    generated = not users
    if generated:
        users = [UserSpec("admin", secrets.token_urlsafe(9), manager=True)]
    for user in users:
        simulator.add_account(
            user.name,
            user.password,
            manager=user.manager,
            otp_code=otp,
            # Non-managers need their own default destination, or their creates fail with 406.
            default_destination=None if user.manager else "downloads",
        )
    if tasks:
        add_samples(simulator, users[0].name, tasks)
    return SimulatedServer(simulator, users[0], generated)


def connect_url(server_url: str, login: UserSpec, include_password: bool) -> str:
    """``synology://user[:password]@127.0.0.1:PORT``."""
    host = server_url.split("://", 1)[1]
    credentials = f"{login.name}:{login.password}" if include_password else login.name
    return f"synology://{credentials}@{host}"


def simulate(  # noqa: PLR0917 - typer maps each parameter to an argument or option
    server: Annotated[Simulated, typer.Argument(help="Which server to simulate.")],
    port: Annotated[int, typer.Option(help="TCP port on 127.0.0.1 (0 picks a free one).", min=0, max=65535)] = 5000,
    dsm: Annotated[int, typer.Option(help="DSM personality: 6 or 7.", min=6, max=7)] = 7,
    user: Annotated[
        list[str] | None,
        typer.Option(
            help="An account NAME:PASSWORD[:manager]; repeat for several. Default: admin with a random password."
        ),
    ] = None,
    otp: Annotated[str | None, typer.Option(help="Turn on 2-step verification with this one-time code.")] = None,
    tasks: Annotated[int, typer.Option(help="Sample tasks to start with.", min=0, max=10_000)] = 0,
) -> None:
    """Serve a simulated Download Station on 127.0.0.1 until Ctrl-C, and print the URL to connect to."""
    _ = server  # one simulator today; the argument keeps room for more
    users = [parse_user(item) for item in user or []]
    built = build_synology(dsm, users, otp, tasks)
    try:
        served = built.simulator.serve(port=port)
    except OSError as exc:
        typer.echo(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc} (try --port 0)", err=True)
        raise typer.Exit(1) from None
    login = built.login
    typer.echo(f"Simulated Download Station (DSM {dsm}) on {served.url}")
    typer.echo(f"Connect with: {connect_url(served.url, login, include_password=built.generated_password)}")
    if not built.generated_password:
        typer.echo(f"  as user {login.name!r} with the password you gave")
    if otp:
        typer.echo(f"  2-step verification is on: use otp_code={otp}")
    typer.echo("Press Ctrl-C to stop.", nl=True)
    stop = threading.Event()
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        typer.echo("Stopped.")
    finally:
        served.stop()
