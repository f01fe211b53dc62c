import { chmod, mkdir, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSelfSignedCertificate } from "../../src/auth/index.js";
import { agentStatus, chat } from "./chat-http.js";
import { authHeaders, REPO_ROOT, runCli, startGateway, tempHome, useGateway, waitFor } from "./harness.js";

/**
 * `openclaw doctor` against real broken situations: each line of the seed's diagnosis checklist
 * (section 6) is built for real (a gateway answering 503s, a key in openclaw.json, a proxy that
 * sends no X-Forwarded-For, a Qdrant that does not answer) and doctor must name it and its fix.
 */

interface JsonDiagnostic {
  id: string;
  status: "ok" | "warn" | "fail";
  summary: string;
  fix?: string;
  subject?: string;
  details?: string[];
  fixable?: string;
}

const plugin = (name: string) => join(REPO_ROOT, "examples/plugins", name);
const mode = async (path: string) => (await stat(path)).mode & 0o777;

async function doctorJson(env: NodeJS.ProcessEnv, args: string[] = []) {
  const result = await runCli(["doctor", "--json", ...args], env);
  return { code: result.code, checks: JSON.parse(result.stdout) as JsonDiagnostic[] };
}

function findCheck(checks: JsonDiagnostic[], id: string, subject?: string): JsonDiagnostic {
  const found = checks.find(
    (check) => check.id === id && (subject === undefined || check.subject === subject),
  );
  if (!found) throw new Error(`no ${id} check in ${JSON.stringify(checks, null, 2)}`);
  return found;
}

/** The checks that failed, by id: a test names exactly the failure it built, and no other. */
const failedIds = (checks: JsonDiagnostic[]) =>
  checks.filter((check) => check.status === "fail").map((check) => check.id);

/** A port nothing listens on: opened, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An OpenAI-compatible embeddings endpoint: memory needs vectors before anything goes to Qdrant. */
async function startEmbeddings(): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const { input } = JSON.parse(body) as { input: string[] };
      const data = input.map((_, index) => ({
        object: "embedding",
        index,
        embedding: Array.from({ length: 8 }, (__, dimension) => (dimension + index + 1) / 10),
      }));
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ object: "list", data, model: "fake-embed" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, baseUrl: `http://127.0.0.1:${port}/v1` };
}

describe("seed checklist 1: agent frequent 503 → check whether threadBound is turned on", () => {
  const running = useGateway({
    agents: {
      crowded: { plugins: [plugin("faults/slow.mjs")], limits: { maxConcurrent: 1, maxQueue: 0 } },
      calm: { threadBound: true },
    },
  });

  it("names the agent, its 503 count and `threadBound: true`, and the fix makes it go away", async () => {
    const busy = chat(running.url, "crowded", '/tool sleep {"ms":1500}');
    await waitFor(async () => (await agentStatus(running.url, "crowded")).turnsInFlight === 1);
    const refused = await Promise.all(
      [1, 2, 3, 4].map((index) => chat(running.url, "crowded", `me ${index}`)),
    );
    expect(refused.map((reply) => reply.status)).toEqual([503, 503, 503, 503]);
    expect((await busy).status).toBe(200);
    expect((await chat(running.url, "calm", "hello")).status).toBe(200);

    const text = await runCli(["doctor"], running.home.env);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /^FAIL agent "crowded" answered 503 to 4 of 5 turns in the last 15 min, and threadBound is off \(it runs on the gateway's main thread/m,
    );
    expect(text.stdout).toContain(
      "fix: turn threadBound on for it: openclaw config set agents.crowded.threadBound true",
    );
    expect(text.stdout).not.toMatch(/agent "calm"/);

    const { code, checks } = await doctorJson(running.home.env);
    expect(code).toBe(1);
    expect(failedIds(checks)).toEqual(["agents-thread-bound"]);
    const finding = findCheck(checks, "agents-thread-bound", "crowded");
    expect(finding.status).toBe("fail");
    expect(finding.details?.join("\n")).toMatch(/limits\.maxQueue \(0\)/);

    // The suggested command is the fix: the agent moves to a thread of its own and doctor is content.
    const applied = await runCli(["config", "set", "agents.crowded.threadBound", "true"], running.home.env);
    expect(applied.code).toBe(0);
    await waitFor(async () => (await agentStatus(running.url, "crowded")).placement === "thread", 15_000);
    const after = await doctorJson(running.home.env);
    expect(after.code).toBe(0);
    expect(findCheck(after.checks, "agents-thread-bound").status).toBe("ok");
  }, 60_000);
});

describe("seed checklist 1, pooled agents: restarting while threadBound is off", () => {
  const running = useGateway({
    agents: {
      defaults: { pool: { size: 1 }, limits: { watchdogMs: 1000 } },
      flaky: { plugins: [plugin("faults/busy-loop.mjs")] },
      bystander: {},
    },
  });

  it("names the pool's restarts, the agent whose turns failed and `threadBound: true` for it", async () => {
    for (let crash = 1; crash <= 2; crash++) {
      const fault = await chat(running.url, "flaky", "/tool spin_forever {}", 20_000);
      expect(fault.status).toBe(503);
      await waitFor(async () => {
        const response = await fetch(`${running.url}/__openclaw__/agents`, {
          headers: authHeaders(running.url),
        });
        const { pool } = (await response.json()) as {
          pool: { threads: { state: string; restarts: number }[] };
        };
        return pool.threads.every((thread) => thread.state === "ready" && thread.restarts === crash);
      }, 20_000);
    }
    const { code, checks } = await doctorJson(running.home.env);
    expect(code).toBe(1);
    const finding = findCheck(checks, "agents-pool-restarts");
    expect(finding.status).toBe("fail");
    expect(finding.summary).toMatch(
      /worker pool's threads restarted 2 times in the last 15 min \(last: .*event loop was blocked/,
    );
    expect(finding.summary).toContain("flaky (2)");
    expect(finding.fix).toContain("openclaw config set agents.flaky.threadBound true");
    expect((await chat(running.url, "bystander", "still here")).status).toBe(200);
  }, 90_000);
});

describe("seed checklist 2: the key is compromised → check if openclaw.json is hardcoded", () => {
  const KEY = "sk-ant-api03-DoctorTestKey0123456789abcdefghijklmnopqrstuvwx";

  it("names the file, line and path of a hardcoded key and says to move it into externalSecrets", async () => {
    const home = await tempHome(
      [
        "{",
        '  gateway: { auth: { mode: "none" } },',
        "  models: {",
        "    providers: {",
        `      anthropic: { apiKey: "${KEY}" },`,
        "    },",
        "  },",
        "}",
      ].join("\n"),
    );
    try {
      const text = await runCli(["doctor"], home.env);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/^FAIL openclaw\.json hardcodes 1 credential in plaintext/m);
      expect(text.stdout).toContain(`${home.configPath}:5 models.providers.anthropic.apiKey: anthropic-key`);
      expect(text.stdout).toMatch(
        /fix: move each into externalSecrets, e\.g\. "externalSecrets": \{ "anthropic-api-key": \{ "source": "file"/,
      );
      expect(text.stdout).toContain('{ "$secret": "anthropic-api-key" }');
      expect(text.stdout).not.toContain(KEY);

      const { code, checks } = await doctorJson(home.env);
      expect(code).toBe(1);
      expect(findCheck(checks, "plaintext-config").status).toBe("fail");
      expect(JSON.stringify(checks)).not.toContain(KEY);
    } finally {
      await home.cleanup();
    }
  });

  it("still finds the key when production mode makes the config invalid, with the config's own line", async () => {
    const home = await tempHome({
      gateway: { mode: "production", auth: { mode: "none" } },
      models: { providers: { openai: { apiKey: "sk-proj-DoctorTestKey0123456789abcdefghijklmnop" } } },
    });
    try {
      const { code, checks } = await doctorJson(home.env);
      expect(code).toBe(1);
      const config = findCheck(checks, "config");
      expect(config.status).toBe("fail");
      expect(config.details?.join("\n")).toMatch(
        /openclaw\.json:\d+: models\.providers\.openai\.apiKey: plaintext credential refused/,
      );
      expect(findCheck(checks, "plaintext-config").details?.[0]).toContain("models.providers.openai.apiKey");
    } finally {
      await home.cleanup();
    }
  });
});

describe("seed checklist 3: canvas not accessible → check the X-Forwarded-For header", () => {
  it("names trusted-proxy mode without trustedProxies, which keeps the gateway from starting", async () => {
    const home = await tempHome({ gateway: { auth: { mode: "trusted-proxy" } } });
    try {
      await expect(startGateway(home)).rejects.toThrow(/trustedProxies is empty/);
      const text = await runCli(["doctor"], home.env);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(
        /^FAIL gateway\.auth\.mode is "trusted-proxy" but gateway\.trustedProxies is empty: the gateway refuses to start, so the canvas/m,
      );
      expect(text.stdout).toContain(
        'fix: list your reverse proxy\'s address (IP or CIDR): "gateway": { "trustedProxies"',
      );
      const { checks } = await doctorJson(home.env);
      expect(failedIds(checks)).toEqual(["trusted-proxy-config"]);
    } finally {
      await home.cleanup();
    }
  }, 30_000);

  describe("a trusted proxy that sends no X-Forwarded-For", () => {
    const running = useGateway({
      gateway: {
        trustedProxies: ["127.0.0.1"],
        auth: { mode: "trusted-proxy", trustedProxy: { allowLoopback: true } },
      },
    });

    it("counts the refusals and names the header and the proxy setting that fixes it", async () => {
      // The "proxy" is this test, on loopback: with the forwarded headers a request passes...
      const through = await fetch(`${running.url}/v1/models`, {
        headers: { "x-forwarded-for": "192.168.1.100", "x-forwarded-user": "alice" },
      });
      expect(through.status).toBe(200);
      const clean = await doctorJson(running.home.env);
      expect(findCheck(clean.checks, "trusted-proxy-forwarded-for").status).toBe("ok");

      // ...and without X-Forwarded-For the canvas (and everything else) is refused.
      for (const path of ["/__openclaw__/canvas/snapshot", "/__openclaw__/canvas/snapshot", "/v1/models"]) {
        const refused = await fetch(`${running.url}${path}`, { headers: { "x-forwarded-user": "alice" } });
        expect(refused.status).toBe(401);
        expect(JSON.stringify(await refused.json())).toContain("no X-Forwarded-For header");
      }
      const status = (await (
        await fetch(`${running.url}/__openclaw__/status`, { headers: authHeaders(running.url) })
      ).json()) as { auth: { mode: string; refusals: Record<string, { count: number }> } };
      expect(status.auth.mode).toBe("trusted-proxy");
      expect(status.auth.refusals.missing_forwarded_for?.count).toBe(3);

      const text = await runCli(["doctor"], running.home.env);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(
        /^FAIL trusted proxy: 3 requests came from a trusted proxy without an X-Forwarded-For header and were refused \(401\): the canvas and every other route are unreachable through it/m,
      );
      expect(text.stdout).toContain(
        "fix: make the proxy send X-Forwarded-For on every request, e.g. nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
      );
      const { code, checks } = await doctorJson(running.home.env);
      expect(code).toBe(1);
      expect(failedIds(checks)).toEqual(["trusted-proxy-forwarded-for"]);
      expect(findCheck(checks, "trusted-proxy-forwarded-for").subject).toBe("missing_forwarded_for");
    }, 30_000);
  });
});

describe("seed checklist 4: memory loss → check the Qdrant sync", () => {
  let embeddings: { server: Server; baseUrl: string };
  beforeAll(async () => {
    embeddings = await startEmbeddings();
  });
  afterAll(async () => {
    await new Promise((resolve) => embeddings.server.close(resolve));
  });

  it("names the agent whose memories are stuck in the outbox and the Qdrant URL to check", async () => {
    const qdrantUrl = `http://127.0.0.1:${await closedPort()}`;
    const home = await tempHome({
      agents: { main: {} },
      memory: {
        embeddings: { model: "fake-embed", baseUrl: embeddings.baseUrl },
        qdrant: { url: qdrantUrl, collection: "doctor-memories" },
      },
    });
    const gateway = await startGateway(home);
    try {
      const stored = await chat(gateway.url, "main", '/tool memory_store {"text":"the launch code is blue"}');
      expect(stored.text).toMatch(/^Tool memory_store returned/);
      await waitFor(async () => {
        const { stdout } = await runCli(["memory", "status", "--json"], home.env);
        const row = (JSON.parse(stdout) as { agents: { outboxDepth: number; syncState: string }[] })
          .agents[0];
        return row && row.outboxDepth > 0 && row.syncState === "backing-off";
      }, 20_000);

      const text = await runCli(["doctor"], home.env);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(
        /^FAIL memory sync of agent "main" to Qdrant is failing: \d+ memor(y|ies) not in Qdrant, retrying; last error: /m,
      );
      expect(text.stdout).toContain(
        `fix: check that Qdrant answers at ${qdrantUrl} (curl ${qdrantUrl}/collections)`,
      );
      const { code, checks } = await doctorJson(home.env);
      expect(code).toBe(1);
      expect(failedIds(checks)).toEqual(["memory-sync"]);
      expect(findCheck(checks, "memory-sync", "main").status).toBe("fail");
    } finally {
      await gateway.stop();
      await home.cleanup();
    }
  }, 60_000);
});

describe("doctor's other checks, each against the real situation", () => {
  it("fails a non-loopback bind with a weak password", async () => {
    const home = await tempHome({
      externalSecrets: { "gateway-password": { source: "env", key: "OPENCLAW_TEST_WEAK_PASSWORD" } },
      gateway: { host: "0.0.0.0", auth: { mode: "password", password: { $secret: "gateway-password" } } },
    });
    home.env.OPENCLAW_TEST_WEAK_PASSWORD = "hunter2";
    try {
      const { code, checks } = await doctorJson(home.env);
      expect(code).toBe(1);
      const weak = checks.filter((check) => check.id === "bind-exposure");
      expect(weak.map((check) => check.status)).toEqual(["fail", "warn"]);
      expect(weak[0]?.summary).toContain(
        "gateway listens on 0.0.0.0 (every interface) and its password is weak",
      );
      expect(JSON.stringify(checks)).not.toContain("hunter2");
    } finally {
      await home.cleanup();
    }
  });

  it("fails when an agent requires a Docker sandbox and Docker is unreachable", async () => {
    const home = await tempHome({
      agents: { boxed: { sandbox: { docker: { enabled: true } } } },
    });
    home.env.DOCKER_HOST = "unix:///nonexistent/docker.sock";
    try {
      const text = await runCli(["doctor"], home.env);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(
        /^FAIL agents boxed require a Docker sandbox \(sandbox\.docker\.enabled\) but the Docker engine is not reachable/m,
      );
      expect(text.stdout).toContain("fix: start Docker (systemctl start docker, or dockerd)");
    } finally {
      await home.cleanup();
    }
  });

  it("fails an expired TLS certificate", async () => {
    const home = await tempHome();
    const expired = generateSelfSignedCertificate({
      commonName: "doctor-test",
      altNames: ["localhost"],
      days: 30,
      now: new Date(Date.now() - 60 * 24 * 60 * 60_000),
    });
    await writeFile(join(home.dir, "cert.pem"), expired.certPem);
    await writeFile(join(home.dir, "key.pem"), expired.keyPem, { mode: 0o600 });
    await writeFile(
      home.configPath,
      JSON.stringify({
        gateway: { auth: { mode: "none" }, tls: { enabled: true, certPath: "cert.pem", keyPath: "key.pem" } },
      }),
    );
    try {
      const { code, checks } = await doctorJson(home.env);
      expect(code).toBe(1);
      const tls = findCheck(checks, "tls-certificate");
      expect(tls.status).toBe("fail");
      expect(tls.summary).toMatch(/TLS certificate .*cert\.pem expired on/);
    } finally {
      await home.cleanup();
    }
  });
});

describe("doctor --fix", () => {
  it("makes a 0644 secret file 0600, says so, and checks again", async () => {
    const home = await tempHome({
      externalSecrets: { "provider-key": { source: "file", path: "secrets/provider.key" } },
      gateway: { auth: { mode: "none" } },
    });
    const secretPath = join(home.dir, "secrets", "provider.key");
    await mkdir(join(home.dir, "secrets"));
    await writeFile(secretPath, "not-a-real-key-but-long-enough\n");
    await chmod(secretPath, 0o644);
    await mkdir(home.stateDir, { mode: 0o700 });
    try {
      const before = await doctorJson(home.env);
      expect(before.code).toBe(1);
      const loose = findCheck(before.checks, "secret-file-permissions", secretPath);
      expect(loose).toMatchObject({
        status: "fail",
        fix: `chmod 600 ${secretPath}`,
        fixable: `chmod 600 ${secretPath}`,
      });
      expect(loose.summary).toBe(
        `secret "provider-key" ${secretPath} has mode 0644: other users can read it`,
      );

      const fixed = await runCli(["doctor", "--fix"], home.env);
      expect(fixed.stdout).toContain(`fixed: chmod 600 ${secretPath}`);
      expect(await mode(secretPath)).toBe(0o600);
      expect(fixed.stdout).toMatch(/^ok {3}secret files: /m);
      expect(fixed.stdout).toMatch(/^ok {3}externalSecrets: 1 secret declared, all readable/m);
      expect(fixed.code).toBe(0);
    } finally {
      await home.cleanup();
    }
  });

  it("creates a missing state dir and gateway token, which the gateway then uses", async () => {
    const home = await tempHome({ gateway: { auth: { mode: "token" } } });
    try {
      const before = await doctorJson(home.env);
      expect(findCheck(before.checks, "state-dir").fixable).toBe(`created ${home.stateDir} (mode 0700)`);
      expect(findCheck(before.checks, "gateway-token").status).toBe("warn");

      const result = await runCli(["doctor", "--fix", "--json"], home.env);
      const { fixed, checks } = JSON.parse(result.stdout) as {
        fixed: { action: string; error?: string }[];
        checks: JsonDiagnostic[];
      };
      expect(fixed.map((outcome) => outcome.action)).toEqual([
        `created ${home.stateDir} (mode 0700)`,
        `generated a gateway token in ${join(home.stateDir, "gateway-token")} (mode 0600)`,
      ]);
      expect(await mode(home.stateDir)).toBe(0o700);
      expect(await mode(join(home.stateDir, "gateway-token"))).toBe(0o600);
      expect(findCheck(checks, "gateway-token").status).toBe("ok");

      const printed = await runCli(["gateway", "token"], home.env);
      const token = printed.stdout.trim().split(/\s+/).at(-1) ?? "";
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const gateway = await startGateway(home);
      try {
        const withToken = await fetch(`${gateway.url}/v1/models`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(withToken.status).toBe(200);
        const without = await fetch(`${gateway.url}/v1/models`);
        expect(without.status).toBe(401);
      } finally {
        await gateway.stop();
      }
    } finally {
      await home.cleanup();
    }
  }, 40_000);
});
