import { existsSync } from "node:fs";
import { readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import Dockerode from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX_IMAGE } from "../../src/sandbox/index.js";
import { agentStatus, chat, execThroughAgent } from "./chat-http.js";
import { runCli, type TempHome, tempHome, useGateway } from "./harness.js";

const SEED_BIND = "/root/.openclaw/workspace:/root/.openclaw/workspace";

const exec = (url: string, agentId: string, command: string, timeoutMs?: number) =>
  execThroughAgent(url, agentId, command, timeoutMs ? { timeoutMs } : {});

describe("Docker sandbox", () => {
  let home: TempHome;

  beforeAll(async () => {
    home = await tempHome();
    const docker = new Dockerode();
    const present = await docker
      .getImage(DEFAULT_SANDBOX_IMAGE)
      .inspect()
      .then(() => true)
      .catch(() => false);
    if (!present) {
      const built = await runCli(["sandbox", "build"], home.env, 300_000);
      expect(built.code, built.stderr).toBe(0);
      console.log(`[sandbox] ${built.stdout.trim()}`);
    }
  }, 320_000);
  afterAll(() => home?.cleanup());

  describe("an agent's exec", () => {
    const running = useGateway(
      {
        // The seed's literal form: a dotted top-level key for agents.defaults.sandbox.
        "agents.defaults.sandbox": { docker: { enabled: true, binds: [SEED_BIND] } },
        agents: {
          boxed: { sandbox: { docker: { enabled: true, binds: [SEED_BIND], execTimeoutMs: 20_000 } } },
        },
      },
      (gatewayHome) => {
        gatewayHome.env.OPENCLAW_TEST_CANARY = "canary-must-not-reach-sandboxes";
      },
    );
    afterAll(async () => {
      await runCli(["sandbox", "prune", "--all"], running.home.env);
    });

    it("runs in the container as a non-root user, in the workspace", async () => {
      expect(await agentStatus(running.url, "boxed")).toMatchObject({ state: "ready" });
      const result = await exec(running.url, "boxed", "id -u; pwd; cat /etc/os-release");
      expect(result).toMatchObject({ exitCode: 0, sandboxed: true });
      const [uid, cwd] = result.stdout.split("\n");
      expect(uid).toBe("1000");
      expect(cwd).toBe("/workspace");
      expect(result.stdout).toContain("OpenClaw");
    });

    it("has no network: only the loopback interface", async () => {
      const result = await exec(
        running.url,
        "boxed",
        "ls /sys/class/net; wget -q -T 2 -O - http://10.0.0.1/ 2>&1; echo rc=$?",
      );
      expect(result.stdout.split("\n")[0]).toBe("lo");
      expect(result.stdout).not.toContain("rc=0");
    });

    it("can write the workspace and /tmp, and nothing else", async () => {
      const result = await exec(
        running.url,
        "boxed",
        "echo hi > /workspace/made-in-box.txt && echo ok1; echo x > /tmp/t && echo ok2; " +
          "touch /etc/x 2>&1 || echo etc-refused; touch /x 2>&1 || echo root-refused; touch /bin/x 2>&1 || echo bin-refused",
      );
      expect(result.stdout).toContain("ok1");
      expect(result.stdout).toContain("ok2");
      expect(result.stdout).toContain("etc-refused");
      expect(result.stdout).toContain("root-refused");
      expect(result.stdout).toContain("bin-refused");
      const onHost = join(running.home.stateDir, "workspace", "boxed", "made-in-box.txt");
      expect(await readFile(onHost, "utf8")).toBe("hi\n");
    });

    it("cannot see the gateway's environment", async () => {
      const result = await exec(running.url, "boxed", "env");
      expect(result.stdout).not.toContain("OPENCLAW_TEST_CANARY");
      expect(result.stdout).not.toContain("canary-must-not-reach-sandboxes");
      expect(result.stdout).not.toContain("OPENCLAW_STATE_DIR");
    });

    it("is killed at its timeout", async () => {
      const started = Date.now();
      const result = await exec(running.url, "boxed", "sleep 30; echo never", 1000);
      expect(result.timedOut).toBe(true);
      expect(result.stdout).not.toContain("never");
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it("sees the seed's bind", async () => {
      const marker = `seed-${Date.now()}`;
      await writeFile(join("/root/.openclaw/workspace", `${marker}.txt`), "from the host\n");
      try {
        const result = await exec(running.url, "boxed", `cat /root/.openclaw/workspace/${marker}.txt`);
        expect(result.stdout).toBe("from the host\n");
      } finally {
        await rm(join("/root/.openclaw/workspace", `${marker}.txt`), { force: true });
      }
    });

    it("is listed by `openclaw sandbox list`", async () => {
      const listed = await runCli(["sandbox", "list", "--json"], running.home.env);
      expect(JSON.parse(listed.stdout)).toEqual(
        expect.arrayContaining([expect.objectContaining({ agent: "boxed", state: "running" })]),
      );
    });
  });

  it("refuses a Docker socket bind at config load, naming the bind", async () => {
    await writeFile(
      home.configPath,
      JSON.stringify({
        agents: {
          a: { sandbox: { docker: { enabled: true, binds: ["/var/run/docker.sock:/var/run/docker.sock"] } } },
        },
      }),
    );
    const result = await runCli(["config", "validate"], home.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bind "/var/run/docker.sock:/var/run/docker.sock" refused');
  });

  describe("without a reachable engine", () => {
    const running = useGateway(
      { agents: { boxed: { sandbox: { docker: { enabled: true } } }, plain: {} } },
      (gatewayHome) => {
        gatewayHome.env.DOCKER_HOST = "unix:///tmp/openclaw-no-such-docker.sock";
      },
    );

    it("degrades the sandboxed agent with the reason and never runs its tools on the host", async () => {
      const boxed = await agentStatus(running.url, "boxed");
      expect(boxed.state).toBe("degraded");
      expect(boxed.reason).toContain("Docker engine is not reachable");
      expect((await chat(running.url, "boxed", '/tool exec {"command":"id"}')).status).toBe(503);
      expect((await chat(running.url, "plain", "hi")).text).toBe("You said: hi");
    });
  });

  describe("host mode (no sandbox)", () => {
    const running = useGateway({ agents: { local: {} } });

    it("refuses ../ and symlink escapes", async () => {
      const workspace = join(running.home.stateDir, "workspace", "local");
      await symlink("/etc", join(workspace, "etc-link"));
      for (const input of [
        { path: "../../gateway-token" },
        { path: "etc-link/hostname" },
        { path: "/etc/hostname" },
      ]) {
        const reply = await chat(running.url, "local", `/tool read ${JSON.stringify(input)}`);
        expect(reply.text, JSON.stringify(input)).toMatch(/^Tool read failed: /);
      }
      const write = await chat(running.url, "local", '/tool write {"path":"etc-link/evil","content":"x"}');
      expect(write.text).toMatch(/^Tool write failed: /);
      expect(existsSync("/etc/evil")).toBe(false);
      const ok = await chat(running.url, "local", '/tool write {"path":"notes/a.txt","content":"hello"}');
      expect(ok.text).toMatch(/^Tool write returned: /);
      expect(await readFile(join(workspace, "notes/a.txt"), "utf8")).toBe("hello");
    });
  });
});
