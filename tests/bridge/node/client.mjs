// @ts-check
// A real bridge client in another language: Node's standard library only, no npm packages at run time.
// Typed through JSDoc with the generated declarations (docs/schema/enunclic-bridge.d.ts), so `tsc --strict`
// checks it against the schemas (tests/bridge/test_typescript.py) while Node runs it as it is.
// Spawns `python -m enunclic.bridge`, connects it to a server, lists, adds, pauses and receives deltas.
// Prints one JSON line per step and a final {"result": ...} line; exits non-zero on any failure.
//
// Environment: ENUNCLIC_PYTHON (interpreter), ENUNCLIC_TEST_URL (enunclic URL of a loopback server),
// ENUNCLIC_TEST_PASSWORD, ENUNCLIC_TEST_TORRENT (path of a .torrent file).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

/** @typedef {import("../../../docs/schema/enunclic-bridge.js").MethodName} MethodName */
/**
 * @template {MethodName} M
 * @typedef {import("../../../docs/schema/enunclic-bridge.js").MethodParams<M>} MethodParams
 */
/**
 * @template {MethodName} M
 * @typedef {import("../../../docs/schema/enunclic-bridge.js").MethodResult<M>} MethodResult
 */
/** @typedef {import("../../../docs/schema/enunclic-bridge.js").DeltaNotice} DeltaNotice */
/** @typedef {import("../../../docs/schema/enunclic-bridge.js").WireDelta} WireDelta */
/** @typedef {import("../../../docs/schema/enunclic-bridge.js").EventsNotice} EventsNotice */
/** @typedef {import("../../../docs/schema/enunclic-bridge.js").NotificationMessage} NotificationMessage */
/** @typedef {import("../../../docs/schema/enunclic-bridge.js").Response} Response */
/** @typedef {import("../../../docs/schema/enunclic-bridge.js").ErrorResponse} ErrorResponse */

const watchdog = setTimeout(() => fail("timed out"), 60_000);

/** @param {string} name */
function setting(name) {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

const child = spawn(setting("ENUNCLIC_PYTHON"), ["-m", "enunclic.bridge"], { stdio: ["pipe", "pipe", "pipe"] });
let stderr = "";
child.stderr.on("data", (chunk) => { stderr += chunk; });

/** @type {Map<number | string | null, (reply: Response | ErrorResponse) => void>} */
const pending = new Map();
/** @type {{predicate: (notice: DeltaNotice) => boolean, resolve: (notice: DeltaNotice) => void}[]} */
const deltaWaiters = [];
/** @type {DeltaNotice[]} */
const deltas = [];
/** @type {EventsNotice[]} */
const events = [];
/** @type {{predicate: (notice: EventsNotice) => boolean, resolve: (notice: EventsNotice) => void}[]} */
const eventWaiters = [];
/** @type {(number | string | null)[]} */
const replyOrder = [];
let nextId = 1;

createInterface({ input: child.stdout }).on("line", (line) => {
  /** @type {NotificationMessage | Response | ErrorResponse} */
  const message = JSON.parse(line); // newline-delimited JSON: one message per line
  if (!("method" in message)) {
    replyOrder.push(message.id);
    const resolve = pending.get(message.id);
    if (resolve) { pending.delete(message.id); resolve(message); }
  } else if (message.method === "torrents.events") {
    const notice = message.params;
    events.push(notice);
    for (const waiter of [...eventWaiters]) {
      if (waiter.predicate(notice)) {
        eventWaiters.splice(eventWaiters.indexOf(waiter), 1);
        waiter.resolve(notice);
      }
    }
  } else if (message.method === "torrents.delta") {
    const notice = message.params;
    deltas.push(notice);
    for (const waiter of [...deltaWaiters]) {
      if (waiter.predicate(notice)) {
        deltaWaiters.splice(deltaWaiters.indexOf(waiter), 1);
        waiter.resolve(notice);
      }
    }
  }
});

/**
 * Any request, even one the bridge will refuse; resolves with the reply.
 * @param {string} method
 * @param {unknown} [params]
 * @returns {Promise<Response | ErrorResponse>}
 */
function send(method, params) {
  const id = nextId++;
  const promise = /** @type {Promise<Response | ErrorResponse>} */ (new Promise((resolve) => pending.set(id, resolve)));
  child.stdin.write(JSON.stringify({ jsonrpc: "2.0", id, method, params }) + "\n");
  return promise;
}

/**
 * A typed call: params and result as the declarations say for `method`.
 * @template {MethodName} M
 * @param {M} method
 * @param {MethodParams<M>} [params]
 * @returns {Promise<MethodResult<M>>}
 */
async function call(method, params) {
  const reply = await send(method, params);
  if ("error" in reply) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
  return /** @type {MethodResult<M>} */ (reply.result);
}

/**
 * The first notice (already received or still to come) that `predicate` accepts.
 * @param {(notice: DeltaNotice) => boolean} predicate
 * @returns {Promise<DeltaNotice>}
 */
function nextDelta(predicate) {
  const seen = deltas.find(predicate);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => deltaWaiters.push({ predicate, resolve }));
}

/**
 * The first torrents.events notice (already received or still to come) that `predicate` accepts.
 * @param {(notice: EventsNotice) => boolean} predicate
 * @returns {Promise<EventsNotice>}
 */
function nextEvents(predicate) {
  const seen = events.find(predicate);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => eventWaiters.push({ predicate, resolve }));
}

/**
 * The delta of a notice that must have one (an error notice has none).
 * @param {DeltaNotice} notice
 * @returns {WireDelta}
 */
function deltaOf(notice) {
  return notice.delta ?? fail(`a failed poll: ${JSON.stringify(notice.error)}`);
}

/**
 * @param {string} name
 * @param {object} detail
 */
function step(name, detail) { console.log(JSON.stringify({ step: name, ...detail })); }

/**
 * @param {unknown} reason
 * @returns {never}
 */
function fail(reason) {
  console.log(JSON.stringify({ error: String(reason), stderr: stderr.slice(-2000) }));
  child.kill();
  process.exit(1);
}

async function main() {
  const info = await call("bridge.info");
  step("info", { framing: info.framing, protocol: info.protocol, methods: info.methods.length });

  const added = await call("servers.add", {
    name: "nas", url: setting("ENUNCLIC_TEST_URL"), username: "admin", password: setting("ENUNCLIC_TEST_PASSWORD"),
  });
  const server = added.info ?? fail("servers.add connected but returned no info");
  step("connected", { status: added.server.status, backend: server.backend });

  // Which buttons to enable: the capabilities each method needs (always, not only with some params).
  /** @param {MethodName} method */
  const enabled = (method) => info.method_capabilities
    .filter((need) => need.method === method && need.when === null)
    .every((need) => server.capabilities.includes(need.capability));
  step("buttons", {
    recheck: enabled("torrents.recheck"), files: enabled("torrents.files"), pause: enabled("torrents.pause"),
    sorted: server.capabilities.join() === [...server.capabilities].sort().join(),
  });

  // A long interval: every delta below arrives because an action asked for a refresh, not by the clock.
  await call("subscribe", { server: "nas", interval: 60 });
  const baseline = await nextDelta((d) => d.full);
  step("baseline", { full: baseline.full, added: deltaOf(baseline).added.length });

  const torrent = readFileSync(setting("ENUNCLIC_TEST_TORRENT")).toString("base64"); // binary content as base64
  // Gate optional features on the server's capabilities, as a GUI would.
  const labels = server.capabilities.includes("labels") ? { label: "node" } : {};
  const fromFile = await call("torrents.add", { server: "nas", torrent, ...labels });
  const magnetUri = "magnet:?xt=urn:btih:" + "e".repeat(40) + "&dn=from-node";
  const magnet = await call("torrents.add", { server: "nas", uri: magnetUri, paused: true });
  const addedDelta = await nextDelta((d) => d.delta !== null && d.delta.added.some((t) => t.id === fromFile.id));
  step("added", { ids: [fromFile.id, magnet.id], info_hash: fromFile.info_hash, delta_seq: addedDelta.seq });

  const page = await call("torrents.list", { server: "nas" });
  step("listed", { total: page.total, names: page.torrents.map((t) => t.name).sort() });

  // The same magnet again: the torrent the server already has, not a second one.
  const again = await call("torrents.add", { server: "nas", uri: magnetUri, paused: true });
  const relisted = await call("torrents.list", { server: "nas" });
  step("duplicate", {
    duplicate: again.duplicate, same_id: again.id === magnet.id,
    total: relisted.total, names: relisted.torrents.map((t) => t.name).sort(),
  });

  const pausing = Date.now();
  await call("torrents.pause", { server: "nas", ids: [fromFile.id] });
  /** @param {DeltaNotice} notice */
  const pausedTorrent = (notice) => notice.delta?.changed.find((t) => t.id === fromFile.id && t.state === "paused");
  const paused = await nextDelta((d) => pausedTorrent(d) !== undefined);
  const pausedState = (pausedTorrent(paused) ?? fail("the paused torrent left the delta")).state;
  step("paused", {
    state: pausedState, changed_fields: deltaOf(paused).changed_fields[fromFile.id], ms: Date.now() - pausing,
  });

  await call("torrents.remove", { server: "nas", ids: [magnet.id] });
  const removed = await nextEvents((n) => n.events.some((e) => e.kind === "removed"));
  step("events", {
    added: events.flatMap((n) => n.events).filter((e) => e.kind === "added").map((e) => e.id).sort(),
    removed: removed.events.filter((e) => e.kind === "removed").map((e) => e.id),
  });

  const unknown = await send("torrents.nuke", { server: "nas" });
  const badParams = await send("torrents.pause", { server: "nas", ids: "not-a-list" });
  if (!("error" in unknown) || !("error" in badParams)) return fail("a refused request was answered with a result");
  step("errors", { unknown: unknown.error.code, bad_params: badParams.error.code, kind: badParams.error.data?.kind });

  const servers = await call("servers.list");
  step("servers", { names: servers.map((s) => s.name) });

  // Shut down with a request still in flight: its reply comes first, the shutdown's last.
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const last = send("torrents.list", { server: "nas" });
  const shutdown = send("bridge.shutdown");
  const [listReply, shutdownReply] = await Promise.all([last, shutdown]);
  step("shutdown", {
    listed: "result" in listReply, ok: "result" in shutdownReply,
    last_two: replyOrder.slice(-2).map((id) => (id === shutdownReply.id ? "shutdown" : "list")),
  });
  const code = await exited;
  clearTimeout(watchdog);
  console.log(JSON.stringify({
    result: { exit_code: code, deltas: deltas.length, seqs: deltas.map((d) => d.seq), paused_state: pausedState },
  }));
}

main().catch(fail);
