// TypeScript declarations of the enunclic bridge's messages (JSON-RPC 2.0 over NDJSON, docs/bridge.md).
// Generated from docs/schema/ by `python -m enunclic.bridge.schema docs/schema`: do not edit.
// What the bridge sends has every member it always writes; what a GUI sends (params) has optional
// members where the bridge has a default.

/** The torrent ``add()`` created (or found already there, when ``duplicate``). */
export interface AddedTorrent {
  id: string;
  info_hash: string | null;
  /** The server already had this torrent. */
  duplicate: boolean;
}

/** Switch the server's alternative (turtle) speed limits on or off. */
export interface AltSpeedParams {
  server: string;
  enabled: boolean;
}

/** One backend the bridge can connect to. */
export interface BackendView {
  name: string;
  display_name: string;
  capabilities: Capability[];
}

/** What ``bridge.info`` answers: versions, framing, limits, methods and backends. */
export interface BridgeInfo {
  name: "enunclic-bridge";
  version: string;
  protocol: number;
  framing: "ndjson";
  max_message_bytes: number;
  chunk_bytes: number;
  methods: string[];
  notifications: string[];
  backends: BackendView[];
  /** What each method needs in a server's capabilities (servers.info, servers.add), in method order. */
  method_capabilities: MethodNeed[];
}

/** One thing a backend can do; reported in ``ServerInfo.capabilities``. */
export type Capability = "add_magnet" | "add_url" | "add_file" | "remove_with_data" | "recheck" | "reannounce" | "labels" | "move" | "files" | "file_priority" | "trackers" | "peers" | "torrent_limits" | "global_limits" | "queue" | "stats" | "native_delta" | "ratio_limit" | "force_start" | "sequential" | "first_last_piece" | "alt_speed" | "add_skip_check" | "add_rename" | "add_file_selection" | "add_limits";

/** What a trust dialog shows; ``sha256`` is what ``tls_fingerprint`` takes to pin this certificate. */
export interface CertificateInfo {
  /** SHA-256 of the DER certificate, as AB:CD:... (what tls_fingerprint takes). */
  sha256: string;
  /** Who the certificate names (RFC 4514), e.g. CN=nas.local. */
  subject: string | null;
  /** Who signed it (RFC 4514); the subject again if self-signed. */
  issuer: string | null;
  not_before: string | null;
  not_after: string | null;
  /** Issuer and subject are the same. */
  self_signed: boolean | null;
}

/** Fetch a server's TLS certificate without trusting it, to ask the user whether to trust it. */
export interface CertificateParams {
  /** The enunclic URL, as for servers.add (https). */
  url: string;
  /** @default 10.0 */
  timeout?: number;
}

/**
 * ``torrents.delta``: what changed on a subscribed server, or why the poll failed.
 *
 * ``full`` marks a baseline: on ``chunk == 0`` of a full notice, clear the server's table
 * first. A delta too large for one message arrives as ``chunks`` notices with the same
 * ``seq``; apply each as it comes.
 */
export interface DeltaNotice {
  server: string;
  /** Per subscription, +1 per poll reported. */
  seq: number;
  full: boolean;
  chunk: number;
  chunks: number;
  delta: WireDelta | null;
  error: ErrorInfo | null;
  attempt: number;
  next_retry_in: number | null;
}

/** ``error.data`` of every bridge error: what kind, where, and the server's own code. */
export interface ErrorData {
  /** An enunclic error class name, or ParseError, InvalidRequest, MethodNotFound, InvalidParams, MessageTooLarge, InternalError. */
  kind: string;
  backend: string | null;
  operation: string | null;
  native_code: number | string | null;
  /**
   * InvalidParams: each problem.
   * @default null
   */
  errors?: ParamProblem[] | null;
  /**
   * PartialFailureError: id -> error.
   * @default null
   */
  failures?: { [key: string]: ErrorInfo } | null;
  /**
   * MessageTooLarge: the limit in bytes.
   * @default null
   */
  limit?: number | null;
  /**
   * CertificateError: the untrusted certificate, for a trust dialog.
   * @default null
   */
  certificate?: CertificateInfo | null;
}

/** A typed enunclic error as plain data: what a GUI shows and what crosses IPC. */
export interface ErrorInfo {
  /** The exception class name, e.g. ConnectError, AuthenticationError. */
  kind: string;
  message: string;
  backend: string | null;
  operation: string | null;
  /** The server's own error code, if any. */
  native_code: number | string | null;
  /** CertificateError: the untrusted certificate, for a trust dialog. */
  certificate: CertificateInfo | null;
}

/** A failed reply; ``id`` is null when the request could not be read. */
export interface ErrorResponse {
  jsonrpc: "2.0";
  id: number | string | null;
  error: RpcError;
}

/**
 * ``torrents.events``: what to tell the user about a subscribed server's last poll (never for its
 * first poll): torrents added or removed by anyone, completed, errored. Sent after its ``torrents.delta``.
 */
export interface EventsNotice {
  server: string;
  events: TorrentEvent[];
}

/** Download priority of one file; ``skip`` means the file is not wanted. */
export type FilePriority = "skip" | "low" | "normal" | "high";

/** Set the priority of files by index; ``skip`` means do not download. */
export interface FilePriorityParams {
  server: string;
  id: string;
  indexes: number[];
  priority: FilePriority;
}

/** Whole-server limits in bytes/s: a key left out keeps that limit, null removes it. */
export interface GlobalLimitsParams {
  /** Bytes per second; null removes the limit; left out, the limit is kept. 0 (no transfer) only where the server has it (Transmission), else InvalidInputError. */
  download?: number | null;
  /** Bytes per second; null removes the limit; left out, the limit is kept. 0 (no transfer) only where the server has it (Transmission), else InvalidInputError. */
  upload?: number | null;
  server: string;
}

/** One capability a method needs: a GUI enables the button only when the server reports it. */
export interface MethodNeed {
  method: string;
  capability: Capability;
  /** Needed only with these params; always when null. */
  when: string | null;
}

/** Move the data to another folder on the server. */
export interface MoveParams {
  server: string;
  ids: string[];
  destination: string;
}

/** No parameters (an absent ``params`` or ``{}``). */
export type NoParams = Record<string, never>;

/** A message from the bridge that expects no reply (``torrents.delta``, ``servers.status``). */
export interface Notification {
  jsonrpc: "2.0";
  method: string;
  params: { [key: string]: unknown };
}

/** The result of an action that returns nothing. */
export interface Ok {
  ok: true;
}

/** One reason the params were refused (never echoing the value sent). */
export interface ParamProblem {
  loc: (number | string)[];
  msg: string;
  type: string;
}

/** One connected peer. */
export interface Peer {
  /** host:port as the server reports it. */
  address: string;
  /** The peer's client software, as it names itself. */
  client: string | null;
  /** The server's own connection flags (e.g. qBittorrent's 'D X'). */
  flags: string | null;
  progress: number;
  download_speed: number;
  upload_speed: number;
}

/** Where to move torrents in the download queue. */
export type QueueMove = "top" | "up" | "down" | "bottom";

/** Move torrents in the queue. */
export interface QueueMoveParams {
  server: string;
  ids: string[];
  direction: QueueMove;
}

/** Stop seeding at this ratio; null: no limit of the torrents' own (the server's default applies). */
export interface RatioLimitParams {
  server: string;
  ids: string[];
  ratio: number | null;
}

/** A JSON-RPC 2.0 request (with ``id``) or notification (without); params by name only. */
export interface Request {
  jsonrpc: "2.0";
  /** @default null */
  id?: number | string | null;
  method: string;
  /** @default null */
  params?: { [key: string]: unknown } | null;
}

/** A successful reply; ``result`` is described per method in ``methods/<name>.json``. */
export interface Response {
  jsonrpc: "2.0";
  id: number | string | null;
  result: unknown;
}

/** The JSON-RPC ``error`` member. */
export interface RpcError {
  code: number;
  message: string;
  data: ErrorData | null;
}

/** Connect a server. ``url`` is an enunclic URL such as ``transmission://127.0.0.1:9091``. */
export interface ServerAddParams {
  /** The caller's unique name for this server. */
  name: string;
  url: string;
  /** @default null */
  username?: string | null;
  /**
   * Never echoed back, logged or shown in errors.
   * @default null
   */
  password?: string | null;
  /**
   * TLS: true, false, the path of a CA bundle, or trusted certificates as PEM text.
   * @default true
   */
  verify?: boolean | string;
  /**
   * Trust exactly the certificate with this SHA-256 fingerprint (from servers.certificate).
   * @default null
   */
  tls_fingerprint?: string | null;
  /**
   * A two-step verification code, when the server asks for one (TwoFactorRequired).
   * @default null
   */
  otp_code?: string | null;
  /**
   * The device_token of an earlier servers.add with otp_code: logs in without a code.
   * @default null
   */
  device_token?: string | null;
  /** @default 30.0 */
  timeout?: number;
  /** The backend's own options. */
  options?: { [key: string]: boolean | number | string };
  /**
   * Log in now; on failure nothing is added and the error returns.
   * @default true
   */
  connect?: boolean;
}

/** A server was added: its state and, when connected, what it is. */
export interface ServerAdded {
  server: ServerState;
  info: ServerInfo | null;
  /** Issued by a two-step login (otp_code): keep it in the OS keychain and give it as device_token next time, so the code is asked once per device. A secret: never logged. */
  device_token: string | null;
}

/** Who answered: backend, versions, and what this server can do. */
export interface ServerInfo {
  backend: string;
  version: string | null;
  api_version: string | null;
  capabilities: Capability[];
}

/** Names one server of the bridge. */
export interface ServerRef {
  server: string;
}

/** One server's status as plain data (never its credentials). */
export interface ServerState {
  name: string;
  backend: string;
  /** The base URL, without credentials. */
  url: string;
  status: ServerStatus;
  /** The last failure while not connected. */
  error: ErrorInfo | null;
  /** Consecutive failed polls. */
  attempt: number;
  /** Seconds until the next poll is allowed. */
  next_retry_in: number | null;
  /** Seconds taken by the last successful poll. */
  latency: number | null;
  /** Torrents known from the polls so far. */
  torrents: number;
  /** The server's version, once connected. */
  version: string | null;
}

/** Where a pooled server stands. */
export type ServerStatus = "connecting" | "connected" | "reconnecting" | "failed";

/**
 * Whole-server transfer figures; None where the server does not say.
 *
 * A limit of None means no limit is set (or the server does not report one).
 */
export interface SessionStats {
  download_speed: number | null;
  upload_speed: number | null;
  download_limit: number | null;
  upload_limit: number | null;
  free_space: number | null;
  /** The alternative (turtle) speed limits are on. */
  alt_speed: boolean | null;
}

/** Set (or with null clear) the label. */
export interface SetLabelParams {
  server: string;
  ids: string[];
  label: string | null;
}

/** Receive ``torrents.delta`` notifications for a server, polled every ``interval`` seconds. */
export interface SubscribeParams {
  server: string;
  /** @default 2.0 */
  interval?: number;
}

/** A subscription is active. */
export interface Subscribed {
  server: string;
  interval: number;
}

/** Switch a per-torrent setting on or off. */
export interface SwitchParams {
  server: string;
  ids: string[];
  enabled: boolean;
}

/** One torrent (or, on Download Station, one task) as the server reports it. */
export interface Torrent {
  /** The backend's own id: what every operation takes. */
  id: string;
  /** BitTorrent v1 info-hash, lower-case hex; None for non-torrent tasks. */
  info_hash: string | null;
  name: string;
  state: TorrentState;
  /** The server's own state value, verbatim as text. */
  native_state: string;
  progress: number;
  /** Bytes of wanted data; 0 while unknown. */
  size: number;
  downloaded: number;
  uploaded: number;
  /** uploaded / downloaded; None when nothing was downloaded. */
  ratio: number | null;
  /** Bytes per second. */
  download_speed: number;
  /** Bytes per second. */
  upload_speed: number;
  /** The torrent's own limit in bytes per second; None: no limit, or not reported. */
  download_limit: number | null;
  /** The torrent's own limit in bytes per second; None: no limit, or not reported. */
  upload_limit: number | null;
  /** The torrent's own seeding ratio limit; None: none of its own, or not reported. */
  ratio_limit: number | null;
  /** Seconds; None when unknown or infinite. */
  eta: number | null;
  label: string | null;
  /** Host name of the torrent's main tracker (for a tracker filter); None if unknown. */
  tracker: string | null;
  /** Downloads pieces in order; None if not reported. */
  sequential: boolean | null;
  /** Gets the first and last pieces of each file first; None if not reported. */
  first_last_piece: boolean | null;
  destination: string | null;
  added_at: string | null;
  completed_at: string | null;
  seeds_connected: number | null;
  seeds_total: number | null;
  peers_connected: number | null;
  peers_total: number | null;
  queue_position: number | null;
  /** The server's error text while the torrent is in error. */
  error: string | null;
}

/** One change worth a notification: a torrent added or removed (by anyone), completed, errored. */
export interface TorrentEvent {
  kind: TorrentEventKind;
  id: string;
  /** The torrent's name; its last known one once removed. */
  name: string | null;
  /** The server's error text, for errored. */
  error: string | null;
}

/** Why a GUI would notify its user. */
export type TorrentEventKind = "added" | "removed" | "completed" | "errored";

/** One file inside a torrent. */
export interface TorrentFile {
  index: number;
  path: string;
  size: number;
  downloaded: number;
  progress: number;
  priority: FilePriority;
  wanted: boolean;
}

/** Several torrents on one server (an empty list sends nothing). */
export interface TorrentIds {
  server: string;
  ids: string[];
}

/** Per-torrent limits in bytes/s: a key left out keeps that limit, null removes it. */
export interface TorrentLimitsParams {
  /** Bytes per second; null removes the limit; left out, the limit is kept. 0 (no transfer) only where the server has it (Transmission), else InvalidInputError. */
  download?: number | null;
  /** Bytes per second; null removes the limit; left out, the limit is kept. 0 (no transfer) only where the server has it (Transmission), else InvalidInputError. */
  upload?: number | null;
  server: string;
  ids: string[];
}

/** Part of the torrent list; ask again from ``next_offset`` until it is null. */
export interface TorrentPage {
  torrents: Torrent[];
  total: number;
  offset: number;
  next_offset: number | null;
}

/** One torrent on one server. */
export interface TorrentRef {
  server: string;
  id: string;
}

/**
 * What a torrent is doing, the same word for every backend.
 *
 * ``paused`` is stopped before completion; ``completed`` has all wanted data and is
 * not seeding; ``metadata`` is a magnet still fetching its metadata; ``unknown`` is
 * a server value nobody mapped (the raw value stays in ``Torrent.native_state``).
 */
export type TorrentState = "queued" | "checking" | "metadata" | "downloading" | "seeding" | "paused" | "completed" | "moving" | "error" | "unknown";

/** Add exactly one of: ``uri`` (a magnet link or http(s) URL) or ``torrent`` (.torrent bytes in base64). */
export interface TorrentsAddParams {
  server: string;
  /** @default null */
  uri?: string | null;
  /**
   * Standard base64 of the .torrent file.
   * @default null
   */
  torrent?: string | null;
  /** @default null */
  destination?: string | null;
  /** @default false */
  paused?: boolean;
  /** @default null */
  label?: string | null;
  /**
   * Trust the data already on disk (add_skip_check).
   * @default false
   */
  skip_check?: boolean;
  /**
   * The torrent's name on the server (add_rename).
   * @default null
   */
  rename?: string | null;
  /**
   * Indexes (in the .torrent) of the files to download, the others skipped (add_file_selection).
   * @default null
   */
  wanted_files?: number[] | null;
  /**
   * Bytes per second from the start (add_limits).
   * @default null
   */
  download_limit?: number | null;
  /**
   * Bytes per second from the start (add_limits).
   * @default null
   */
  upload_limit?: number | null;
}

/** A page of the torrent list; the bridge may return fewer than ``limit`` to keep a reply small. */
export interface TorrentsListParams {
  server: string;
  /** @default 0 */
  offset?: number;
  /** @default null */
  limit?: number | null;
}

/** Remove torrents; ``delete_data`` also deletes their files (where the backend can). */
export interface TorrentsRemoveParams {
  server: string;
  ids: string[];
  /** @default false */
  delete_data?: boolean;
}

/** One tracker of a torrent. */
export interface Tracker {
  url: string;
  status: TrackerStatus;
  /** Announce tier, 0 first; None if not reported. */
  tier: number | null;
  seeds: number | null;
  peers: number | null;
  message: string | null;
  last_announce: string | null;
  next_announce: string | null;
}

/** State of one tracker as the server last saw it. */
export type TrackerStatus = "working" | "updating" | "not_contacted" | "error" | "disabled" | "unknown";

/** A :class:`~enunclic.Delta` as plain JSON: ``changed_fields`` lists are sorted. */
export interface WireDelta {
  added: Torrent[];
  changed: Torrent[];
  removed: string[];
  changed_fields: { [key: string]: string[] };
}

/** Every method the bridge answers: its params and its result. */
export interface BridgeMethods {
  /** Versions, framing, limits, methods, backends. */
  "bridge.info": { params: NoParams; result: BridgeInfo };
  /** Answer what is in flight, then log out of every server and exit. */
  "bridge.shutdown": { params: NoParams; result: Ok };
  /** Add (and log in to) a server. */
  "servers.add": { params: ServerAddParams; result: ServerAdded };
  /** A server's TLS certificate, not trusted. */
  "servers.certificate": { params: CertificateParams; result: CertificateInfo };
  /** Server version and capabilities. */
  "servers.info": { params: ServerRef; result: ServerInfo };
  /** Every label the server knows. */
  "servers.labels": { params: ServerRef; result: string[] };
  /** Every server and its status. */
  "servers.list": { params: NoParams; result: ServerState[] };
  /** Log in again after a failure. */
  "servers.reconnect": { params: ServerRef; result: ServerState };
  /** Log out and forget a server. */
  "servers.remove": { params: ServerRef; result: Ok };
  /** Alternative speed limits on or off. */
  "servers.set_alt_speed": { params: AltSpeedParams; result: Ok };
  /** Set global speed limits (a key left out is kept). */
  "servers.set_limits": { params: GlobalLimitsParams; result: Ok };
  /** Whole-server speeds and free space. */
  "servers.stats": { params: ServerRef; result: SessionStats };
  /** Start torrents.delta notifications. */
  "subscribe": { params: SubscribeParams; result: Subscribed };
  /** Add a magnet, URL or .torrent. */
  "torrents.add": { params: TorrentsAddParams; result: AddedTorrent };
  /** The files of a torrent. */
  "torrents.files": { params: TorrentRef; result: TorrentFile[] };
  /** Start now, past the queue. */
  "torrents.force_start": { params: TorrentIds; result: Ok };
  /** One torrent. */
  "torrents.get": { params: TorrentRef; result: Torrent };
  /** A page of the torrent list. */
  "torrents.list": { params: TorrentsListParams; result: TorrentPage };
  /** Move torrents' data. */
  "torrents.move": { params: MoveParams; result: Ok };
  /** Pause torrents. */
  "torrents.pause": { params: TorrentIds; result: Ok };
  /** Pause every torrent (one request where the server has one). */
  "torrents.pause_all": { params: ServerRef; result: Ok };
  /** The peers of a torrent. */
  "torrents.peers": { params: TorrentRef; result: Peer[] };
  /** Move torrents in the queue. */
  "torrents.queue_move": { params: QueueMoveParams; result: Ok };
  /** Contact the trackers now. */
  "torrents.reannounce": { params: TorrentIds; result: Ok };
  /** Verify torrents' data. */
  "torrents.recheck": { params: TorrentIds; result: Ok };
  /** Remove torrents. */
  "torrents.remove": { params: TorrentsRemoveParams; result: Ok };
  /** Resume torrents. */
  "torrents.resume": { params: TorrentIds; result: Ok };
  /** Resume every torrent (one request where the server has one). */
  "torrents.resume_all": { params: ServerRef; result: Ok };
  /** Set file priorities. */
  "torrents.set_file_priority": { params: FilePriorityParams; result: Ok };
  /** First and last pieces first, or not. */
  "torrents.set_first_last_piece": { params: SwitchParams; result: Ok };
  /** Set or clear the label. */
  "torrents.set_label": { params: SetLabelParams; result: Ok };
  /** Set per-torrent speed limits (a key left out is kept). */
  "torrents.set_limits": { params: TorrentLimitsParams; result: Ok };
  /** Stop seeding at a ratio (null: none of their own). */
  "torrents.set_ratio_limit": { params: RatioLimitParams; result: Ok };
  /** Download pieces in order, or not. */
  "torrents.set_sequential": { params: SwitchParams; result: Ok };
  /** The trackers of a torrent. */
  "torrents.trackers": { params: TorrentRef; result: Tracker[] };
  /** Stop torrents.delta notifications. */
  "unsubscribe": { params: ServerRef; result: Ok };
}

/** Every notification the bridge sends: its params. */
export interface BridgeNotifications {
  /** One server's status as plain data (never its credentials). */
  "servers.status": ServerState;
  /** ``torrents.delta``: what changed on a subscribed server, or why the poll failed. */
  "torrents.delta": DeltaNotice;
  /** ``torrents.events``: what to tell the user about a subscribed server's last poll (never for its first poll): torrents added or removed by anyone, completed, errored. Sent after its ``torrents.delta``. */
  "torrents.events": EventsNotice;
}

export type MethodName = keyof BridgeMethods;
export type MethodParams<M extends MethodName> = BridgeMethods[M]["params"];
export type MethodResult<M extends MethodName> = BridgeMethods[M]["result"];

export type NotificationName = keyof BridgeNotifications;
export type NotificationParams<N extends NotificationName> = BridgeNotifications[N];
/** Any notification message, narrowed by its `method`. */
export type NotificationMessage = {
  [N in NotificationName]: { jsonrpc: "2.0"; method: N; params: BridgeNotifications[N] };
}[NotificationName];
