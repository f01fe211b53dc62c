import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigSchema, resolveAgentConfigs } from "../config/index.js";
import { hiddenHostPaths } from "./hidden-host-paths.js";
import { resolveHostExec } from "./runtime-settings.js";

let base: string;
beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), "openclaw-hidden-host-")));
  await mkdir(join(base, "vault"));
  await writeFile(join(base, "vault", "real.key"), "k");
  await mkdir(join(base, "etc"));
  await symlink(join(base, "vault", "real.key"), join(base, "etc", "linked.key"));
});
afterAll(() => rm(base, { recursive: true, force: true }));

function agentsOf(input: unknown) {
  const config = ConfigSchema.parse(input);
  return { config, agents: resolveAgentConfigs(config) };
}

describe("hiddenHostPaths", () => {
  it("hides the state dir, the config, file secrets with their directories and targets, HOME and extra paths", () => {
    const { config, agents } = agentsOf({
      externalSecrets: {
        linked: { source: "file", path: "etc/linked.key" },
        system: { source: "file", path: "/etc/gateway.key" },
        fromEnv: { source: "env", key: "X" },
      },
      gateway: { tls: { enabled: true, certPath: "tls/cert.pem", keyPath: "tls/key.pem" } },
      agents: { main: { sandbox: { host: { hide: ["private", "/srv/extra"] } } } },
    });
    const hidden = hiddenHostPaths(agents[0]!, config, join(base, "openclaw.json"), join(base, "state"));
    expect(hidden).toEqual(
      expect.arrayContaining([
        join(base, "state"),
        base,
        join(base, "openclaw.json"),
        homedir(),
        join(base, "etc", "linked.key"),
        join(base, "etc"),
        join(base, "vault", "real.key"),
        join(base, "vault"),
        "/etc/gateway.key",
        join(base, "tls", "key.pem"),
        join(base, "tls"),
        "/etc/shadow",
        "/var/lib/docker",
        join(base, "private"),
        "/srv/extra",
      ]),
    );
    // A key directly in /etc is hidden as a file: hiding /etc would leave commands nothing to run with.
    expect(hidden).not.toContain("/etc");
    expect(new Set(hidden).size).toBe(hidden.length);
  });
});

describe("resolveHostExec", () => {
  it("confines by default, and keeps an explicit opt-out", () => {
    const { agents } = agentsOf({
      agents: {
        defaults: { sandbox: { host: { pidsLimit: 64 } } },
        plain: {},
        open: { sandbox: { host: { confinement: "unconfined", network: "host" } } },
      },
    });
    const [plain, open] = agents.map(resolveHostExec);
    expect(plain).toEqual({
      confinement: "bubblewrap",
      network: "none",
      pidsLimit: 64,
      cpuSeconds: 60,
      maxFileMb: 256,
      searchPath: process.env.PATH ?? "",
    });
    expect(open).toMatchObject({ confinement: "unconfined", network: "host", pidsLimit: 64 });
  });
});
