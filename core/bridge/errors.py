"""Errors as JSON-RPC data: standard codes, one code per enunclic error class, secrets never echoed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import pydantic

from ..exceptions import CertificateError, EnunclicError, PartialFailureError
from ..watch import ErrorInfo
from .protocol import ErrorData, ParamProblem, RpcError

__all__ = [
    "ERROR_CODES",
    "INTERNAL_ERROR",
    "INVALID_PARAMS",
    "INVALID_REQUEST",
    "METHOD_NOT_FOUND",
    "PARSE_ERROR",
    "from_enunclic",
    "from_validation",
]

PARSE_ERROR: Final = -32700
INVALID_REQUEST: Final = -32600
METHOD_NOT_FOUND: Final = -32601
INVALID_PARAMS: Final = -32602
INTERNAL_ERROR: Final = -32603

#: JSON-RPC error code per enunclic error class (``data.kind`` carries the class name too).
#: A subclass not listed gets the code of its nearest listed base.
ERROR_CODES: Final[Mapping[str, int]] = {
    "EnunclicError": -32000,
    "ConnectError": -32001,
    "RequestTimeout": -32002,
    "AuthenticationError": -32003,
    "TwoFactorRequired": -32004,
    "SessionExpiredError": -32005,
    "PermissionDeniedError": -32006,
    "NotSupportedError": -32007,
    "TorrentNotFoundError": -32008,
    "PluginError": -32009,
    "ServerError": -32010,
    "PartialFailureError": -32011,
    "ProtocolError": -32012,
    "EndpointNotFoundError": -32013,
    "TransportError": -32014,
    "ClientClosedError": -32015,
    "CertificateError": -32016,
    "InvalidInputError": INVALID_PARAMS,
}


def code_for(error: EnunclicError) -> int:
    """The code of the nearest class of ``error`` listed in :data:`ERROR_CODES`."""
    for cls in type(error).__mro__:
        code = ERROR_CODES.get(cls.__name__)
        if code is not None and issubclass(cls, EnunclicError):
            return code
    return ERROR_CODES["EnunclicError"]


def from_enunclic(error: EnunclicError) -> RpcError:
    """A typed enunclic error as a JSON-RPC error (its message is already secret-free)."""
    failures = None
    if isinstance(error, PartialFailureError):
        failures = {tid: ErrorInfo.from_error(exc) for tid, exc in error.failures.items()}
    data = ErrorData(
        kind=error.kind,
        backend=error.backend,
        operation=error.operation,
        native_code=error.native_code,
        failures=failures,
        certificate=error.certificate if isinstance(error, CertificateError) else None,
    )
    return RpcError(code=code_for(error), message=error.message, data=data)


def from_validation(error: pydantic.ValidationError) -> RpcError:
    """Refused params: where and why, never the value that was sent (it may be a password)."""
    problems = [
        ParamProblem(loc=list(e["loc"]), msg=e["msg"], type=e["type"])
        for e in error.errors(include_url=False, include_input=False, include_context=False)
    ]
    summary = "; ".join(f"{'.'.join(str(x) for x in pr.loc) or 'params'}: {pr.msg}" for pr in problems[:5])
    return RpcError(
        code=INVALID_PARAMS, message=f"invalid params: {summary}", data=ErrorData(kind="InvalidParams", errors=problems)
    )


def simple(code: int, kind: str, message: str, *, limit: int | None = None) -> RpcError:
    """A bridge-level error (parse, request shape, unknown method, size, internal)."""
    return RpcError(code=code, message=message, data=ErrorData(kind=kind, limit=limit))
