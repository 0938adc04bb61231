// @ts-check
// What a GUI rebuilding Electorrent does beyond listing, through the bridge alone (issue 21): servers that fail
// to connect leave nothing behind; the connect reports what it learned; buttons are enabled from the published
// method -> capability table; the per-torrent switches, limits, ratio limit, force start, alternative speeds,
// labels list and pause/resume all, the add options; two-step verification asked once per device; completed and
// errored notifications; a certificate trusted by its fingerprint. Prints one JSON line per step and a final {"result": ...} line.
//
// Environment: ENUNCLIC_PYTHON; ENUNCLIC_TEST_URL and ENUNCLIC_TEST_PASSWORD (a server with every capability,
// holding one torrent); ENUNCLIC_TEST_MULTI (a multi-file .torrent); ENUNCLIC_TEST_DOWN_URL (nothing listens);
// ENUNCLIC_TEST_NAS_URL, ENUNCLIC_TEST_NAS_PASSWORD and ENUNCLIC_TEST_OTP (a Download Station asking for a
// code); ENUNCLIC_TEST_TLS_URL (a server whose certificate nobody trusts yet).
import { readFileSync } from "node:fs";

import { Bridge, setting, step } from "./bridge.mjs";

/** @typedef {import("../../../docs/schema/enunclic-bridge.js").MethodName} MethodName */
/** @typedef {import("../../../docs/schema/enunclic-bridge.js").Capability} Capability */

const bridge = new Bridge(setting("ENUNCLIC_PYTHON"), 80_000);
const password = setting("ENUNCLIC_TEST_PASSWORD");

async function main() {
  const info = await bridge.call("bridge.info");
  /**
   * A button is enabled when the server has every capability its method always needs.
   * @param {MethodName} method
   * @param {Capability[]} capabilities
   */
  const enabled = (method, capabilities) => info.method_capabilities
    .filter((need) => need.method === method && need.when === null)
    .every((need) => capabilities.includes(need.capability));

  // A server that cannot be added (wrong password, nothing listening) leaves no trace.
  const url = setting("ENUNCLIC_TEST_URL");
  const wrong = await bridge.refused("servers.add", { name: "wrong", url, username: "admin", password: "n0t-it" });
  const down = await bridge.refused("servers.add", {
    name: "down", url: setting("ENUNCLIC_TEST_DOWN_URL"), username: "admin", password, timeout: 5,
  });
  step("ghosts", { wrong: wrong.data?.kind, down: down.data?.kind, servers: (await bridge.call("servers.list")).length });

  // What the connect learned.
  const added = await bridge.call("servers.add", { name: "box", url, username: "admin", password });
  const box = added.info ?? bridge.fail("servers.add connected but returned no info");
  step("connected", {
    status: added.server.status, torrents: added.server.torrents, version: added.server.version,
    latency: typeof added.server.latency === "number" && added.server.latency > 0,
  });

  /** @type {MethodName[]} */
  const buttons = [
    "torrents.force_start", "torrents.set_sequential", "torrents.set_first_last_piece", "torrents.set_ratio_limit",
    "torrents.set_limits", "servers.set_alt_speed", "servers.labels", "torrents.pause_all", "torrents.resume_all",
    "torrents.trackers", "torrents.peers",
  ];
  step("buttons", Object.fromEntries(buttons.map((method) => [method, enabled(method, box.capabilities)])));

  // Add with the options of Electorrent's add dialog, each shown only where the server has it.
  const has = (/** @type {Capability} */ capability) => box.capabilities.includes(capability);
  const torrent = readFileSync(setting("ENUNCLIC_TEST_MULTI")).toString("base64");
  const options = {
    ...(has("add_rename") ? { rename: "renamed-by-gui" } : {}),
    ...(has("add_file_selection") ? { wanted_files: [0, 2] } : {}),
    ...(has("add_limits") ? { download_limit: 512_000, upload_limit: 256_000 } : {}),
    ...(has("add_skip_check") ? { skip_check: true } : {}),
    ...(has("labels") ? { label: "gui" } : {}),
  };
  const multi = await bridge.call("torrents.add", { server: "box", torrent, ...options });
  const shown = await bridge.call("torrents.get", { server: "box", id: multi.id });
  const files = await bridge.call("torrents.files", { server: "box", id: multi.id });
  step("added", {
    name: shown.name, state: shown.state, label: shown.label, tracker: shown.tracker,
    download_limit: shown.download_limit, upload_limit: shown.upload_limit, wanted: files.map((f) => f.wanted),
  });

  // The per-torrent switches and the ratio limit, read back from the torrent.
  const ids = [multi.id];
  await bridge.call("torrents.set_sequential", { server: "box", ids, enabled: true });
  await bridge.call("torrents.set_first_last_piece", { server: "box", ids, enabled: true });
  await bridge.call("torrents.set_ratio_limit", { server: "box", ids, ratio: 1.5 });
  const switched = await bridge.call("torrents.get", { server: "box", id: multi.id });
  await bridge.call("torrents.set_ratio_limit", { server: "box", ids, ratio: null });
  await bridge.call("torrents.set_limits", { server: "box", ids, download: null });
  const cleared = await bridge.call("torrents.get", { server: "box", id: multi.id });
  step("switches", {
    sequential: switched.sequential, first_last_piece: switched.first_last_piece, ratio_limit: switched.ratio_limit,
    cleared_ratio_limit: cleared.ratio_limit, cleared_download_limit: cleared.download_limit,
    kept_upload_limit: cleared.upload_limit,
  });

  // Force start past the queue, from paused.
  await bridge.call("torrents.pause", { server: "box", ids });
  const paused = (await bridge.call("torrents.get", { server: "box", id: multi.id })).state;
  await bridge.call("torrents.force_start", { server: "box", ids });
  step("force_start", { paused, after: (await bridge.call("torrents.get", { server: "box", id: multi.id })).state });

  // The turtle button, read back from the server's stats.
  await bridge.call("servers.set_alt_speed", { server: "box", enabled: true });
  const turtle = (await bridge.call("servers.stats", { server: "box" })).alt_speed;
  await bridge.call("servers.set_alt_speed", { server: "box", enabled: false });
  step("alt_speed", { on: turtle, off: (await bridge.call("servers.stats", { server: "box" })).alt_speed });

  step("labels", { labels: await bridge.call("servers.labels", { server: "box" }) });

  // Pause all / resume all: every torrent, the one added before this session included.
  await bridge.call("torrents.pause_all", { server: "box" });
  const allPaused = (await bridge.call("torrents.list", { server: "box" })).torrents.map((t) => t.state);
  await bridge.call("torrents.resume_all", { server: "box" });
  const allResumed = (await bridge.call("torrents.list", { server: "box" })).torrents.map((t) => t.state);
  step("all", { paused: allPaused, resumed: allResumed });

  const trackers = await bridge.call("torrents.trackers", { server: "box", id: multi.id });
  const peers = await bridge.call("torrents.peers", { server: "box", id: multi.id });
  step("details", { trackers: trackers.map((t) => [t.url, t.status, t.tier]), peers: peers.length });

  // Two-step verification once per device: the code once, then the device token kept in the keychain.
  const nas = { url: setting("ENUNCLIC_TEST_NAS_URL"), username: "admin", password: setting("ENUNCLIC_TEST_NAS_PASSWORD") };
  const asked = await bridge.refused("servers.add", { name: "nas", ...nas });
  const first = await bridge.call("servers.add", { name: "nas", ...nas, otp_code: setting("ENUNCLIC_TEST_OTP") });
  const token = first.device_token ?? bridge.fail("a two-step login returned no device token");
  await bridge.call("servers.remove", { server: "nas" });
  const later = await bridge.call("servers.add", { name: "nas", ...nas, device_token: token });
  const nasCapabilities = (later.info ?? bridge.fail("no info for the NAS")).capabilities;
  const unsupported = await bridge.refused("torrents.set_sequential", { server: "nas", ids: ["dbid_1"], enabled: true });
  step("two_factor", {
    asked: asked.data?.kind, names_the_param: asked.message.includes("otp_code"), first: first.server.status,
    token_length: token.length, later: later.server.status, later_token: later.device_token,
    sequential_button: enabled("torrents.set_sequential", nasCapabilities), unsupported: unsupported.data?.kind,
  });

  // What a GUI tells its user, without diffing states: a download completed, a task failed.
  await bridge.call("subscribe", { server: "nas", interval: 0.5 });
  await bridge.deltas.next((notice) => notice.server === "nas" && notice.full);
  const download = await bridge.call("torrents.add", { server: "nas", torrent });
  const broken = await bridge.call("torrents.add", { server: "nas", uri: "http://files.example.invalid/gone.torrent" });
  /**
   * The first event of this kind for this task on the NAS.
   * @param {import("../../../docs/schema/enunclic-bridge.js").TorrentEventKind} kind
   * @param {string} id
   */
  const eventOf = async (kind, id) => {
    const matches = (/** @type {import("../../../docs/schema/enunclic-bridge.js").TorrentEvent} */ e) =>
      e.kind === kind && e.id === id;
    const notice = await bridge.events.next((n) => n.server === "nas" && n.events.some(matches));
    return notice.events.find(matches) ?? bridge.fail(`no ${kind} event`);
  };
  const completed = await eventOf("completed", download.id);
  const errored = await eventOf("errored", broken.id);
  step("notified", {
    completed: completed.name, errored: errored.error,
    added: bridge.events.received.flatMap((n) => n.events).filter((e) => e.kind === "added").map((e) => e.id).sort()
      .join() === [download.id, broken.id].sort().join(),
  });
  await bridge.call("unsubscribe", { server: "nas" });

  // Trust this certificate? The failure describes it, servers.certificate shows it, the pin connects.
  const tls = setting("ENUNCLIC_TEST_TLS_URL");
  const untrusted = await bridge.refused("servers.add", { name: "tls", url: tls, timeout: 5 });
  const certificate = await bridge.call("servers.certificate", { url: tls });
  const pinned = await bridge.call("servers.add", { name: "tls", url: tls, tls_fingerprint: certificate.sha256, timeout: 5 });
  step("trust", {
    refused: untrusted.data?.kind, same: untrusted.data?.certificate?.sha256 === certificate.sha256,
    subject: certificate.subject, self_signed: certificate.self_signed, pinned: pinned.server.status,
  });

  const names = (await bridge.call("servers.list")).map((s) => s.name).sort();
  const statusNames = [...new Set(bridge.statuses.received.map((s) => s.name))].sort();
  step("servers", { names, status_names: statusNames });

  await bridge.call("bridge.shutdown");
  const code = await bridge.exited();
  console.log(JSON.stringify({ result: { exit_code: code } }));
}

main().catch((reason) => bridge.fail(reason));
