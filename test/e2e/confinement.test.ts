import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostProcessesWith } from "../support/host-processes.js";
import { chat, type ExecResult, execThroughAgent } from "./chat-http.js";
import { authHeaders, runCli, type TempHome, useGateway, withTestAuth } from "./harness.js";

/**
 * The gateway's files live outside /tmp on purpose: a confined command gets a fresh /tmp, which
 * would hide them for free. Here they are hidden only because the policy names them, and the
 * workspaces (inside the state dir) are bound back over the hidden state dir.
 */
const BASE = realpathSync(mkdtempSync("/var/tmp/openclaw-e2e-confinement-"));
const STATE_DIR = join(BASE, "state");
const CONFIG_DIR = join(BASE, "config");
const CONFIG_PATH = join(CONFIG_DIR, "openclaw.json");
const SECRETS_DIR = join(BASE, "secrets");
const SECRET_FILE = join(SECRETS_DIR, "canary.key");
const WORKSPACE = join(STATE_DIR, "workspace", "confined");
/** A file secret declared inside an agent's workspace: hidden there too. */
const INSIDE_SECRET_FILE = join(WORKSPACE, "deploy.key");
const OUTSIDE_FILE = join(BASE, "outside.txt");

const canary = (label: string) => `${label}${randomBytes(12).toString("hex")}`;
const FILE_CANARY = canary("filecanary");
const INSIDE_CANARY = canary("insidecanary");
const ENV_CANARY = canary("envcanary");
const CONFIG_MARKER = canary("configmarker");
const ENV_NAME = "OPENCLAW_E2E_CONFINEMENT_CANARY";

const CONFIG = {
  externalSecrets: {
    "canary-file": { source: "file", path: SECRET_FILE },
    "inside-file": { source: "file", path: INSIDE_SECRET_FILE },
    "canary-env": { source: "env", key: ENV_NAME },
  },
  agents: {
    confined: { name: CONFIG_MARKER, threadBound: true },
    shared: {},
    networked: { sandbox: { host: { network: "host" } } },
    open: { sandbox: { host: { confinement: "unconfined" } } },
  },
};

/** Puts the state dir, the config and the secrets under BASE, and the env secret in the gateway's env. */
function prepare(home: TempHome): void {
  mkdirSync(CONFIG_DIR, { recursive: true });
  mkdirSync(SECRETS_DIR, { recursive: true, mode: 0o700 });
  mkdirSync(WORKSPACE, { recursive: true });
  writeFileSync(SECRET_FILE, `${FILE_CANARY}\n`, { mode: 0o600 });
  writeFileSync(INSIDE_SECRET_FILE, `${INSIDE_CANARY}\n`, { mode: 0o600 });
  writeFileSync(OUTSIDE_FILE, "original\n");
  writeFileSync(CONFIG_PATH, JSON.stringify(withTestAuth(CONFIG), null, 2));
  home.stateDir = STATE_DIR;
  home.configPath = CONFIG_PATH;
  home.env.OPENCLAW_STATE_DIR = STATE_DIR;
  home.env.OPENCLAW_CONFIG_PATH = CONFIG_PATH;
  home.env[ENV_NAME] = ENV_CANARY;
}

/** Every reply of a confined agent, for the canary check at the end. */
const confinedReplies: string[] = [];

const exec = (url: string, agentId: string, command: string, timeoutMs?: number) =>
  execThroughAgent(url, agentId, command, {
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(agentId !== "open" ? { onReply: (text: string) => confinedReplies.push(text) } : {}),
  });

const outputOf = (result: ExecResult) => `${result.stdout}\n${result.stderr}`;
/** The gateway masks raw secret values in tool output; reversed, a readable secret would show. */
const reversed = (text: string) => [...text].reverse().join("");

async function noneWithin(argument: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while ((await hostProcessesWith(argument)) > 0) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

afterAll(() => rmSync(BASE, { recursive: true, force: true }));

describe("agent tools confined by default", () => {
  const running = useGateway(undefined, prepare);
  let server: Server;
  let port: number;
  const SERVER_MARKER = canary("served");

  beforeAll(async () => {
    server = createServer((_, response) => response.end(SERVER_MARKER));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("runs exec confined, in the workspace, and says so", async () => {
    const result = await exec(running.url, "confined", "pwd; id -u");
    expect(result).toMatchObject({ exitCode: 0, sandboxed: false, confined: true });
    expect(result.stdout.split("\n")[0]).toBe(WORKSPACE);
  });

  it("cannot read a file secret", async () => {
    const result = await exec(running.url, "confined", `rev ${SECRET_FILE}; ls -a ${SECRETS_DIR}`);
    expect(outputOf(result)).not.toContain(reversed(FILE_CANARY));
    expect(result.stdout).not.toContain("canary.key");
  });

  it("cannot read a file secret that lies inside its own workspace, with exec or the file tools", async () => {
    const result = await exec(running.url, "confined", "rev deploy.key; ls -la");
    expect(outputOf(result)).not.toContain(reversed(INSIDE_CANARY));
    const read = await chat(running.url, "confined", '/tool read {"path":"deploy.key"}');
    expect(read.text).toMatch(/^Tool read failed: .*hidden from agents/);
    const list = await chat(running.url, "confined", "/tool list {}");
    expect(list.text).toMatch(/^Tool list returned: /);
    expect(list.text).not.toContain("deploy.key");
    confinedReplies.push(read.text ?? "", list.text ?? "");
  });

  it("sees no process environment holding the env secret", async () => {
    const result = await exec(
      running.url,
      "confined",
      "cat /proc/*/environ | tr '\\0' '\\n' | rev; ls /proc | grep -c '^[0-9]'",
    );
    expect(outputOf(result)).not.toContain(reversed(ENV_CANARY));
    expect(outputOf(result)).not.toContain(ENV_NAME);
    expect(outputOf(result)).not.toContain(reversed(ENV_NAME));
    expect(Number(result.stdout.trim().split("\n").at(-1))).toBeLessThan(10);
  });

  it("cannot list or read the state dir: gateway-token and cli-token", async () => {
    const cliToken = (await readFile(join(STATE_DIR, "cli-token"), "utf8")).trim();
    const tokenPath = join(STATE_DIR, "gateway-token");
    const gatewayToken = existsSync(tokenPath) ? (await readFile(tokenPath, "utf8")).trim() : undefined;
    const result = await exec(
      running.url,
      "confined",
      `ls -a ${STATE_DIR}; cat ${STATE_DIR}/cli-token ${STATE_DIR}/gateway-token ${STATE_DIR}/gateway.json | rev`,
    );
    expect(outputOf(result)).not.toContain(reversed(cliToken));
    if (gatewayToken) expect(outputOf(result)).not.toContain(reversed(gatewayToken));
    expect(result.stdout).not.toMatch(/cli-token|gateway-token|gateway\.json/);
  });

  it("cannot read or write the config file", async () => {
    const before = await readFile(CONFIG_PATH, "utf8");
    const result = await exec(
      running.url,
      "confined",
      `cat ${CONFIG_PATH}; echo '{"gateway":{"auth":{"mode":"none"}}}' > ${CONFIG_PATH}; echo "write=$?"; ` +
        `rm -f ${CONFIG_PATH}; mv ${CONFIG_DIR} ${BASE}/moved`,
    );
    expect(outputOf(result)).not.toContain(CONFIG_MARKER);
    expect(result.stdout).toMatch(/write=[1-9]/);
    expect(await readFile(CONFIG_PATH, "utf8")).toBe(before);
  });

  it("cannot write outside the workspace: the host file is unchanged", async () => {
    // Only files of this test: were confinement broken, nothing of the host itself is written.
    const created = join(BASE, "created-outside.txt");
    const result = await exec(
      running.url,
      "confined",
      `echo pwned > ${OUTSIDE_FILE}; echo pwned > ${created}; rm -f ${OUTSIDE_FILE}; echo done`,
    );
    expect(result.stdout).toContain("done");
    expect(result.stderr).toMatch(/Read-only file system/);
    expect(await readFile(OUTSIDE_FILE, "utf8")).toBe("original\n");
    expect(existsSync(created)).toBe(false);
  });

  it("writes inside the workspace, and the file appears on the host", async () => {
    const result = await exec(
      running.url,
      "confined",
      "mkdir -p notes && echo hello > notes/a.txt && echo ok",
    );
    expect(result.stdout).toBe("ok\n");
    expect(await readFile(join(WORKSPACE, "notes", "a.txt"), "utf8")).toBe("hello\n");
  });

  it("leaves nothing running after the call, not even what setsid detached", async () => {
    const marker = `300.${process.pid}${Date.now() % 100_000}`;
    const result = await exec(
      running.url,
      "confined",
      `setsid sleep ${marker} >/dev/null 2>&1 < /dev/null & (sleep ${marker} >/dev/null 2>&1 &); echo started`,
    );
    expect(result.stdout).toBe("started\n");
    expect(await noneWithin(marker, 2000)).toBe(true);
  });

  it("bounds a fork bomb: the call returns, fork fails, the gateway still answers", async () => {
    const marker = `30.${process.pid}7`;
    const started = Date.now();
    const result = await exec(
      running.url,
      "confined",
      `for i in $(seq 1 2000); do sleep ${marker} >/dev/null 2>&1 & done; echo all-started`,
      30_000,
    );
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.timedOut).toBe(false);
    expect(outputOf(result)).toMatch(/fork/i);
    expect(result.stdout).not.toContain("all-started");
    expect(await noneWithin(marker, 3000)).toBe(true);
    const health = await fetch(`${running.url}/health`, { headers: authHeaders(running.url) });
    expect(health.status).toBe(200);
    expect((await chat(running.url, "shared", "hi")).text).toBe("You said: hi");
  });

  it("has no network by default; with network host it reaches a loopback server", async () => {
    const request = `curl -sS -m 3 http://127.0.0.1:${port}/; echo " rc=$?"`;
    const isolated = await exec(running.url, "confined", request);
    expect(isolated.stdout).not.toContain(SERVER_MARKER);
    expect(isolated.stdout).toMatch(/rc=[1-9]/);
    const networked = await exec(running.url, "networked", request);
    expect(networked.stdout).toContain(SERVER_MARKER);
    expect(networked.stdout).toContain("rc=0");
  });

  it("cannot umount what hides a path", async () => {
    const result = await exec(
      running.url,
      "confined",
      `umount ${STATE_DIR} 2>&1; echo "rc=$?"; umount -l ${SECRETS_DIR} 2>&1; echo "rc=$?"; ` +
        `unshare -Urm umount ${SECRETS_DIR} 2>&1; echo "rc=$?"; rev ${SECRET_FILE}`,
    );
    expect(result.stdout.match(/rc=(\d+)/g)).toEqual([
      expect.not.stringMatching(/rc=0$/),
      expect.not.stringMatching(/rc=0$/),
      expect.not.stringMatching(/rc=0$/),
    ]);
    expect(outputOf(result)).not.toContain(reversed(FILE_CANARY));
  });

  it("the same holds for an agent on the gateway's main thread", async () => {
    const result = await exec(
      running.url,
      "shared",
      `cat ${SECRET_FILE} /proc/*/environ | rev; ls ${STATE_DIR}`,
    );
    expect(result.confined).toBe(true);
    expect(outputOf(result)).not.toContain(reversed(FILE_CANARY));
    expect(outputOf(result)).not.toContain(reversed(ENV_CANARY));
  });

  it("leaks the canaries in no encoding: they were never readable", async () => {
    const sources = [SECRET_FILE, INSIDE_SECRET_FILE, "/proc/*/environ", `${STATE_DIR}/cli-token`];
    for (const source of sources) {
      for (const transform of [
        "rev",
        "od -An -tx1",
        "base64",
        "tr a-z A-Z",
        "head -c 20",
        "tail -c 20",
        "xxd -p",
        "sha256sum",
      ]) {
        await exec(running.url, "confined", `cat ${source} 2>/dev/null | ${transform} 2>&1`);
      }
      await exec(
        running.url,
        "shared",
        `cat ${source} 2>/dev/null | rev; cat ${source} 2>/dev/null | base64`,
      );
    }
    const all = confinedReplies.join("\n");
    const flattened = all.replace(/\s+/g, "").toLowerCase();
    for (const secret of [FILE_CANARY, INSIDE_CANARY, ENV_CANARY]) {
      const half = Math.floor(secret.length / 2);
      const hex = Buffer.from(secret).toString("hex");
      const encodings = [
        secret,
        [...secret].reverse().join(""),
        secret.toUpperCase(),
        secret.slice(0, half),
        secret.slice(half),
        Buffer.from(secret).toString("base64").slice(0, 16),
        Buffer.from(`${secret}\n`).toString("base64").slice(0, 16),
      ];
      for (const encoding of encodings) expect(all, encoding).not.toContain(encoding);
      // od and xxd print hex with spaces and line breaks: compare without them.
      expect(flattened).not.toContain(hex.slice(0, 24));
      expect(flattened).not.toContain(hex.slice(-24));
    }
    expect(confinedReplies.length).toBeGreaterThan(30);
  }, 180_000);

  it("an agent that opts out runs unconfined, says so, and doctor flags it", async () => {
    const result = await exec(running.url, "open", `echo hi; rev ${SECRET_FILE}`);
    expect(result).toMatchObject({ exitCode: 0, sandboxed: false, confined: false });
    // The control: the canary is real and readable by the gateway's user when nothing confines it,
    // and the output masking (which only knows the raw value) does not catch it reversed.
    expect(result.stdout).toBe(`hi\n${reversed(FILE_CANARY)}\n`);
    const doctor = await runCli(["doctor", "--json"], running.home.env);
    const checks = JSON.parse(doctor.stdout) as {
      id: string;
      status: string;
      subject?: string;
      summary: string;
    }[];
    const flagged = checks.find((check) => check.id === "host-confinement" && check.subject === "open");
    expect(flagged).toMatchObject({ status: "warn" });
    expect(flagged?.summary).toContain('agents.open.sandbox.host.confinement is "unconfined"');
    expect(flagged?.summary).toContain(CONFIG_PATH);
    const confinedCheck = checks.find(
      (check) => check.id === "host-confinement" && check.subject === undefined,
    );
    expect(confinedCheck?.status).toBe("ok");
  });
});
