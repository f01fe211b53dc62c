import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { runCli, useGateway, waitFor } from "./harness.js";
import { type LoopbackRequest, loopbackRequest } from "./loopback-request.js";
import { rawRequest, sendRaw } from "./raw-http.js";

/**
 * Webhooks (`hooks.*`) against the built gateway: the hook token opens `POST /hooks/agent` and
 * `/hooks/wake` and nothing else, no gateway credential opens them, a retried delivery runs
 * once, and an oversized body is refused before it is parsed.
 */

const GATEWAY_TOKEN = "Gateway-token-for-hooks-0123456789abcdef";
const HOOK_TOKEN = "Hook-token-for-tests-0123456789abcdefghij";

const CONFIG = {
  externalSecrets: {
    "gateway-token": { source: "env", key: "OPENCLAW_TEST_GATEWAY_TOKEN" },
    "hooks-token": { source: "env", key: "OPENCLAW_TEST_HOOKS_TOKEN" },
  },
  gateway: {
    auth: { mode: "token", token: { $secret: "gateway-token" }, rateLimit: { maxAttempts: 10_000 } },
  },
  agents: { main: { model: "dev/echo" }, other: { model: "dev/echo" } },
  hooks: { enabled: true, token: { $secret: "hooks-token" }, allowedAgentIds: ["main"] },
};

/** A hook delivery (POST unless told) from a chosen loopback address. */
const send = (port: number, options: Omit<LoopbackRequest, "method"> & { method?: string }) =>
  loopbackRequest(port, { method: "POST", ...options });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("webhooks (hooks.*)", () => {
  const running = useGateway(CONFIG, (home) => {
    home.env.OPENCLAW_TEST_GATEWAY_TOKEN = GATEWAY_TOKEN;
    home.env.OPENCLAW_TEST_HOOKS_TOKEN = HOOK_TOKEN;
  });
  const port = () => running.gateway.port;
  const hook = (path: string, body: unknown, headers: Record<string, string> = bearer(HOOK_TOKEN)) =>
    send(port(), {
      path,
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  const session = async (key: string) => {
    const reply = await send(port(), {
      method: "GET",
      path: `/__openclaw__/sessions/${encodeURIComponent(key)}`,
      headers: bearer(GATEWAY_TOKEN),
    });
    return reply.status === 200
      ? (reply.body as { entries?: { role?: string; content?: unknown }[] })
      : undefined;
  };
  const hookSessions = async () => {
    const reply = await send(port(), {
      method: "GET",
      path: "/__openclaw__/sessions",
      headers: bearer(GATEWAY_TOKEN),
    });
    expect(reply.status).toBe(200);
    return (reply.body.sessions as { key: string; messageCount: number }[]).filter((entry) =>
      entry.key.startsWith("agent:main:hook:"),
    );
  };

  it("answers 202 with the run id at once, and the turn lands in the session", async () => {
    const reply = await hook("/hooks/agent", {
      message: "the nightly import finished",
      name: "CI",
      deliver: false,
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    expect(reply.headers["x-openclaw-access"]).toBe("hook");
    expect(reply.body).toMatchObject({ ok: true, runId: expect.any(String), sessionKey: expect.any(String) });
    const transcript = await waitFor(async () => {
      const found = await session(reply.body.sessionKey);
      return found && JSON.stringify(found).includes("You said") ? found : undefined;
    });
    const text = JSON.stringify(transcript);
    expect(text).toContain("the nightly import finished");
    expect(text).toContain('Incoming webhook \\"CI\\"');
  });

  it("accepts the x-openclaw-token spelling", async () => {
    const reply = await hook(
      "/hooks/agent",
      { message: "via x-openclaw-token" },
      { "x-openclaw-token": HOOK_TOKEN },
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
  });

  it("parses JSON whatever the Content-Type says, as OpenClaw's generic hooks do", async () => {
    const spellings: Record<string, string>[] = [{}, { "content-type": "text/plain" }];
    for (const headers of spellings) {
      const reply = await send(port(), {
        path: "/hooks/agent",
        headers: { ...bearer(HOOK_TOKEN), ...headers },
        body: '{"message":"no json content type"}',
      });
      expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    }
  });

  it("refuses a missing or wrong hook token with 401", async () => {
    const attempts: Record<string, string>[] = [
      {},
      bearer("wrong"),
      bearer(`${HOOK_TOKEN}x`),
      { "x-openclaw-token": HOOK_TOKEN.slice(1) },
      { authorization: `Basic ${Buffer.from(`u:${HOOK_TOKEN}`).toString("base64")}` },
    ];
    for (const headers of attempts) {
      for (const path of ["/hooks/agent", "/hooks/wake"]) {
        const reply = await hook(path, { message: "m", text: "t" }, headers);
        expect(reply.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(reply.headers["x-openclaw-access"]).toBeUndefined();
      }
    }
  });

  it("refuses the gateway token and the local CLI token on /hooks/*", async () => {
    const gatewayCredentials = [
      bearer(GATEWAY_TOKEN),
      { "x-openclaw-token": GATEWAY_TOKEN },
      bearer(running.gateway.token),
      { "x-openclaw-token": running.gateway.token },
    ];
    for (const headers of gatewayCredentials) {
      for (const path of ["/hooks/agent", "/hooks/wake"]) {
        const reply = await hook(path, { message: "m", text: "t" }, headers);
        expect(reply.status, `${path} ${Object.keys(headers)[0]}`).toBe(401);
      }
    }
  });

  it("refuses the hook token on every other route of the route table", async () => {
    const table = await send(port(), {
      method: "GET",
      path: "/__openclaw__/routes",
      headers: bearer(GATEWAY_TOKEN),
    });
    const routes = table.body.routes as { method: string; url: string; access: { kind: string } }[];
    expect(
      routes.filter((route) => route.access.kind === "hook").map((route) => `${route.method} ${route.url}`),
    ).toEqual(["POST /hooks/agent", "POST /hooks/wake"]);
    const failures: string[] = [];
    let sent = 0;
    for (const route of routes.filter((entry) => entry.access.kind !== "hook")) {
      const path = route.url.replace(/:[A-Za-z]+/g, "main").replace(/\*$/, "x");
      for (const credential of [bearer(HOOK_TOKEN), { "x-openclaw-token": HOOK_TOKEN }]) {
        const body = ["POST", "PUT", "PATCH"].includes(route.method) ? "{}" : undefined;
        const reply = await sendRaw(
          port(),
          rawRequest({
            method: route.method,
            target: path,
            headers: [
              ["Host", `127.0.0.1:${port()}`],
              ...Object.entries(credential),
              ...(body ? [["Content-Type", "application/json"] as [string, string]] : []),
            ],
            ...(body ? { body } : {}),
          }),
        );
        sent += 1;
        const admitted = reply.headers["x-openclaw-access"];
        const isPublic = route.access.kind === "public";
        if (
          isPublic
            ? admitted !== undefined && admitted !== "public"
            : admitted !== undefined || reply.status < 400
        )
          failures.push(
            `${route.method} ${path} with ${Object.keys(credential)[0]}: ${reply.status} ${admitted}`,
          );
      }
    }
    expect(sent).toBeGreaterThan(40);
    expect(failures).toEqual([]);
  }, 60_000);

  it("runs a retried delivery with the same Idempotency-Key once", async () => {
    const before = (await hookSessions()).length;
    const headers = { ...bearer(HOOK_TOKEN), "idempotency-key": "delivery-0001" };
    const first = await hook("/hooks/agent", { message: "retried event" }, headers);
    const second = await hook("/hooks/agent", { message: "retried event" }, headers);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.runId).toBe(first.body.runId);
    expect(second.body.sessionKey).toBe(first.body.sessionKey);
    await waitFor(async () => (await session(first.body.sessionKey))?.entries?.length === 2);
    // A third, later retry still runs nothing; the session keeps its one turn.
    const third = await hook("/hooks/agent", { message: "retried event" }, headers);
    expect(third.body.runId).toBe(first.body.runId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await session(first.body.sessionKey))?.entries).toHaveLength(2);
    expect((await hookSessions()).length).toBe(before + 1);
  });

  it("refuses a 300 KiB body with 413 before parsing it", async () => {
    const big = JSON.stringify({ message: "x".repeat(300 * 1024) });
    const reply = await hook("/hooks/agent", JSON.parse(big));
    expect(reply.status).toBe(413);
    expect(reply.body.error?.code).toBe("OC_ERR_BODY_TOO_LARGE");
    // Not JSON at all, and still 413: the size is judged before the parser runs.
    const garbage = await send(port(), {
      path: "/hooks/agent",
      headers: bearer(HOOK_TOKEN),
      body: "{".repeat(300 * 1024),
    });
    expect(garbage.status).toBe(413);
  });

  it("refuses an agent outside allowedAgentIds, an unknown agent and a token in the query with 400", async () => {
    expect((await hook("/hooks/agent", { message: "m", agentId: "other" })).status).toBe(400);
    expect((await hook("/hooks/agent", { message: "m", agentId: "ghost" })).status).toBe(400);
    expect((await hook("/hooks/agent", { name: "no message" })).status).toBe(400);
    expect((await hook(`/hooks/agent?token=${HOOK_TOKEN}`, { message: "m" })).status).toBe(400);
  });

  it("wakes the agent's main session with a system event", async () => {
    const reply = await hook("/hooks/wake", { text: "the sample import completed" });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toEqual({ ok: true, mode: "now", eventOutcome: "queued" });
    await waitFor(async () =>
      JSON.stringify(await session("agent:main:main")).includes("the sample import completed"),
    );
  });

  it("never writes the hook token to the log", () => {
    expect(running.gateway.output()).not.toContain(HOOK_TOKEN);
    expect(running.gateway.output()).toContain("hook agent run completed");
  });

  it("throttles failed hook authentication with 429 and Retry-After; the right token still passes", async () => {
    const statuses: number[] = [];
    let retryAfter: string | string[] | undefined;
    for (let attempt = 0; attempt < 30; attempt++) {
      const reply = await hook("/hooks/agent", { message: "m" }, bearer(`guess-${attempt}`));
      statuses.push(reply.status);
      if (reply.status === 429) retryAfter = reply.headers["retry-after"];
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await hook("/hooks/agent", { message: "after the lockout" })).status).toBe(202);
  });
});

describe("webhooks disabled", () => {
  const base = { gateway: { auth: { mode: "token", rateLimit: { maxAttempts: 10_000 } } } };
  const running = useGateway(base, (home) => {
    home.env.OPENCLAW_TEST_HOOKS_TOKEN = HOOK_TOKEN;
  });

  it("answers 404 on /hooks/*", async () => {
    for (const path of ["/hooks/agent", "/hooks/wake"]) {
      const reply = await send(running.gateway.port, {
        path,
        headers: { ...running.gateway.headers, "content-type": "application/json" },
        body: '{"message":"m","text":"t"}',
      });
      expect(reply.status, path).toBe(404);
    }
  });

  it("holds turning hooks on from the watched file until `openclaw config apply`", async () => {
    const held = () => running.gateway.output().split("config change not applied").length - 1;
    const before = held();
    await writeFile(
      running.home.configPath,
      JSON.stringify({
        ...base,
        externalSecrets: { "hooks-token": { source: "env", key: "OPENCLAW_TEST_HOOKS_TOKEN" } },
        hooks: { enabled: true, token: { $secret: "hooks-token" } },
      }),
    );
    await waitFor(() => held() > before);
    const agent = () =>
      send(running.gateway.port, {
        path: "/hooks/agent",
        headers: bearer(HOOK_TOKEN),
        body: '{"message":"after apply"}',
      });
    expect((await agent()).status).toBe(404);
    const applied = await runCli(["config", "apply"], running.home.env);
    expect(applied.code, applied.stderr).toBe(0);
    expect((await agent()).status).toBe(202);
  });
});
