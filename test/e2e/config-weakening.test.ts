import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, runCli, startGateway, type TempHome, tempHome, waitFor } from "./harness.js";

const TOKEN = "T0ken-for-config-weakening-0123456789";
const HELD = "config change not applied";

interface Status {
  agents: { id: string }[];
  config: {
    pending: { hash: string; weakening: { path: string; description: string }[]; since: string } | null;
  };
}

/** The config every version below starts from: token mode, its token from the environment. */
function configWith(changes: { auth?: Record<string, unknown>; metrics?: unknown; agents?: unknown }) {
  return JSON.stringify(
    {
      externalSecrets: { "gateway-token": { source: "env", key: "OPENCLAW_TEST_GATEWAY_TOKEN" } },
      gateway: { auth: changes.auth ?? { mode: "token", token: { $secret: "gateway-token" } } },
      ...(changes.metrics ? { metrics: changes.metrics } : {}),
      agents: changes.agents ?? { main: { model: "dev/echo" } },
    },
    null,
    2,
  );
}

// A file the gateway watches is not an operator: weakening edits wait for `openclaw config apply`.
describe("config reload: no silent weakening of the security boundary", () => {
  let home: TempHome;
  let gateway: RunningGateway;

  const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
  const heldCount = () => gateway.output().split(HELD).length - 1;
  const status = async (): Promise<Status> =>
    (await (
      await fetch(`${gateway.url}/__openclaw__/status`, { headers: gateway.headers })
    ).json()) as Status;
  const agentIds = async () => (await status()).agents.map((agent) => agent.id);
  const withoutToken = async (path: string) => (await fetch(`${gateway.url}${path}`)).status;
  /** Writes a version of the file and waits until the watcher has held it. */
  const writeHeld = async (text: string) => {
    const before = heldCount();
    await writeFile(home.configPath, text);
    await waitFor(() => heldCount() > before);
  };

  beforeAll(async () => {
    home = await tempHome();
    home.env.OPENCLAW_TEST_GATEWAY_TOKEN = TOKEN;
    await writeFile(home.configPath, configWith({}));
    gateway = await startGateway(home);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("starts in token mode with nothing pending", async () => {
    expect(await withoutToken("/__openclaw__/status")).toBe(401);
    expect(
      (await fetch(`${gateway.url}/__openclaw__/status`, { headers: { authorization: `Bearer ${TOKEN}` } }))
        .status,
    ).toBe(200);
    expect((await status()).config.pending).toBeNull();
  });

  it("hot-applies a change that does not weaken the boundary", async () => {
    await writeFile(
      home.configPath,
      configWith({ agents: { main: { model: "dev/echo", systemPrompt: "be brief" }, helper: {} } }),
    );
    await waitFor(async () => (await agentIds()).includes("helper"));
    expect((await status()).config.pending).toBeNull();
    expect(heldCount()).toBe(0);
  });

  it("holds metrics.public until `openclaw config apply`", async () => {
    const text = configWith({
      metrics: { public: true },
      agents: { main: { model: "dev/echo" }, helper: {} },
    });
    await writeHeld(text);
    expect(await withoutToken("/metrics")).toBe(401);
    const pending = (await status()).config.pending;
    expect(pending?.hash).toBe(sha256(text));
    expect(pending?.weakening.map((change) => change.path)).toEqual(["metrics.public"]);

    const applied = await runCli(["config", "apply"], home.env);
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`sha256 ${sha256(text)}`);
    expect(applied.stdout).toContain("metrics.public: GET /metrics is served without auth");
    expect(await withoutToken("/metrics")).toBe(200);
    expect(await withoutToken("/__openclaw__/status")).toBe(401);
    expect((await status()).config.pending).toBeNull();
  });

  it("holds auth mode none whole (agents too), logs why, and applies it on `openclaw config apply`", async () => {
    const text = configWith({
      auth: { mode: "none" },
      metrics: { public: true },
      agents: { main: { model: "dev/echo" }, helper: {}, third: {} },
    });
    await writeHeld(text);
    // Held whole: neither the mode nor the agent added with it is in force.
    expect(await withoutToken("/__openclaw__/status")).toBe(401);
    expect(await agentIds()).toEqual(["main", "helper"]);

    const warn = gateway
      .output()
      .split("\n")
      .filter((line) => line.includes(HELD))
      .at(-1);
    expect(warn).toBeDefined();
    const entry = JSON.parse(warn ?? "{}") as { level: number | string; msg: string };
    expect([40, "warn"]).toContain(entry.level);
    expect(entry.msg).toContain("gateway.auth.mode");
    expect(entry.msg).toContain("gateway.auth.token");
    expect(entry.msg).toContain("run `openclaw config apply` or restart the gateway to apply it");

    const pending = (await status()).config.pending;
    expect(pending).toMatchObject({ hash: sha256(text) });
    expect(pending?.weakening).toContainEqual({
      path: "gateway.auth.mode",
      description: "auth mode changed from token to none",
    });
    expect(Date.parse(pending?.since ?? "")).toBeGreaterThan(Date.now() - 60_000);

    const status_ = await runCli(["status"], home.env);
    expect(status_.stdout).toContain("gateway.auth.mode");
    expect(status_.stdout).toContain(`openclaw config apply --hash ${sha256(text)}`);

    const stale = await runCli(["config", "apply", "--hash", sha256("another version")], home.env);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("OC_ERR_CONFIG_CHANGED");
    expect(await withoutToken("/__openclaw__/status")).toBe(401);

    const applied = await runCli(["config", "apply", "--hash", sha256(text)], home.env);
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("gateway.auth.mode: auth mode changed from token to none");
    expect(applied.stdout).toContain("agents: added third");
    expect(await withoutToken("/__openclaw__/status")).toBe(200);
    expect(await agentIds()).toEqual(["main", "helper", "third"]);
    expect((await status()).config.pending).toBeNull();
  });

  it("exits non-zero with the gateway's error when the file is invalid, and keeps serving", async () => {
    await writeFile(home.configPath, `{ agents: { main: { modle: "dev/echo" } } }`);
    await waitFor(() => gateway.output().includes("config change rejected"));
    const applied = await runCli(["config", "apply"], home.env);
    expect(applied.code).toBe(2);
    expect(applied.stderr).toContain("OC_ERR_CONFIG_INVALID");
    expect(applied.stderr).toContain("modle");
    expect(await agentIds()).toEqual(["main", "helper", "third"]);
  });

  it("applies a held change on restart", async () => {
    // Any switch of mode is held, none → token included: it changes who may connect.
    await writeHeld(configWith({ agents: { main: { model: "dev/echo" } } }));
    expect(await withoutToken("/__openclaw__/status")).toBe(200);
    await gateway.stop();
    gateway = await startGateway(home);
    expect(await withoutToken("/__openclaw__/status")).toBe(401);
    expect((await status()).config.pending).toBeNull();
  });
});
