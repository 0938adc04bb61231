// A real bridge client in another language: Node's standard library only, no npm packages.
// Spawns `python -m enunclic.bridge`, connects it to a server, lists, adds, pauses and receives deltas.
// Prints one JSON line per step and a final {"result": ...} line; exits non-zero on any failure.
//
// Environment: ENUNCLIC_PYTHON (interpreter), ENUNCLIC_TEST_URL (enunclic URL of a loopback server),
// ENUNCLIC_TEST_PASSWORD, ENUNCLIC_TEST_TORRENT (path of a .torrent file).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const env = process.env;
const watchdog = setTimeout(() => fail("timed out"), 60_000);

const child = spawn(env.ENUNCLIC_PYTHON, ["-m", "enunclic.bridge"], { stdio: ["pipe", "pipe", "pipe"] });
let stderr = "";
child.stderr.on("data", (chunk) => { stderr += chunk; });

const pending = new Map(); // id -> {resolve, reject}
const deltaWaiters = [];   // {predicate, resolve}
const deltas = [];
let nextId = 1;

createInterface({ input: child.stdout }).on("line", (line) => {
  const message = JSON.parse(line); // newline-delimited JSON: one message per line
  if (message.method === "torrents.delta") {
    deltas.push(message.params);
    for (const waiter of [...deltaWaiters]) {
      if (waiter.predicate(message.params)) {
        deltaWaiters.splice(deltaWaiters.indexOf(waiter), 1);
        waiter.resolve(message.params);
      }
    }
  } else if (message.method === undefined) {
    const waiter = pending.get(message.id);
    if (waiter) { pending.delete(message.id); waiter.resolve(message); }
  }
});

function send(method, params) {
  const id = nextId++;
  const promise = new Promise((resolve) => pending.set(id, { resolve }));
  child.stdin.write(JSON.stringify({ jsonrpc: "2.0", id, method, params }) + "\n");
  return promise;
}

async function call(method, params) {
  const reply = await send(method, params);
  if (reply.error) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
  return reply.result;
}

function nextDelta(predicate) {
  const seen = deltas.find(predicate);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => deltaWaiters.push({ predicate, resolve }));
}

function step(name, detail) { console.log(JSON.stringify({ step: name, ...detail })); }

function fail(reason) {
  console.log(JSON.stringify({ error: String(reason), stderr: stderr.slice(-2000) }));
  child.kill();
  process.exit(1);
}

async function main() {
  const info = await call("bridge.info");
  step("info", { framing: info.framing, protocol: info.protocol, methods: info.methods.length });

  const added = await call("servers.add", {
    name: "nas", url: env.ENUNCLIC_TEST_URL, username: "admin", password: env.ENUNCLIC_TEST_PASSWORD,
  });
  step("connected", { status: added.server.status, backend: added.info.backend });

  await call("subscribe", { server: "nas", interval: 0.1 });
  const baseline = await nextDelta((d) => d.full);
  step("baseline", { full: baseline.full, added: baseline.delta.added.length });

  const torrent = readFileSync(env.ENUNCLIC_TEST_TORRENT).toString("base64"); // binary content as base64
  // Gate optional features on the server's capabilities, as a GUI would.
  const labels = added.info.capabilities.includes("labels") ? { label: "node" } : {};
  const fromFile = await call("torrents.add", { server: "nas", torrent, ...labels });
  const magnet = await call("torrents.add", {
    server: "nas", uri: "magnet:?xt=urn:btih:" + "e".repeat(40) + "&dn=from-node", paused: true,
  });
  const addedDelta = await nextDelta((d) => d.delta && d.delta.added.some((t) => t.id === fromFile.id));
  step("added", { ids: [fromFile.id, magnet.id], info_hash: fromFile.info_hash, delta_seq: addedDelta.seq });

  const page = await call("torrents.list", { server: "nas" });
  step("listed", { total: page.total, names: page.torrents.map((t) => t.name).sort() });

  await call("torrents.pause", { server: "nas", ids: [fromFile.id] });
  const paused = await nextDelta(
    (d) => d.delta && d.delta.changed.some((t) => t.id === fromFile.id && t.state === "paused"),
  );
  step("paused", {
    state: paused.delta.changed.find((t) => t.id === fromFile.id).state,
    changed_fields: paused.delta.changed_fields[fromFile.id],
  });

  const unknown = await send("torrents.nuke", { server: "nas" });
  const badParams = await send("torrents.pause", { server: "nas", ids: "not-a-list" });
  step("errors", { unknown: unknown.error.code, bad_params: badParams.error.code, kind: badParams.error.data.kind });

  const servers = await call("servers.list");
  step("servers", { names: servers.map((s) => s.name) });

  child.stdin.end(); // closing stdin shuts the bridge down cleanly
  const code = await new Promise((resolve) => child.on("exit", resolve));
  clearTimeout(watchdog);
  console.log(JSON.stringify({
    result: {
      exit_code: code, deltas: deltas.length, seqs: deltas.map((d) => d.seq),
      paused_state: paused.delta.changed.find((t) => t.id === fromFile.id).state,
    },
  }));
}

main().catch(fail);
