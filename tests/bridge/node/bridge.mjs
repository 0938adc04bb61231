// @ts-check
// The bridge as an Electron main process holds it: a `python -m enunclic.bridge` child, requests matched to
// replies by id, notifications kept and awaitable. Node's standard library only; typed through JSDoc with the
// generated declarations (docs/schema/enunclic-bridge.d.ts), so `tsc --strict` checks the scripts that use it.
import { spawn } from "node:child_process";
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
/** @typedef {import("../../../docs/schema/enunclic-bridge.js").EventsNotice} EventsNotice */
/** @typedef {import("../../../docs/schema/enunclic-bridge.js").ServerState} ServerState */
/** @typedef {import("../../../docs/schema/enunclic-bridge.js").NotificationMessage} NotificationMessage */
/** @typedef {import("../../../docs/schema/enunclic-bridge.js").Response} Response */
/** @typedef {import("../../../docs/schema/enunclic-bridge.js").ErrorResponse} ErrorResponse */

/**
 * A setting from the environment the Python test gives.
 * @param {string} name
 * @returns {string}
 */
export function setting(name) {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

/**
 * One JSON line per step, for the Python test to check.
 * @param {string} name
 * @param {object} detail
 */
export function step(name, detail) { console.log(JSON.stringify({ step: name, ...detail })); }

/**
 * A notice list that can be awaited: the first notice (already received or still to come) a predicate accepts.
 * @template T
 */
class Inbox {
  constructor() {
    /** @type {T[]} */
    this.received = [];
    /** @type {{predicate: (notice: T) => boolean, resolve: (notice: T) => void}[]} */
    this.waiters = [];
  }

  /** @param {T} notice */
  deliver(notice) {
    this.received.push(notice);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(notice)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(notice);
      }
    }
  }

  /**
   * @param {(notice: T) => boolean} predicate
   * @returns {Promise<T>}
   */
  next(predicate) {
    const seen = this.received.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }
}

/** A running bridge child and what it has sent. */
export class Bridge {
  /**
   * @param {string} python the interpreter that has enunclic installed
   * @param {number} watchdogMs the whole session's deadline
   */
  constructor(python, watchdogMs) {
    this.child = spawn(python, ["-m", "enunclic.bridge"], { stdio: ["pipe", "pipe", "pipe"] });
    this.stderr = "";
    this.child.stderr.on("data", (chunk) => { this.stderr += chunk; });
    /** @type {Map<number | string | null, (reply: Response | ErrorResponse) => void>} */
    this.pending = new Map();
    /** @type {(number | string | null)[]} the ids of the replies, in the order they came */
    this.replyOrder = [];
    /** @type {Inbox<DeltaNotice>} */
    this.deltas = new Inbox();
    /** @type {Inbox<EventsNotice>} */
    this.events = new Inbox();
    /** @type {Inbox<ServerState>} */
    this.statuses = new Inbox();
    this.nextId = 1;
    /** @type {Promise<number | null>} the child's exit code, once it has exited */
    this.exit = new Promise((resolve) => this.child.on("exit", resolve));
    this.watchdog = setTimeout(() => this.fail("timed out"), watchdogMs);
    createInterface({ input: this.child.stdout }).on("line", (line) => this.receive(line));
  }

  /** @param {string} line one NDJSON message */
  receive(line) {
    /** @type {NotificationMessage | Response | ErrorResponse} */
    const message = JSON.parse(line);
    if (!("method" in message)) {
      this.replyOrder.push(message.id);
      const resolve = this.pending.get(message.id);
      if (resolve) { this.pending.delete(message.id); resolve(message); }
    } else if (message.method === "torrents.events") {
      this.events.deliver(message.params);
    } else if (message.method === "torrents.delta") {
      this.deltas.deliver(message.params);
    } else if (message.method === "servers.status") {
      this.statuses.deliver(message.params);
    }
  }

  /**
   * Any request, even one the bridge will refuse; resolves with the reply.
   * @param {string} method
   * @param {unknown} [params]
   * @returns {Promise<Response | ErrorResponse>}
   */
  send(method, params) {
    const id = this.nextId++;
    const promise = /** @type {Promise<Response | ErrorResponse>} */ (
      new Promise((resolve) => this.pending.set(id, resolve))
    );
    this.child.stdin.write(JSON.stringify({ jsonrpc: "2.0", id, method, params }) + "\n");
    return promise;
  }

  /**
   * A typed call: params and result as the declarations say for `method`; an error reply fails the session.
   * @template {MethodName} M
   * @param {M} method
   * @param {MethodParams<M>} [params]
   * @returns {Promise<MethodResult<M>>}
   */
  async call(method, params) {
    const reply = await this.send(method, params);
    if ("error" in reply) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
    return /** @type {MethodResult<M>} */ (reply.result);
  }

  /**
   * A call that must fail: its error, or the session fails.
   * @template {MethodName} M
   * @param {M} method
   * @param {MethodParams<M>} params
   * @returns {Promise<ErrorResponse["error"]>}
   */
  async refused(method, params) {
    const reply = await this.send(method, params);
    return "error" in reply ? reply.error : this.fail(`${method} was answered with a result`);
  }

  /**
   * Waits for the child to exit, then stops the watchdog.
   * @returns {Promise<number | null>}
   */
  async exited() {
    const code = await this.exit;
    clearTimeout(this.watchdog);
    return code;
  }

  /**
   * Ends the session as failed, with the bridge's last words.
   * @param {unknown} reason
   * @returns {never}
   */
  fail(reason) {
    console.log(JSON.stringify({ error: String(reason), stderr: this.stderr.slice(-2000) }));
    this.child.kill();
    process.exit(1);
  }
}
