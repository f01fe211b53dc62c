// bench/soak: a long mixed load, to find what grows. BENCH_SOAK_TURNS turns (1 000 000 by
// default) of the dev model over HTTP (chat completions) and WebSocket (chat.send), on a
// thread-bound, a pooled and a main-thread agent, one in ten calling a tool (echo, or canvas); each client lane
// deletes its session (DELETE /__openclaw__/sessions/:key) every few turns and starts a new one;
// the gateway token (a watched externalSecrets file) is rotated every BENCH_SOAK_ROTATE_EVERY
// turns and the clients switch to it. Sampled over time: RSS, open fds and threads of each
// gateway; at the end, once idle, compared with the idle baseline taken after warm-up; log and
// transcript sizes against their configured limits; failed requests.
//
// A gateway runs its non-thread-bound agents either on the main thread or on the pool
// (agent-placement.ts), never both, so the soak runs two gateways side by side: "bound+pooled"
// and "main". The load runs in client processes (this file with --client), not in this one.
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cliEntry } from "../bin/cli-entry.mjs";
import { DEFAULT_MAX_IDEMPOTENCY_KEYS } from "../dist/storage/storage.js";
import { printTable } from "./gateway-process.mjs";

const CLI_MAIN = cliEntry();
const SELF = fileURLToPath(import.meta.url);

const TURNS = Number(process.env.BENCH_SOAK_TURNS ?? 1_000_000);
const ROTATE_EVERY = Number(process.env.BENCH_SOAK_ROTATE_EVERY ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_SOAK_CONCURRENCY ?? 32);
/** Turns a session gets before its lane deletes it and starts another. */
const SESSION_TURNS = Number(process.env.BENCH_SOAK_SESSION_TURNS ?? 20);
const WARMUP_FRACTION = 0.05;
/**
 * A gateway keeps the idempotency keys of its last DEFAULT_MAX_IDEMPOTENCY_KEYS (10 000)
 * WebSocket runs, within their 10-minute TTL: a bounded store that is still filling is growth
 * the baseline must already hold. Half of a gateway's turns are WebSocket, so its warm-up runs
 * at least this many turns (its first 5 % may be fewer: 16 667 for the main-thread gateway of a
 * 1 000 000-turn run).
 */
const WARMUP_FILLS_KEYS = 2 * DEFAULT_MAX_IDEMPOTENCY_KEYS * 1.2;
/** Small on purpose, so that log rotation is exercised within the run. */
const LOG_LIMITS = { maxSizeMb: 1, maxFiles: 2 };
/**
 * The gateways' gateway.releaseMemoryAfterIdleMs (30 s by default), short so the run need not wait
 * long: "warm" and "end" are both read after that release, at the same GC state. Read at once,
 * RSS still holds the pages V8 kept from the load, more or fewer by chance (±20 points of
 * growth between two 150 000-turn runs of the same code): those are reported as "at once".
 */
const RELEASE_AFTER_IDLE_MS = Number(process.env.BENCH_SOAK_RELEASE_MS ?? 2000);
const RETENTION = { maxTotalMb: 20, requests: { maxAgeDays: 1, maxTotalMb: 20 } };

const GATEWAYS = [
  {
    name: "bound+pooled",
    share: 2 / 3,
    agents: { defaults: { pool: { size: 1 } }, bound: { threadBound: true }, pooled: { threadBound: false } },
    agentIds: ["bound", "pooled"],
  },
  { name: "main", share: 1 / 3, agents: { main: { threadBound: false } }, agentIds: ["main"] },
];

const newToken = () => `soak-${randomBytes(24).toString("hex")}`;

async function writeSecretFile(path, value) {
  // Replaced by rename, as a secrets manager does: the watcher must see the new file whole.
  const staging = `${path}.tmp`;
  await writeFile(staging, `${value}\n`, { mode: 0o600 });
  await chmod(staging, 0o600);
  await rename(staging, path);
}

// ---------------------------------------------------------------- gateway side (this process)

async function launch(spec) {
  const dir = await mkdtemp(join(tmpdir(), "openclaw-soak-"));
  const stateDir = join(dir, "state");
  const configPath = join(dir, "openclaw.json");
  const tokenPath = join(dir, "gateway.token");
  const token = newToken();
  await writeSecretFile(tokenPath, token);
  const config = {
    agents: spec.agents,
    externalSecrets: { "gateway-token": { source: "file", path: tokenPath } },
    gateway: {
      auth: { mode: "token", token: { $secret: "gateway-token" } },
      releaseMemoryAfterIdleMs: RELEASE_AFTER_IDLE_MS,
    },
    logging: { level: "info", console: "off", file: LOG_LIMITS },
    sessions: { retention: RETENTION },
  };
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const child = spawn(
    process.execPath,
    ["--heapsnapshot-signal=SIGUSR2", CLI_MAIN, "gateway", "run", "--port", "0"],
    {
      cwd: dir, // heap snapshots land here
      env: { ...process.env, OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let output = "";
  child.stderr.on("data", (data) => {
    output = (output + data).slice(-20_000);
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${spec.name}: gateway exited ${child.exitCode}:\n${output}`);
    try {
      const state = JSON.parse(await readFile(join(stateDir, "gateway.json"), "utf8"));
      if ((await fetch(`${state.url}/readyz`)).ok) {
        await untilServing(state.url, token, spec.agentIds);
        return {
          ...spec,
          url: state.url,
          pid: child.pid,
          dir,
          stateDir,
          tokenPath,
          token,
          output: () => output,
          async stop() {
            const exited = new Promise((resolve) => child.once("exit", resolve));
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
            await exited;
            clearTimeout(timer);
            if (process.env.BENCH_SOAK_KEEP !== "1") await rm(dir, { recursive: true, force: true });
          },
        };
      }
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill("SIGKILL");
  throw new Error(`${spec.name}: gateway not ready:\n${output}`);
}

/**
 * /readyz answers before a thread-bound agent's worker is up, and the first WebSocket connect
 * loads the protocol's validators: the load starts once each agent has answered a turn and a
 * connect went through, so that start-up is not counted as failed turns.
 */
async function untilServing(url, token, agentIds) {
  const { default: WebSocket } = await import("ws");
  const deadline = Date.now() + 120_000;
  for (const agentId of agentIds) {
    while (true) {
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ model: `openclaw/${agentId}`, messages: [{ role: "user", content: "warm" }] }),
      });
      await response.arrayBuffer();
      if (response.status === 200) break;
      if (Date.now() > deadline) throw new Error(`agent ${agentId} still answers ${response.status}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  while (true) {
    const socket = new WebSocket(url.replace(/^http/, "ws"));
    const admitted = await new Promise((resolve) => {
      socket.on("message", (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.event === "connect.challenge")
          socket.send(
            JSON.stringify({
              type: "req",
              id: "warm",
              method: "connect",
              params: {
                minProtocol: 3,
                maxProtocol: 4,
                client: { id: "test", version: "1.0.0", platform: "linux", mode: "test" },
                auth: { token },
              },
            }),
          );
        else if (frame.id === "warm") resolve(frame.ok === true);
      });
      socket.on("close", () => resolve(false));
      socket.on("error", () => resolve(false));
    });
    socket.close();
    if (admitted) return;
    if (Date.now() > deadline) throw new Error("no WebSocket connect went through");
  }
}

function sampleProcess(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return {
    rssMb: field("VmRSS") / 1024,
    threads: field("Threads"),
    fds: readdirSync(`/proc/${pid}/fd`).length,
  };
}

function directorySize(path) {
  let bytes = 0;
  let files = 0;
  let stack = [path];
  while (stack.length > 0) {
    const next = [];
    for (const current of stack) {
      let entries = [];
      try {
        entries = readdirSync(current, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        const full = join(current, entry.name);
        if (entry.isDirectory()) next.push(full);
        else {
          try {
            bytes += statSync(full).size;
            files += 1;
          } catch {
            // removed meanwhile (rotation, retention)
          }
        }
      }
    }
    stack = next;
  }
  return { mb: bytes / 1024 / 1024, files };
}

function logFiles(stateDir) {
  try {
    return readdirSync(join(stateDir, "logs")).map((name) => ({
      name,
      mb: statSync(join(stateDir, "logs", name)).size / 1024 / 1024,
    }));
  } catch {
    return [];
  }
}

/** Runs one client process against `gateway`; resolves with its figures. */
function runClient(gateway, turns, rotateEvery) {
  const spec = {
    url: gateway.url,
    agentIds: gateway.agentIds,
    turns,
    rotateEvery,
    concurrency: Math.max(2, Math.round(CONCURRENCY * gateway.share)),
    sessionTurns: SESSION_TURNS,
    tokenPath: gateway.tokenPath,
    token: gateway.token,
  };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [SELF, "--client", JSON.stringify(spec)],
      { maxBuffer: 16 * 1024 * 1024, timeout: 6 * 60 * 60_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`${gateway.name} client: ${error.message}\n${stderr}`));
        const result = JSON.parse(stdout.trim().split("\n").at(-1));
        gateway.token = result.token;
        resolve(result);
      },
    );
  });
}

/** Fds and threads once the clients are gone: sockets close and workers settle, give them a moment. */
/** Every gateway read at once as the load stops, then again once each has released memory. */
async function idleSamples(gateways) {
  const atOnce = gateways.map((gateway) => sampleProcess(gateway.pid));
  // A gateway releases between 1 and 1.5 idle periods after its last turn.
  await new Promise((resolve) => setTimeout(resolve, RELEASE_AFTER_IDLE_MS * 1.5 + 1000));
  const samples = {};
  for (const [index, gateway] of gateways.entries())
    samples[gateway.name] = { ...(await settledSample(gateway.pid)), atOnceRssMb: atOnce[index].rssMb };
  return samples;
}

async function settledSample(pid) {
  let sample = sampleProcess(pid);
  for (let tries = 0; tries < 20; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const next = sampleProcess(pid);
    if (next.fds === sample.fds && next.threads === sample.threads) return next;
    sample = next;
  }
  return sample;
}

export { launch, runClient };

export async function runSoak() {
  const gateways = [];
  try {
    for (const spec of GATEWAYS) gateways.push(await launch(spec));
    const started = performance.now();
    const samples = Object.fromEntries(gateways.map((gateway) => [gateway.name, []]));
    const sampler = setInterval(() => {
      const at = (performance.now() - started) / 1000;
      for (const gateway of gateways) {
        try {
          samples[gateway.name].push({ at, ...sampleProcess(gateway.pid) });
        } catch {
          // exited; reported by the client's failures
        }
      }
    }, 1000);
    const baselineFresh = Object.fromEntries(gateways.map((g) => [g.name, sampleProcess(g.pid)]));
    // Warm-up: the first 5 % of turns (and enough to fill the idempotency keys, never more than
    // half a gateway's turns), then the idle baseline (JIT, pools, caches at steady state).
    const warmupTurns = gateways.map((g) =>
      Math.round(
        Math.max(TURNS * WARMUP_FRACTION * g.share, Math.min(WARMUP_FILLS_KEYS, (TURNS * g.share) / 2)),
      ),
    );
    const warmup = await Promise.all(gateways.map((g, i) => runClient(g, warmupTurns[i], ROTATE_EVERY)));
    const baseline = await idleSamples(gateways);
    const mainTurns = gateways.map((g, i) => Math.round(TURNS * g.share) - warmupTurns[i]);
    const estimateRps = warmup.reduce((sum, run) => sum + run.turns / run.seconds, 0);
    console.log(
      `\nbench/soak: ${TURNS} turns; warm-up ran ${Math.round(estimateRps)} turns/s, so about ${(
        (TURNS * (1 - WARMUP_FRACTION)) / estimateRps / 60
      ).toFixed(1)} min to go`,
    );
    const runs = await Promise.all(gateways.map((g, i) => runClient(g, mainTurns[i], ROTATE_EVERY)));
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    const end = await idleSamples(gateways);

    const rows = [
      [
        "gateway",
        "turns",
        "turns/s",
        "failed",
        "rotations",
        "sessions deleted",
        "RSS MB fresh / warm / end",
        "growth",
        "at once: warm / end",
        "fds warm / end",
        "threads warm / end",
        "logs MB (limit)",
        "sessions MB (limit)",
      ],
    ];
    const results = {};
    for (const [index, gateway] of gateways.entries()) {
      const warm = baseline[gateway.name];
      const last = end[gateway.name];
      const run = runs[index];
      const logs = logFiles(gateway.stateDir);
      const logsMb = logs.reduce((sum, file) => sum + file.mb, 0);
      const logLimitMb = LOG_LIMITS.maxSizeMb * (LOG_LIMITS.maxFiles + 1);
      const transcripts = directorySize(join(gateway.stateDir, "sessions"));
      const growth = last.rssMb / warm.rssMb - 1;
      const failed = warmup[index].failed + run.failed;
      results[gateway.name] = {
        agents: gateway.agentIds,
        turns: warmup[index].turns + run.turns,
        rps: run.turns / run.seconds,
        failed,
        failures: [...warmup[index].failures, ...run.failures].slice(0, 20),
        byKind: run.byKind,
        rotations: warmup[index].rotations + run.rotations,
        sessionsDeleted: warmup[index].sessionsDeleted + run.sessionsDeleted,
        fresh: baselineFresh[gateway.name],
        warm,
        end: last,
        rssGrowth: growth,
        logs,
        logLimitMb,
        transcripts,
        samples: samples[gateway.name],
      };
      rows.push([
        gateway.name,
        warmup[index].turns + run.turns,
        Math.round(run.turns / run.seconds),
        failed,
        warmup[index].rotations + run.rotations,
        warmup[index].sessionsDeleted + run.sessionsDeleted,
        `${baselineFresh[gateway.name].rssMb.toFixed(0)} / ${warm.rssMb.toFixed(0)} / ${last.rssMb.toFixed(0)}`,
        `${(growth * 100).toFixed(1)}%${growth > 0.05 ? " (> 5 %)" : ""}`,
        `${warm.atOnceRssMb.toFixed(0)} / ${last.atOnceRssMb.toFixed(0)}`,
        `${warm.fds} / ${last.fds}`,
        `${warm.threads} / ${last.threads}`,
        `${logsMb.toFixed(2)} in ${logs.length} files (${logLimitMb})`,
        `${transcripts.mb.toFixed(2)} in ${transcripts.files} files (${RETENTION.maxTotalMb}+${RETENTION.requests.maxTotalMb})`,
      ]);
    }
    console.log(
      `bench/soak: ${TURNS} turns in ${(seconds / 60).toFixed(1)} min (${Math.round(TURNS / seconds)} turns/s overall), ` +
        `${CONCURRENCY} connections, HTTP and WebSocket, 1 in 10 with a tool call, a session deleted every ${SESSION_TURNS} turns, ` +
        `token rotated every ${ROTATE_EVERY} turns; "warm" is idle after the warm-up (${warmupTurns.join(" / ")} turns), "end" idle after the last turn, ` +
        `both once the gateway released freed memory (${RELEASE_AFTER_IDLE_MS} ms idle); "at once" is read as the load stops`,
    );
    printTable(rows);
    return { turns: TURNS, seconds, concurrency: CONCURRENCY, rotateEvery: ROTATE_EVERY, results };
  } finally {
    for (const gateway of gateways) await gateway.stop();
  }
}

// ---------------------------------------------------------------- client side (--client)

async function runClientProcess(spec) {
  const { default: WebSocket } = await import("ws");
  const target = new URL(spec.url);
  const httpAgent = new Agent({ keepAlive: true, maxSockets: spec.concurrency * 2 });
  let token = spec.token;
  const clientId = randomBytes(4).toString("hex");
  let started = 0;
  let done = 0;
  let failed = 0;
  let rotations = 0;
  let sessionsDeleted = 0;
  const failures = [];
  const byKind = { http: 0, ws: 0, tool: 0 };
  let pause; // a promise while the token is being rotated
  let nextRotation = spec.rotateEvery;
  const began = performance.now();

  const fail = (what) => {
    failed += 1;
    if (failures.length < 20) failures.push(String(what).slice(0, 300));
  };

  function httpCall(method, path, body, headers = {}) {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          agent: httpAgent,
          host: target.hostname,
          port: target.port,
          path,
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...headers,
            ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}),
          },
        },
        (response) => {
          const chunks = [];
          response.on("data", (chunk) => chunks.push(chunk));
          response.on("end", () =>
            resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString() }),
          );
        },
      );
      outgoing.setTimeout(60_000, () => outgoing.destroy(new Error("timed out")));
      outgoing.on("error", reject);
      outgoing.end(payload);
    });
  }

  class WsLane {
    static async open() {
      const socket = new WebSocket(spec.url.replace(/^http/, "ws"));
      const lane = new WsLane(socket);
      // Waited for before the socket opens: `ws` can emit the first message in the same tick as
      // `open`, before an await after it would have registered (then the connect times out).
      const challenge = lane.wait((frame) => frame.event === "connect.challenge", "connect.challenge");
      challenge.catch(() => undefined);
      await new Promise((resolve, reject) => {
        socket.once("open", resolve);
        socket.once("error", reject);
      });
      await challenge;
      const hello = await lane.request("connect", {
        minProtocol: 3,
        maxProtocol: 4,
        client: { id: "test", version: "1.0.0", platform: "linux", mode: "test" },
        auth: { token },
      });
      if (!hello.ok) throw new Error(`connect refused: ${JSON.stringify(hello.error)}`);
      return lane;
    }
    constructor(socket) {
      this.socket = socket;
      this.nextId = 1;
      this.waiters = [];
      this.closed = false;
      socket.on("message", (data) => {
        const frame = JSON.parse(data.toString());
        for (const waiter of this.waiters) {
          if (waiter.match(frame)) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve(frame);
            break;
          }
        }
      });
      socket.on("close", (code, reason) => {
        this.closed = true;
        const error = new Error(`socket closed: ${code} ${reason}`);
        for (const waiter of this.waiters.splice(0)) waiter.reject(error);
      });
      socket.on("error", () => undefined);
    }
    wait(match, label, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve, reject };
        const timer = setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new Error(`timed out waiting for ${label}`));
        }, timeoutMs);
        waiter.resolve = (frame) => {
          clearTimeout(timer);
          resolve(frame);
        };
        waiter.reject = (error) => {
          clearTimeout(timer);
          reject(error);
        };
        this.waiters.push(waiter);
      });
    }
    request(method, params) {
      const id = String(this.nextId++);
      const answer = this.wait((frame) => frame.type === "res" && frame.id === id, `the answer to ${method}`);
      this.socket.send(JSON.stringify({ type: "req", id, method, params }));
      return answer;
    }
    close() {
      this.socket.close();
    }
  }

  /** Rotates the token once every lane has paused: no request carries a token being retired. */
  let inFlight = 0;
  let idleWaiter;
  async function rotate() {
    let release;
    pause = new Promise((resolve) => {
      release = resolve;
    });
    while (inFlight > 0) await new Promise((resolve) => (idleWaiter = resolve));
    const next = newToken();
    await writeSecretFile(spec.tokenPath, next);
    const deadline = Date.now() + 30_000;
    const previous = token;
    token = next;
    // The file is watched: the next request after the watcher fired uses the new value.
    while (true) {
      const answer = await httpCall("GET", "/v1/models").catch(() => ({ status: 0 }));
      if (answer.status === 200) break;
      if (Date.now() > deadline) {
        fail(`the rotated token was not accepted within 30 s (last status ${answer.status})`);
        token = previous;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    rotations += 1;
    pause = undefined;
    release();
  }

  // One connection per client process, shared by its WebSocket lanes: every operator connection
  // is sent every run's events (OpenClaw's broadcast), so a socket per lane would have each
  // lane read all the others' deltas. Reopened with the new token after a rotation.
  let shared;
  function sharedConnection() {
    if (!shared || shared.token !== token || shared.closed) {
      const previous = shared;
      const current = { token, closed: false, opening: WsLane.open() };
      current.opening.then(
        (connection) =>
          connection.socket.on("close", () => {
            current.closed = true;
          }),
        () => {
          current.closed = true;
        },
      );
      shared = current;
      previous?.opening.then(
        (connection) => connection.close(),
        () => undefined,
      );
    }
    return shared.opening;
  }

  async function lane(index) {
    const agentId = spec.agentIds[index % spec.agentIds.length];
    const useWs = process.env.BENCH_SOAK_DEBUG_WS === "1" || index % 2 === 1;
    let generation = 0;
    let sessionKey = `agent:${agentId}:soak-${clientId}-${index}-${generation}`;
    let sessionTurn = 0;
    while (true) {
      if (pause) await pause;
      if (started >= spec.turns) break;
      started += 1;
      if (started >= nextRotation) {
        nextRotation += spec.rotateEvery;
        await rotate();
      }
      inFlight += 1;
      const tool = started % 10 === 0;
      // One tool turn in ten draws on the session's canvas: per-session state a delete must free.
      const message = !tool
        ? `soak turn ${started}`
        : started % 100 === 0
          ? `/tool canvas {"action":"present","html":"<p>soak ${started}</p>"}`
          : `/tool echo {"text":"soak ${started}"}`;
      try {
        if (useWs) {
          const ws = await sharedConnection();
          // Unique across client processes: the gateway keeps idempotency keys, and a reused one
          // answers with the earlier run (already ended: no events would come).
          const runId = `soak-${clientId}-${index}-${started}`;
          // Waited for before sending: the dev model can answer before chat.send's own response is read.
          const final = ws.wait(
            (frame) =>
              frame.event === "chat" &&
              frame.payload?.runId === runId &&
              (frame.payload?.state === "final" || frame.payload?.state === "error"),
            `the end of run ${runId}`,
          );
          final.catch(() => undefined);
          const sent = await ws.request("chat.send", { sessionKey, message, idempotencyKey: runId });
          if (!sent.ok) throw new Error(`chat.send: ${JSON.stringify(sent.error)}`);
          if (sent.payload.runId !== runId)
            throw new Error(`chat.send answered run ${sent.payload.runId}, not ${runId}`);
          const ended = await final;
          if (ended.payload.state !== "final")
            throw new Error(`chat error: ${JSON.stringify(ended.payload)}`);
          byKind.ws += 1;
        } else {
          const answer = await httpCall(
            "POST",
            "/v1/chat/completions",
            { model: `openclaw/${agentId}`, messages: [{ role: "user", content: message }] },
            { "x-openclaw-session-key": sessionKey },
          );
          if (answer.status !== 200) throw new Error(`HTTP ${answer.status} ${answer.body}`);
          byKind.http += 1;
        }
        if (tool) byKind.tool += 1;
        done += 1;
        sessionTurn += 1;
        if (sessionTurn >= spec.sessionTurns) {
          const deleted = await httpCall(
            "DELETE",
            `/__openclaw__/sessions/${encodeURIComponent(sessionKey)}`,
          );
          if (deleted.status !== 200) fail(`DELETE ${sessionKey}: HTTP ${deleted.status} ${deleted.body}`);
          else sessionsDeleted += 1;
          generation += 1;
          sessionKey = `agent:${agentId}:soak-${clientId}-${index}-${generation}`;
          sessionTurn = 0;
        }
      } catch (error) {
        fail(`${useWs ? "ws" : "http"} ${agentId}: ${error.message}`);
      } finally {
        inFlight -= 1;
        if (inFlight === 0) idleWaiter?.();
      }
    }
    // The last session goes too: the soak ends with none of its own left.
    if (sessionTurn > 0) {
      const deleted = await httpCall(
        "DELETE",
        `/__openclaw__/sessions/${encodeURIComponent(sessionKey)}`,
      ).catch((error) => ({ status: 0, body: error.message }));
      if (deleted.status !== 200) fail(`DELETE ${sessionKey}: HTTP ${deleted.status} ${deleted.body}`);
      else sessionsDeleted += 1;
    }
  }

  await Promise.all(Array.from({ length: spec.concurrency }, (_, index) => lane(index)));
  httpAgent.destroy();
  await shared?.opening.then(
    (connection) => connection.close(),
    () => undefined,
  );
  const seconds = (performance.now() - began) / 1000;
  process.stdout.write(
    `${JSON.stringify({ turns: done, failed, failures, seconds, rotations, sessionsDeleted, byKind, token })}\n`,
  );
}

if (process.argv[2] === "--client") {
  await runClientProcess(JSON.parse(process.argv[3]));
  process.exit(0);
}
