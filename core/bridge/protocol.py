"""The bridge's wire models: JSON-RPC envelopes, method parameters, results and notifications.

Every model here is plain data (pydantic, ``extra="forbid"``); the JSON Schemas in
``docs/schema/`` are generated from them. Credentials are ``SecretStr``: they never
appear in a reply, a log line or a validation error.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Final, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from ..capabilities import Capability
from ..certificates import CertificateInfo
from ..models import Delta, ServerInfo, Torrent, TorrentEvent
from ..pool import ServerState
from ..states import FilePriority, QueueMove
from ..watch import ErrorInfo

__all__ = [
    "PROTOCOL_VERSION",
    "BackendView",
    "BridgeInfo",
    "DeltaNotice",
    "ErrorData",
    "ErrorResponse",
    "Notification",
    "Ok",
    "Request",
    "Response",
    "RpcError",
    "ServerAdded",
    "Subscribed",
    "TorrentPage",
    "WireDelta",
]

#: Bumped on any incompatible change of a method, result or notification.
PROTOCOL_VERSION: Final = 1

_STRICT = ConfigDict(extra="forbid", frozen=True)

#: Names a server's ``options`` may not use: they are fields of ``servers.add`` or not settable over the wire.
RESERVED_OPTIONS: Final = frozenset(
    {
        "backend", "url", "username", "password", "verify", "timeout", "transport", "max_reply_bytes", "name",
        "retries", "otp_code", "device_token", "tls_fingerprint",
    }
)

Id = Union[int, str, None]


# -- envelopes ------------------------------------------------------------------------


class Request(BaseModel):
    """A JSON-RPC 2.0 request (with ``id``) or notification (without); params by name only."""

    model_config = _STRICT

    jsonrpc: Literal["2.0"]
    id: int | str | None = None
    method: str
    params: dict[str, Any] | None = None


class ParamProblem(BaseModel):
    """One reason the params were refused (never echoing the value sent)."""

    model_config = _STRICT

    loc: list[int | str]
    msg: str
    type: str


class ErrorData(BaseModel):
    """``error.data`` of every bridge error: what kind, where, and the server's own code."""

    model_config = _STRICT

    kind: str = Field(
        description="An enunclic error class name, or ParseError, InvalidRequest, MethodNotFound, "
        "InvalidParams, MessageTooLarge, InternalError."
    )
    backend: str | None = None
    operation: str | None = None
    native_code: int | str | None = None
    errors: list[ParamProblem] | None = Field(default=None, description="InvalidParams: each problem.")
    failures: dict[str, ErrorInfo] | None = Field(default=None, description="PartialFailureError: id -> error.")
    limit: int | None = Field(default=None, description="MessageTooLarge: the limit in bytes.")
    certificate: CertificateInfo | None = Field(
        default=None, description="CertificateError: the untrusted certificate, for a trust dialog."
    )


class RpcError(BaseModel):
    """The JSON-RPC ``error`` member."""

    model_config = _STRICT

    code: int
    message: str
    data: ErrorData | None = None


class Response(BaseModel):
    """A successful reply; ``result`` is described per method in ``methods/<name>.json``."""

    model_config = _STRICT

    jsonrpc: Literal["2.0"]
    #: The request's id; null when the request gave null (JSON-RPC 2.0 allows it, and discourages it).
    id: int | str | None
    result: Any


class ErrorResponse(BaseModel):
    """A failed reply; ``id`` is null when the request could not be read."""

    model_config = _STRICT

    jsonrpc: Literal["2.0"]
    id: int | str | None
    error: RpcError


class Notification(BaseModel):
    """A message from the bridge that expects no reply (``torrents.delta``, ``servers.status``)."""

    model_config = _STRICT

    jsonrpc: Literal["2.0"]
    method: str
    params: dict[str, Any]


# -- parameters -------------------------------------------------------------------------


class NoParams(BaseModel):
    """No parameters (an absent ``params`` or ``{}``)."""

    model_config = _STRICT


class ServerRef(BaseModel):
    """Names one server of the bridge."""

    model_config = _STRICT

    server: str = Field(min_length=1, max_length=200)


class TorrentRef(ServerRef):
    """One torrent on one server."""

    id: str = Field(min_length=1)


class TorrentIds(ServerRef):
    """Several torrents on one server (an empty list sends nothing)."""

    ids: list[str] = Field(max_length=100_000)


OptionValue = Union[bool, int, float, str]


class ServerAddParams(BaseModel):
    """Connect a server. ``url`` is an enunclic URL such as ``transmission://127.0.0.1:9091``."""

    model_config = _STRICT

    name: str = Field(min_length=1, max_length=200, description="The caller's unique name for this server.")
    url: str = Field(min_length=1, max_length=4096)
    username: str | None = None
    password: SecretStr | None = Field(default=None, description="Never echoed back, logged or shown in errors.")
    verify: bool | str = Field(
        default=True, description="TLS: true, false, the path of a CA bundle, or trusted certificates as PEM text."
    )
    tls_fingerprint: str | None = Field(
        default=None,
        max_length=200,
        description="Trust exactly the certificate with this SHA-256 fingerprint (from servers.certificate).",
    )
    otp_code: SecretStr | None = Field(
        default=None,
        max_length=32,
        description="A two-step verification code, when the server asks for one (TwoFactorRequired).",
    )
    device_token: SecretStr | None = Field(
        default=None,
        max_length=4096,
        description="The device_token of an earlier servers.add with otp_code: logs in without a code.",
    )
    timeout: float = Field(default=30.0, gt=0, le=600)
    options: dict[str, OptionValue] = Field(default_factory=dict, description="The backend's own options.")
    connect: bool = Field(default=True, description="Log in now; on failure nothing is added and the error returns.")

    @field_validator("options")
    @classmethod
    def _no_reserved(cls, value: dict[str, OptionValue]) -> dict[str, OptionValue]:
        clash = sorted(RESERVED_OPTIONS & set(value))
        if clash:
            raise ValueError(f"options may not set {', '.join(clash)}")
        return value


class CertificateParams(BaseModel):
    """Fetch a server's TLS certificate without trusting it, to ask the user whether to trust it."""

    model_config = _STRICT

    url: str = Field(min_length=1, max_length=4096, description="The enunclic URL, as for servers.add (https).")
    timeout: float = Field(default=10.0, gt=0, le=60)


class TorrentsListParams(ServerRef):
    """A page of the torrent list; the bridge may return fewer than ``limit`` to keep a reply small."""

    offset: int = Field(default=0, ge=0)
    limit: int | None = Field(default=None, ge=1)


class TorrentsAddParams(ServerRef):
    """Add exactly one of: ``uri`` (a magnet link or http(s) URL) or ``torrent`` (.torrent bytes in base64)."""

    uri: str | None = Field(default=None, min_length=1)
    torrent: str | None = Field(default=None, min_length=1, description="Standard base64 of the .torrent file.")
    destination: str | None = None
    paused: bool = False
    label: str | None = None
    skip_check: bool = Field(default=False, description="Trust the data already on disk (add_skip_check).")
    rename: str | None = Field(default=None, min_length=1, description="The torrent's name on the server (add_rename).")
    wanted_files: list[int] | None = Field(
        default=None,
        min_length=1,
        max_length=1_000_000,
        description="Indexes (in the .torrent) of the files to download, the others skipped (add_file_selection).",
    )
    download_limit: int | None = Field(default=None, gt=0, description="Bytes per second from the start (add_limits).")
    upload_limit: int | None = Field(default=None, gt=0, description="Bytes per second from the start (add_limits).")

    @model_validator(mode="after")
    def _one_source(self) -> TorrentsAddParams:
        if (self.uri is None) == (self.torrent is None):
            raise ValueError("give exactly one of uri or torrent")
        return self

    @field_validator("torrent")
    @classmethod
    def _base64(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise ValueError("torrent must be standard base64") from None
        return value

    def content(self) -> bytes | str:
        """The source as ``add()`` takes it."""
        if self.torrent is not None:
            return base64.b64decode(self.torrent, validate=True)
        assert self.uri is not None  # noqa: S101 - guaranteed by _one_source
        return self.uri


class TorrentsRemoveParams(TorrentIds):
    """Remove torrents; ``delete_data`` also deletes their files (where the backend can)."""

    delete_data: bool = False


class SwitchParams(TorrentIds):
    """Switch a per-torrent setting on or off."""

    enabled: bool


class RatioLimitParams(TorrentIds):
    """Stop seeding at this ratio; null: no limit of the torrents' own (the server's default applies)."""

    ratio: float | None = Field(ge=0, lt=1e6)


class AltSpeedParams(ServerRef):
    """Switch the server's alternative (turtle) speed limits on or off."""

    enabled: bool


class SetLabelParams(TorrentIds):
    """Set (or with null clear) the label."""

    label: str | None


class MoveParams(TorrentIds):
    """Move the data to another folder on the server."""

    destination: str = Field(min_length=1)


class FilePriorityParams(TorrentRef):
    """Set the priority of files by index; ``skip`` means do not download."""

    indexes: list[int] = Field(max_length=1_000_000)
    priority: FilePriority


def _omitted_is_not_null(schema: dict[str, Any]) -> None:
    """A limit key has no default in the schema: left out keeps the limit, null removes it."""
    schema.pop("default", None)


_LIMIT = (
    "Bytes per second; null removes the limit; left out, the limit is kept. "
    "0 (no transfer) only where the server has it (Transmission), else InvalidInputError."
)


class LimitChange(BaseModel):
    """A speed limit change: each key given is set (null: no limit), each key left out is kept; at least one."""

    model_config = _STRICT

    download: int | None = Field(default=None, ge=0, description=_LIMIT, json_schema_extra=_omitted_is_not_null)
    upload: int | None = Field(default=None, ge=0, description=_LIMIT, json_schema_extra=_omitted_is_not_null)

    @model_validator(mode="after")
    def _some_limit(self) -> LimitChange:
        if not self.limits():
            raise ValueError("give download, upload or both (null removes a limit, a key left out keeps it)")
        return self

    def limits(self) -> dict[str, int | None]:
        """The keys that were sent, as ``set_limits`` keywords (those left out are kept)."""
        return {name: getattr(self, name) for name in ("download", "upload") if name in self.model_fields_set}


class TorrentLimitsParams(TorrentIds, LimitChange):
    """Per-torrent limits in bytes/s: a key left out keeps that limit, null removes it."""


class GlobalLimitsParams(ServerRef, LimitChange):
    """Whole-server limits in bytes/s: a key left out keeps that limit, null removes it."""


class QueueMoveParams(TorrentIds):
    """Move torrents in the queue."""

    direction: QueueMove


class SubscribeParams(ServerRef):
    """Receive ``torrents.delta`` notifications for a server, polled every ``interval`` seconds."""

    interval: float = Field(default=2.0, ge=0.05, le=3600)


# -- results --------------------------------------------------------------------------------


class Ok(BaseModel):
    """The result of an action that returns nothing."""

    model_config = _STRICT

    ok: Literal[True] = True


class BackendView(BaseModel):
    """One backend the bridge can connect to."""

    model_config = _STRICT

    name: str
    display_name: str
    capabilities: list[Capability]


class MethodNeed(BaseModel):
    """One capability a method needs: a GUI enables the button only when the server reports it."""

    model_config = _STRICT

    method: str
    capability: Capability
    when: str | None = Field(default=None, description="Needed only with these params; always when null.")


class BridgeInfo(BaseModel):
    """What ``bridge.info`` answers: versions, framing, limits, methods and backends."""

    model_config = _STRICT

    name: Literal["enunclic-bridge"] = "enunclic-bridge"
    version: str
    protocol: int = PROTOCOL_VERSION
    framing: Literal["ndjson"] = "ndjson"
    max_message_bytes: int
    chunk_bytes: int
    methods: list[str]
    notifications: list[str]
    backends: list[BackendView]
    method_capabilities: list[MethodNeed] = Field(
        description="What each method needs in a server's capabilities (servers.info, servers.add), in method order."
    )


class ServerAdded(BaseModel):
    """A server was added: its state and, when connected, what it is."""

    model_config = _STRICT

    server: ServerState
    info: ServerInfo | None = None
    device_token: str | None = Field(
        default=None,
        description="Issued by a two-step login (otp_code): keep it in the OS keychain and give it as device_token "
        "next time, so the code is asked once per device. A secret: never logged.",
    )


class TorrentPage(BaseModel):
    """Part of the torrent list; ask again from ``next_offset`` until it is null."""

    model_config = _STRICT

    torrents: list[Torrent]
    total: int = Field(ge=0)
    offset: int = Field(ge=0)
    next_offset: int | None = None


class Subscribed(BaseModel):
    """A subscription is active."""

    model_config = _STRICT

    server: str
    interval: float


class WireDelta(BaseModel):
    """A :class:`~enunclic.Delta` as plain JSON: ``changed_fields`` lists are sorted."""

    model_config = _STRICT

    added: list[Torrent] = Field(default_factory=list)
    changed: list[Torrent] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    changed_fields: dict[str, list[str]] = Field(default_factory=dict)

    @classmethod
    def from_delta(cls, delta: Delta) -> WireDelta:
        return cls(
            added=delta.added,
            changed=delta.changed,
            removed=delta.removed,
            changed_fields={tid: sorted(names) for tid, names in delta.changed_fields.items()},
        )


class EventsNotice(BaseModel):
    """``torrents.events``: what to tell the user about a subscribed server's last poll (never for its
    first poll): torrents added or removed by anyone, completed, errored. Sent after its ``torrents.delta``."""

    model_config = _STRICT

    server: str
    events: list[TorrentEvent] = Field(min_length=1)


class DeltaNotice(BaseModel):
    """``torrents.delta``: what changed on a subscribed server, or why the poll failed.

    ``full`` marks a baseline: on ``chunk == 0`` of a full notice, clear the server's table
    first. A delta too large for one message arrives as ``chunks`` notices with the same
    ``seq``; apply each as it comes.
    """

    model_config = _STRICT

    server: str
    seq: int = Field(ge=1, description="Per subscription, +1 per poll reported.")
    full: bool = False
    chunk: int = Field(default=0, ge=0)
    chunks: int = Field(default=1, ge=1)
    delta: WireDelta | None = None
    error: ErrorInfo | None = None
    attempt: int = Field(default=0, ge=0)
    next_retry_in: float | None = None
