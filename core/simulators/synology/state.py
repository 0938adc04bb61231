"""Everything the simulated NAS remembers: options, accounts, shared folders, sessions and tasks.

Plain data: the handlers change it, the engine moves tasks forward; nothing here does I/O.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .ciphers import NoiseKey

__all__ = [
    "Account",
    "PendingList",
    "SessionRecord",
    "SimFile",
    "SimTask",
    "SimulatorOptions",
    "State",
]

SessionState = Literal["active", "interrupted", "rebooted"]


@dataclass
class SimulatorOptions:
    """Behaviour switches; the defaults follow reference §10, uncertain facts are choices named here."""

    #: Numbers in task objects as JSON strings (the 2014 PDF's form) instead of ints (DSM 6/7).
    numbers_as_strings: bool = False
    #: Idle seconds after which a sid stops working. The real value is undocumented (~1 h is reported).
    session_idle_timeout: float = 3600.0
    #: The code an idle-expired sid answers: 106 "Session timeout" (119 is kept for unknown sids).
    expired_session_code: int = 106
    #: A second login of the same account with the same ``session`` name ends the first one (107).
    interrupt_duplicate_logins: bool = False
    #: Failed logins from one address within ``block_window`` seconds before it is blocked (407).
    block_threshold: int = 10
    block_window: float = 300.0
    #: v1 ``list.total``: "all" counts every visible task, "returned" counts the page (STA's reading).
    list_total: Literal["all", "returned"] = "all"
    #: v1 ``getinfo`` of an unknown id: "omit" leaves it out (cmeans reads empty as not found), "error" answers 404.
    getinfo_unknown: Literal["omit", "error"] = "omit"
    #: DS2 ``create`` with ``destination=""``: "default" uses the user's default (DS 4.x), "error" answers 120 (DS 3.9).
    ds2_empty_destination: Literal["default", "error"] = "default"
    #: Whether DS2 ``create`` returns the new task ids (cmeans saw replies without them).
    ds2_returns_task_ids: bool = True
    #: The DS2 numeric status of an error task: unknown upstream, so a value outside the known table.
    ds2_error_status: int = 101
    #: Seconds a new task waits in the queue, a finished download spends in ``finishing``.
    waiting_seconds: float = 2.0
    finishing_seconds: float = 2.0
    #: Seconds a magnet needs to fetch its metadata (reported as 10-60 s on real NAS).
    metadata_seconds: float = 10.0
    #: Default transfer speeds of new tasks, bytes per second.
    download_rate: int = 4 * 1024 * 1024
    upload_rate: int = 512 * 1024
    #: Seconds a finished BT task seeds before it is ``finished``; None seeds forever.
    seed_seconds: float | None = None
    #: Default destination of manager accounts (``getconfig.default_destination``).
    default_destination: str | None = "downloads"
    #: Largest number of tasks; beyond it ``create`` answers 401.
    max_tasks: int = 2048


@dataclass
class Account:
    """A DSM user with the Download Station permission."""

    name: str
    password: str = field(repr=False)
    manager: bool = False
    #: The one valid OTP code when 2FA is on (a real NAS takes a TOTP; a fixed code is enough here).
    otp_code: str | None = field(default=None, repr=False)
    #: 2FA enforced by policy but not set up for this account: login answers 406.
    otp_enforced: bool = False
    disabled: bool = False
    #: The user's own default destination; managers fall back to the server's.
    default_destination: str | None = None
    device_tokens: set[str] = field(default_factory=set, repr=False)


@dataclass
class SessionRecord:
    """One sid handed out by a login."""

    sid: str = field(repr=False)
    account: str
    name: str
    created: float
    last_used: float
    state: SessionState = "active"


@dataclass
class SimFile:
    """One file of a BT task."""

    filename: str
    size: int
    priority: str = "normal"
    wanted: bool = True


@dataclass
class SimTask:
    """One Download Station task and its progress; ``downloaded``/``uploaded`` are floats to keep sub-byte steps."""

    id: str
    owner: str
    type: str
    title: str
    uri: str
    destination: str
    status: str
    create_time: float
    #: Final size (known from the start for files and URLs, after metadata for magnets).
    real_size: int
    size: int
    files: list[SimFile] = field(default_factory=list)
    trackers: list[str] = field(default_factory=list)
    downloaded: float = 0.0
    uploaded: float = 0.0
    download_rate: int = 0
    upload_rate: int = 0
    speed_download: int = 0
    speed_upload: int = 0
    started_time: float = 0.0
    completed_time: float = 0.0
    seedelapsed: float = 0.0
    #: Seconds left in the current timed phase (waiting, metadata, finishing).
    wait_left: float = 0.0
    metadata_left: float = 0.0
    finishing_left: float = 0.0
    #: The error this task runs into when it starts (e.g. ``broken_link`` for an unreachable URL).
    fails_with: str | None = None
    error_detail: str | None = None
    #: BT tasks seed after finishing; other types are simply ``finished``.
    seeds: bool = True
    seed_seconds: float | None = None
    #: The status before a pause, so resume knows where to go back.
    paused_from: str | None = None
    piece_size: int = 1024 * 1024
    info_hash: str | None = None
    #: The uploaded .torrent, served back by ``SYNO.DownloadStation2.Task.Source``.
    torrent: bytes | None = field(default=None, repr=False)
    unzip_password: str = ""

    @property
    def metadata_known(self) -> bool:
        """A magnet has size 0 and no files until its metadata arrives."""
        return self.metadata_left <= 0

    @property
    def total_pieces(self) -> int:
        """Pieces of the payload (0 while the size is unknown)."""
        return -(-self.size // self.piece_size) if self.size else 0

    @property
    def downloaded_pieces(self) -> int:
        """Completely downloaded pieces."""
        if not self.size:
            return 0
        return self.total_pieces if self.downloaded >= self.size else int(self.downloaded // self.piece_size)


@dataclass
class PendingList:
    """A DS2 ``create_list=true`` source waiting for its file selection (``SYNO.DownloadStation2.Task.List``)."""

    list_id: str
    owner: str
    created: float
    #: A link, or (file name, .torrent bytes) of an upload.
    source: str | tuple[str | None, bytes] = field(repr=False)
    title: str
    size: int
    files: list[SimFile]


@dataclass
class State:
    """The whole NAS: accounts, shared folders (share-relative paths that exist), sessions, tasks."""

    accounts: dict[str, Account] = field(default_factory=dict)
    #: Existing folders, share-relative, e.g. ``downloads`` and ``video/Series``.
    folders: set[str] = field(default_factory=set)
    #: Per share, the users allowed to write there; a share missing here is writable by everyone.
    share_writers: dict[str, set[str]] = field(default_factory=dict)
    sessions: dict[str, SessionRecord] = field(default_factory=dict)
    tasks: dict[str, SimTask] = field(default_factory=dict)
    next_task_number: int = 1
    #: Failed login times per client address, and the blocked addresses.
    failures: dict[str, list[float]] = field(default_factory=dict)
    blocked: set[str] = field(default_factory=set)
    schedule_enabled: bool = False
    emule_schedule_enabled: bool = False
    #: ``getconfig`` of the server, rates in KB/s (0 = unlimited).
    config: dict[str, object] = field(default_factory=dict)
    serial: str = "2010PDN123456"
    list_sequence: int = 0
    #: DS2 file lists waiting for a ``Task.List.Polling download`` (or a ``Task.List delete``).
    pending_lists: dict[str, PendingList] = field(default_factory=dict)
    #: The static key of the DSM 7 login handshake, made on first use.
    noise_key: NoiseKey | None = field(default=None, repr=False)

    def new_task_id(self) -> str:
        """``dbid_N`` with N only ever increasing."""
        task_id = f"dbid_{self.next_task_number}"
        self.next_task_number += 1
        return task_id

    def folder_exists(self, path: str) -> bool:
        """Whether a share-relative folder exists."""
        return path.strip("/") in self.folders

    def may_write(self, user: str, path: str) -> bool:
        """Whether ``user`` may write into the share holding ``path``."""
        share = path.strip("/").split("/", 1)[0]
        writers = self.share_writers.get(share)
        return writers is None or user in writers


def stable_number(text: str, low: int, high: int) -> int:
    """A deterministic number in [low, high] derived from ``text`` (sizes, peer counts)."""
    digest = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
    return low + digest % (high - low + 1)
