"""Exit codes of the ``enunclic`` command, and how an error becomes one readable line.

The table is data (:data:`EXIT_CODES`): the first row whose class matches the error wins,
so subclasses come before their parents.
"""

from __future__ import annotations

from enum import IntEnum

from ..exceptions import (
    AuthenticationError,
    ConnectError,
    EnunclicError,
    InvalidInputError,
    NotSupportedError,
    RequestTimeout,
)

__all__ = ["EXIT_CODES", "CliError", "ExitCode", "exit_code_for"]


class ExitCode(IntEnum):
    """What ``enunclic`` returns; documented in docs/cli.md."""

    OK = 0
    #: The server refused, a torrent was not found, a reply made no sense, some of many adds failed.
    ERROR = 1
    #: Bad command line (typer's own), bad input (URL, magnet, speed), unknown server profile.
    USAGE = 2
    #: The server could not be reached, did not answer in time, or refused the credentials.
    CONNECTION = 3
    #: The server (or this version of it) cannot do what was asked.
    NOT_SUPPORTED = 4
    #: Stopped with Ctrl-C (``watch`` and ``demo`` exit 0 instead: stopping is how they end).
    INTERRUPTED = 130


#: Error class -> exit code; the first match wins.
EXIT_CODES: tuple[tuple[type[EnunclicError], ExitCode], ...] = (
    (InvalidInputError, ExitCode.USAGE),
    (NotSupportedError, ExitCode.NOT_SUPPORTED),
    (AuthenticationError, ExitCode.CONNECTION),
    (ConnectError, ExitCode.CONNECTION),
    (RequestTimeout, ExitCode.CONNECTION),
    (EnunclicError, ExitCode.ERROR),
)


class CliError(Exception):
    """A failure of the command line itself (profiles, selection, confirmation), with its exit code."""

    def __init__(self, message: str, code: ExitCode = ExitCode.ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def exit_code_for(error: BaseException) -> ExitCode:
    """The exit code of an error the command line reports (anything else is a bug: ERROR)."""
    if isinstance(error, CliError):
        return error.code
    for cls, code in EXIT_CODES:
        if isinstance(error, cls):
            return code
    return ExitCode.ERROR
