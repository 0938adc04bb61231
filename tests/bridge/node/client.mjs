// @ts-check
// A real bridge client in another language: Node's standard library only, no npm packages at run time.
// Typed through JSDoc with the generated declarations (docs/schema/enunclic-bridge.d.ts), so `tsc --strict`
// checks it against the schemas (tests/bridge/test_typescript.py) while Node runs it as it is.
// Spawns `python -m enunclic.bridge`, connects it to a server, lists, adds, pauses and receives deltas.
// Prints one JSON line per step and a final {"result": ...} line; exits non-zero on any failure.
//
// Environment: ENUNCLIC_PYTHON (interpreter), ENUNCLIC_TEST_URL (enunclic URL of a loopback server),
// ENUNCLIC_TEST_PASSWORD, ENUNCLIC_TEST_TORRENT (path of a .torrent file).
import { readFileSync } from "node:fs";

import { Bridge, setting, step } from "./bridge.mjs";

/** @typedef {import("../../../docs/schema/enunclic-bridge.js").MethodName} MethodName */
/** @typedef {import("../../../docs/schema/enunclic-bridge.js").DeltaNotice} DeltaNotice */
/** @typedef {import("../../../docs/schema/enunclic-bridge.js").WireDelta} WireDelta */

const bridge = new Bridge(setting("ENUNCLIC_PYTHON"), 60_000);
const deltas = bridge.deltas.received;
const events = bridge.events.received;

/**
 * The delta of a notice that must have one (an error notice has none).
 * @param {DeltaNotice} notice
 * @returns {WireDelta}
 */
function deltaOf(notice) {
  return notice.delta ?? bridge.fail(`a failed poll: ${JSON.stringify(notice.error)}`);
}

async function main() {
  const info = await bridge.call("bridge.info");
  step("info", { framing: info.framing, protocol: info.protocol, methods: info.methods.length });

  const added = await bridge.call("servers.add", {
    name: "nas", url: setting("ENUNCLIC_TEST_URL"), username: "admin", password: setting("ENUNCLIC_TEST_PASSWORD"),
  });
  const server = added.info ?? bridge.fail("servers.add connected but returned no info");
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
  await bridge.call("subscribe", { server: "nas", interval: 60 });
  const baseline = await bridge.deltas.next((d) => d.full);
  step("baseline", { full: baseline.full, added: deltaOf(baseline).added.length });

  const torrent = readFileSync(setting("ENUNCLIC_TEST_TORRENT")).toString("base64"); // binary content as base64
  // Gate optional features on the server's capabilities, as a GUI would.
  const labels = server.capabilities.includes("labels") ? { label: "node" } : {};
  const fromFile = await bridge.call("torrents.add", { server: "nas", torrent, ...labels });
  const magnetUri = "magnet:?xt=urn:btih:" + "e".repeat(40) + "&dn=from-node";
  const magnet = await bridge.call("torrents.add", { server: "nas", uri: magnetUri, paused: true });
  const addedDelta = await bridge.deltas.next((d) => d.delta !== null && d.delta.added.some((t) => t.id === fromFile.id));
  step("added", { ids: [fromFile.id, magnet.id], info_hash: fromFile.info_hash, delta_seq: addedDelta.seq });

  const page = await bridge.call("torrents.list", { server: "nas" });
  step("listed", { total: page.total, names: page.torrents.map((t) => t.name).sort() });

  // The same magnet again: the torrent the server already has, not a second one.
  const again = await bridge.call("torrents.add", { server: "nas", uri: magnetUri, paused: true });
  const relisted = await bridge.call("torrents.list", { server: "nas" });
  step("duplicate", {
    duplicate: again.duplicate, same_id: again.id === magnet.id,
    total: relisted.total, names: relisted.torrents.map((t) => t.name).sort(),
  });

  const pausing = Date.now();
  await bridge.call("torrents.pause", { server: "nas", ids: [fromFile.id] });
  /** @param {DeltaNotice} notice */
  const pausedTorrent = (notice) => notice.delta?.changed.find((t) => t.id === fromFile.id && t.state === "paused");
  const paused = await bridge.deltas.next((d) => pausedTorrent(d) !== undefined);
  const pausedState = (pausedTorrent(paused) ?? bridge.fail("the paused torrent left the delta")).state;
  step("paused", {
    state: pausedState, changed_fields: deltaOf(paused).changed_fields[fromFile.id], ms: Date.now() - pausing,
  });

  await bridge.call("torrents.remove", { server: "nas", ids: [magnet.id] });
  const removed = await bridge.events.next((n) => n.events.some((e) => e.kind === "removed"));
  step("events", {
    added: events.flatMap((n) => n.events).filter((e) => e.kind === "added").map((e) => e.id).sort(),
    removed: removed.events.filter((e) => e.kind === "removed").map((e) => e.id),
  });

  const unknown = await bridge.send("torrents.nuke", { server: "nas" });
  const badParams = await bridge.send("torrents.pause", { server: "nas", ids: "not-a-list" });
  if (!("error" in unknown) || !("error" in badParams)) return bridge.fail("a refused request was answered with a result");
  step("errors", { unknown: unknown.error.code, bad_params: badParams.error.code, kind: badParams.error.data?.kind });

  const servers = await bridge.call("servers.list");
  step("servers", { names: servers.map((s) => s.name) });

  // Shut down with a request still in flight: its reply comes first, the shutdown's last.
  const last = bridge.send("torrents.list", { server: "nas" });
  const shutdown = bridge.send("bridge.shutdown");
  const [listReply, shutdownReply] = await Promise.all([last, shutdown]);
  step("shutdown", {
    listed: "result" in listReply, ok: "result" in shutdownReply,
    last_two: bridge.replyOrder.slice(-2).map((id) => (id === shutdownReply.id ? "shutdown" : "list")),
  });
  const code = await bridge.exited();
  console.log(JSON.stringify({
    result: { exit_code: code, deltas: deltas.length, seqs: deltas.map((d) => d.seq), paused_state: pausedState },
  }));
}

main().catch((reason) => bridge.fail(reason));
