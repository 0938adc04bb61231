"""A simulated Synology Download Station (DSM 6 and DSM 7), built from ``reference/synology.md``.

    from enunclic.simulators.synology import SynologySimulator

    sim = SynologySimulator(dsm=7)
    sim.add_account("admin", "secret", manager=True)
    with httpx.Client(transport=sim.transport(), base_url="http://nas") as http: ...
    with sim.serve() as server: print(server.url)      # real HTTP on 127.0.0.1

State, engine and API handlers are pure; :mod:`.transport` and :mod:`.server` carry them.
Besides enunclic's own backend, unpatched third-party clients (synology-api,
py-synologydsm-api) run whole sessions against it on both personalities.

Login over plain HTTP works as on a real NAS (:mod:`.ciphers`, the ``simulator`` extra):
``SYNO.API.Encryption getinfo`` hands out a 4096-bit RSA modulus and ``server_time``; a
login may carry ``__cIpHeRtExT``, which must decrypt with that key and echo a
``__cIpHeRtOkEn`` at most 360 s from the server's time (else 101). On DSM 7,
``SYNO.API.Auth.UIConfig get`` sets the ``_SSID`` cookie (the NAS's X25519 key) and a v7
login's ``ik_message`` must be a Noise IK message to that key (else 101); the reply
completes the handshake. Not checked: the ``X-SYNO-HASH`` and ``X-SYNO-TOKEN`` headers
that follow (Download Station APIs do not need them), and the payload's time.

Fixed against real DSM (py-synologydsm-api's recorded replies, Prowlarr#1812, synology-api):
``entry.cgi/<API>`` path-style URLs; DS2 ``additional`` bare or as a JSON array;
``SYNO.DSM.Info`` ``version`` is the DSM build (a string), with ``codepage`` and ``time``;
``total_peers`` is 0; link tasks carry no ``file``/``tracker``/``peer`` blocks; DS2
``delete_condition``/``pause_condition``/``resume_condition``; the DS2 file-list flow
(``create_list=true`` -> ``Task.List get`` -> ``Task.List.Polling download`` or
``Task.List delete``) on both personalities, as both captures list those APIs;
``SYNO.Entry.Request`` compound calls to entry.cgi APIs.

Known differences: ``Task.List.Polling download`` queues the task at once (DSM runs a job
whose id it returns); a magnet's file list is ready at once (DSM fetches metadata first);
a link that is not BitTorrent skips the list and is queued at once; ``create_subfolder``
is accepted but invisible; an unknown ``list_id`` answers 404 (the real
code is unknown); only the APIs above are listed by ``SYNO.API.Info`` (a real NAS lists
about a hundred more, e.g. ``SYNO.DownloadStation2.Task.BT.File``).

Where the reference marks a fact uncertain, the simulator makes this choice (the
ones marked *option* are switches in :class:`SimulatorOptions`):

* Idle sid lifetime: 3600 s (*option* ``session_idle_timeout``); an idle sid answers
  106, an unknown or logged-out one 119 (*option* ``expired_session_code``).
* A request with no sid at all answers 119.
* Duplicate logins (same account, same ``session`` name) interrupt the older sid
  with 107 only when *option* ``interrupt_duplicate_logins`` is on (off by default,
  so several clients can share an account).
* Auto-block: 10 failed logins (wrong password or wrong OTP) from one address
  within 300 s (*options* ``block_threshold``, ``block_window``); the block lasts
  until :meth:`SynologySimulator.unblock`.
* Auth v1 hands the sid out only as a cookie; v2+ also in ``data.sid``;
  ``synotoken`` from v3; DSM 7 v7 adds ``account``, ``device_id``, ``ik_message``.
* ``list.total`` counts every visible task (*option* ``list_total``).
* ``getinfo`` leaves unknown ids out (*option* ``getinfo_unknown="error"`` answers 404).
* Per-id results: an id the caller cannot see is 404; pausing a finished or error
  task is 405; pausing a paused task is 0 (idempotent); resuming an error task
  retries it from the queue; resuming a finished BT task seeds again.
* ``edit`` with a bad destination fails the whole call (403/402) before any change.
* v1 ``create`` takes ``destination`` from version 2 on, as the PDF says.
* A multipart v1 upload whose ``file`` part is not the last answers 101.
* A torrent the NAS already has becomes a new task in error (``torrent_duplicate``),
  not a create-time error: v1 ``create`` answers its bare success, DS2 ``create`` returns
  the twin's id. The PDF lists ``torrent_duplicate`` among a task's ``error_detail``
  values, Synodroid (DS 2-4) shows it as the task status ``TASK_ERROR_TORRENT_DUPLICATE``,
  and the only create-time duplicate code known is eMule's 1915 (dvcol). "Already has" is
  by info-hash: a magnet's btih in either case, hex or base32; an upload's hashed ``info``;
  a .torrent URL stands for one torrent per URL (the simulator fetches nothing; a real DS
  hashes what it downloads, so when its twin turns to error is unknown: here at once).
  Twins hold no torrent: once the original is removed the same add makes a fresh task,
  and a twin resumed while the original is there stays in error.
* DS2: ``destination=""`` means the default (*option* ``ds2_empty_destination``);
  ``create`` returns ``task_id`` (*option* ``ds2_returns_task_ids``); an error task's
  int status is 101 (*option* ``ds2_error_status``), outside the known table, so a
  client must look at ``status_extra.error_detail``; ``pause`` answers a bare success.
* Magnet metadata takes 10 s (*option* ``metadata_seconds``); links learn their size
  when they start; only uploaded .torrent files know it at once.
* Links to a host under ``.invalid`` (RFC 2606) fail with ``broken_link``: the way
  to get an error task over the API.
* Numbers: ints by default; *option* ``numbers_as_strings`` turns every number of
  a v1 task object (sizes, times, counters, speeds, peer progress) into a string,
  booleans kept. DS2 replies always use ints.
* URL query strings do not read ``+`` as a space (only ``%20``); form bodies do.
"""

from __future__ import annotations

from .app import SimResponse, SynologySimulator, real_time_simulator
from .clock import Clock, ManualClock, RealClock
from .errors import AUTH_CODES, COMMON_CODES, TASK_CODES
from .faults import Fault, FaultKind
from .personality import DSM6, DSM7, Personality
from .samples import SAMPLES, add_samples
from .server import SimulatorServer
from .state import Account, SimTask, SimulatorOptions
from .transport import SimulatorTransport
from .views import DS2_STATUS

__all__ = [
    "AUTH_CODES",
    "COMMON_CODES",
    "DS2_STATUS",
    "DSM6",
    "DSM7",
    "SAMPLES",
    "TASK_CODES",
    "Account",
    "Clock",
    "Fault",
    "FaultKind",
    "ManualClock",
    "Personality",
    "RealClock",
    "SimResponse",
    "SimTask",
    "SimulatorOptions",
    "SimulatorServer",
    "SimulatorTransport",
    "SynologySimulator",
    "add_samples",
    "real_time_simulator",
]
