"""DSM error codes as data, one table per API family (the same number means different things per API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = ["AUTH_CODES", "COMMON_CODES", "TASK_CODES", "ApiError"]

#: Codes any API may answer (reference §4.1).
COMMON_CODES: Final[Mapping[int, str]] = {
    100: "Unknown error",
    101: "Invalid parameter",
    102: "The requested API does not exist",
    103: "The requested method does not exist",
    104: "The requested version does not support the functionality",
    105: "The logged in session does not have permission",
    106: "Session timeout",
    107: "Session interrupted by duplicate login",
    108: "Failed to upload the file",
    119: "SID not found",
    120: "Parameter validation error",
}

#: ``SYNO.API.Auth`` only (reference §4.2).
AUTH_CODES: Final[Mapping[int, str]] = {
    400: "No such account or incorrect password",
    401: "Account disabled",
    402: "Permission denied",
    403: "2-step verification code required",
    404: "Failed to authenticate 2-step verification code",
    406: "2-step verification is enforced but not set up",
    407: "Blocked IP source",
}

#: ``SYNO.DownloadStation.Task`` and the DS2 task APIs (reference §4.3).
TASK_CODES: Final[Mapping[int, str]] = {
    400: "File upload failed",
    401: "Max number of tasks reached",
    402: "Destination denied",
    403: "Destination does not exist",
    404: "Invalid task id",
    405: "Invalid task action",
    406: "No default destination",
    407: "Set destination failed",
    408: "File does not exist",
}


class ApiError(Exception):
    """A DSM error reply: ``{"success":false,"error":{"code":N[,"errors":{...}]}}`` with HTTP 200."""

    def __init__(self, code: int, errors: Mapping[str, Any] | None = None) -> None:
        super().__init__(f"DSM error {code}")
        self.code = code
        self.errors = dict(errors) if errors is not None else None

    def body(self) -> dict[str, Any]:
        """The ``error`` object of the envelope."""
        error: dict[str, Any] = {"code": self.code}
        if self.errors is not None:
            error["errors"] = self.errors
        return error
