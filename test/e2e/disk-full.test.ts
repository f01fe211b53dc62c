import { spawnSync } from "node:child_process";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMetrics } from "../prometheus-text.js";
import { type RunningGateway, runCli, startGateway, type TempHome, tempHome, waitFor } from "./harness.js";
import { TestWsClient } from "./ws-client.js";

/**
 * The state dir on a real, small filesystem (an 8 MB tmpfs) filled to the last page: the
 * gateway must stay alive and honest (liveness 200, readiness 503 naming the disk, turns
 * refused with 507, nothing acknowledged that was not written), recover by itself when space
 * is freed, and exit promptly on SIGTERM while full. Needs root for mount(8).
 */

const canMount = process.platform === "linux" && process.getuid?.() === 0;
const REQUEST_TIMEOUT_MS = 5000;
/** The drain time: SIGTERM on a full disk must exit within it. */
const DRAIN_MS = 5000;

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
  ms: number;
}

async function timedFetch(url: string, init: RequestInit = {}): Promise<Reply> {
  const startedAt = performance.now();
  // No request may hang: every one is bounded, and a timeout fails the test.
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: response.status, body, headers: response.headers, ms: performance.now() - startedAt };
}

function chat(gateway: RunningGateway, content: string, sessionKey?: string): Promise<Reply> {
  return timedFetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...gateway.headers,
      ...(sessionKey ? { "x-openclaw-session-key": sessionKey } : {}),
    },
    body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content }] }),
  });
}

function run(command: string, args: string[]): { status: number | null; stderr: string } {
  const result = spawnSync(command, args, { encoding: "utf8" });
  return { status: result.status, stderr: result.stderr };
}

describe.skipIf(!canMount)("a full state dir (8 MB tmpfs)", () => {
  let home: TempHome;
  let gateway: RunningGateway;
  let mounted = false;
  /** Every message a client was told was taken (HTTP 200, or a WebSocket run's final event). */
  const acknowledged: { sessionKey: string; content: string }[] = [];
  const measured: Record<string, number> = {};
  let turnCount = 0;
  const nextSession = () => `agent:main:disk-${turnCount++}`;

  const fill = async () => {
    // Fill to the last page: dd stops at ENOSPC (exit 1); the page left over is what the
    // gateway's open files may still have room in, which is why turns are sent until refused.
    run("dd", ["if=/dev/zero", `of=${join(home.stateDir, "filler")}`, "bs=64k"]);
    const df = run("df", ["--output=avail", "-B1", home.stateDir]);
    expect(df.status).toBe(0);
  };
  const freeSpace = () => rm(join(home.stateDir, "filler"), { force: true });

  /** Sends turns to new sessions until the disk refuses one; every 200 on the way is acknowledged. */
  const sendUntilRefused = async (): Promise<Reply> => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const sessionKey = nextSession();
      const content = `message ${sessionKey} ${"x".repeat(2000)}`;
      const reply = await chat(gateway, content, sessionKey);
      if (reply.status === 200) {
        acknowledged.push({ sessionKey, content });
        continue;
      }
      return reply;
    }
    throw new Error("the disk never refused a turn");
  };

  beforeAll(async () => {
    home = await tempHome({ agents: { main: { model: "dev/echo" } } });
    await mkdir(home.stateDir, { recursive: true, mode: 0o700 });
    const mount = run("mount", ["-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", home.stateDir]);
    if (mount.status !== 0) throw new Error(`mount failed: ${mount.stderr}`);
    mounted = true;
    gateway = await startGateway(home);
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    if (mounted) {
      await freeSpace().catch(() => undefined);
      // Unmounted whatever happened above; lazily if something still holds it.
      if (run("umount", [home.stateDir]).status !== 0) run("umount", ["-l", home.stateDir]);
    }
    await home?.cleanup();
    console.log(`disk-full figures: ${JSON.stringify(measured)}`);
  }, 30_000);

  it("acknowledges turns while there is room (HTTP and WebSocket)", async () => {
    for (let index = 0; index < 3; index++) {
      const sessionKey = nextSession();
      const content = `before the disk fills ${index}`;
      expect((await chat(gateway, content, sessionKey)).status).toBe(200);
      acknowledged.push({ sessionKey, content });
    }
    const { client } = await TestWsClient.connect(gateway.url);
    const sessionKey = nextSession();
    const sent = await client.request("chat.send", {
      sessionKey,
      message: "over the socket",
      idempotencyKey: "ws-1",
    });
    expect(sent.ok).toBe(true);
    await client.waitFor(
      (frame) =>
        frame.event === "chat" && frame.payload?.runId === "ws-1" && frame.payload?.state === "final",
    );
    acknowledged.push({ sessionKey, content: "over the socket" });
    client.close();
  });

  it("when full: stays live, goes unready naming the disk, refuses turns with 507 OC_ERR_DISK_FULL", async () => {
    await fill();
    const refused = await sendUntilRefused();
    expect(refused.status).toBe(507);
    const error = refused.body.error as { code: string; message: string; type: string };
    expect(error.code).toBe("disk_full");
    expect(error.message).toContain("nothing was saved");
    expect(error.message).toContain(home.stateDir);
    expect(error.message).toContain("openclaw doctor");
    expect(refused.headers.get("retry-after")).not.toBeNull();

    const health = await timedFetch(`${gateway.url}/health`);
    expect(health.status).toBe(200);
    const ready = await timedFetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ ready: false, reason: expect.stringMatching(/disk.*ENOSPC/) });

    // Refused at once, for a session turn and a stateless one alike: no model call, no hang.
    const again = await chat(gateway, "still full?", nextSession());
    expect(again.status).toBe(507);
    expect(again.ms).toBeLessThan(1000);
    expect((await chat(gateway, "a stateless request")).status).toBe(507);

    const { client } = await TestWsClient.connect(gateway.url);
    const sent = await client.request("chat.send", {
      sessionKey: nextSession(),
      message: "over the socket while full",
      idempotencyKey: "ws-full",
    });
    expect(sent.ok).toBe(false);
    expect(sent.error).toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringContaining("ENOSPC"),
      details: expect.objectContaining({ ocCode: "OC_ERR_DISK_FULL" }),
    });
    client.close();

    const status = await timedFetch(`${gateway.url}/__openclaw__/status`, { headers: gateway.headers });
    expect(status.body.stateDir).toMatchObject({ writable: false, code: "ENOSPC", path: home.stateDir });
    const metrics = await timedFetch(`${gateway.url}/metrics`, { headers: gateway.headers });
    const parsed = parseMetrics(String(metrics.body.text));
    expect(parsed.value("openclaw_state_dir_writable", {})).toBe(0);
    expect(parsed.families.has("openclaw_log_lines_dropped_total")).toBe(true);

    const doctor = await runCli(["doctor", "--json"], home.env);
    const checks = JSON.parse(doctor.stdout) as { id: string; status: string; summary: string }[];
    expect(checks.find((check) => check.id === "state-dir-writes")).toMatchObject({
      status: "fail",
      summary: expect.stringContaining("ENOSPC"),
    });
    expect(checks.find((check) => check.id === "state-dir-space")?.status).toBe("warn");
    expect(doctor.code).toBe(1);
  }, 60_000);

  it("recovers by itself within seconds of space being freed, without a restart", async () => {
    await freeSpace();
    const freedAt = performance.now();
    await waitFor(async () => (await timedFetch(`${gateway.url}/readyz`)).status === 200, 10_000);
    measured.readyAfterFreeMs = Math.round(performance.now() - freedAt);
    const sessionKey = nextSession();
    const reply = await waitFor(async () => {
      const attempt = await chat(gateway, "space is back", sessionKey);
      return attempt.status === 200 ? attempt : undefined;
    }, 10_000);
    measured.turnAfterFreeMs = Math.round(performance.now() - freedAt);
    expect(reply.status).toBe(200);
    acknowledged.push({ sessionKey, content: "space is back" });
    expect(measured.readyAfterFreeMs).toBeLessThan(5000);
    const status = await timedFetch(`${gateway.url}/__openclaw__/status`, { headers: gateway.headers });
    expect(status.body.stateDir).toMatchObject({ writable: true, recoveredAt: expect.any(String) });
  }, 30_000);

  it("exits within the drain time on SIGTERM while the disk is full", async () => {
    await fill();
    expect((await sendUntilRefused()).status).toBe(507);
    // Log lines waiting for a disk that refuses them: the exit path must not wait on them.
    for (let index = 0; index < 20; index++) await chat(gateway, `pressure ${index}`, nextSession());
    const child = gateway.process;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const signalledAt = performance.now();
    child.kill("SIGTERM");
    const code = await Promise.race([
      exited,
      new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), DRAIN_MS + 3000)),
    ]);
    measured.exitOnSigtermWhileFullMs = Math.round(performance.now() - signalledAt);
    expect(code).toBe(0);
    expect(measured.exitOnSigtermWhileFullMs).toBeLessThan(DRAIN_MS);
  }, 60_000);

  it("afterwards: no transcript or log ends in a torn line, and every acknowledged message is in chat.history", async () => {
    await freeSpace();
    const sessions = join(home.stateDir, "sessions");
    for (const name of await readdir(sessions)) {
      const text = await readFile(join(sessions, name), "utf8");
      if (text === "") continue;
      expect(text.endsWith("\n"), name).toBe(true);
      for (const line of text.trimEnd().split("\n")) expect(() => JSON.parse(line), name).not.toThrow();
    }
    const log = await readFile(join(home.stateDir, "logs", "gateway.log"), "utf8");
    expect(log === "" || log.endsWith("\n")).toBe(true);
    for (const line of log.trimEnd().split("\n")) if (line) expect(() => JSON.parse(line)).not.toThrow();

    gateway = await startGateway(home);
    const { client } = await TestWsClient.connect(gateway.url);
    for (const { sessionKey, content } of acknowledged) {
      const history = await client.request("chat.history", { sessionKey });
      const messages = history.payload?.messages as { role: string; content: { text: string }[] }[];
      expect(
        messages.some((message) => message.role === "user" && message.content[0]?.text === content),
        sessionKey,
      ).toBe(true);
    }
    client.close();
    // Four before the disk filled, one after it recovered, and any the last free page took.
    expect(acknowledged.length).toBeGreaterThanOrEqual(5);
  }, 60_000);
});
