import { chown } from "node:fs/promises";
import { PassThrough } from "node:stream";
import type Dockerode from "dockerode";
import type { SandboxExecRequest, SandboxHost } from "../agents/index.js";
import type { DockerSandboxConfig } from "../config/index.js";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import type { CommandResult } from "../tools/index.js";
import { checkBinds } from "./bind-check.js";
import { dockerUnreachable, isDockerConnectionError } from "./docker-unreachable.js";
import {
  CONTAINER_WORKSPACE,
  resolveSandboxSettings,
  type SandboxSettings,
  settingsFingerprint,
} from "./sandbox-settings.js";

export const LABEL_SANDBOX = "org.openclaw.sandbox";
export const LABEL_AGENT = "org.openclaw.agent";
export const LABEL_SESSION = "org.openclaw.session";
export const LABEL_FINGERPRINT = "org.openclaw.fingerprint";

/** Grace beyond a command's own timeout before the gateway stops waiting for it. */
const EXEC_GRACE_MS = 5_000;

interface PreparedSandbox {
  settings: SandboxSettings;
  workspaceRoot: string;
  fingerprint: string;
  env: string[];
}

/** A readable name from an agent (and session) id, within Docker's name rules. */
export function containerName(agentId: string, sessionKey?: string): string {
  const safe = (value: string) => value.replace(/[^a-zA-Z0-9_.-]/g, "-").slice(0, 60);
  return sessionKey ? `openclaw-${safe(agentId)}-${safe(sessionKey)}` : `openclaw-${safe(agentId)}`;
}

/** Keeps the first `cap` bytes of a stream and counts the rest. */
class CappedBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly cap: number) {}
  push(chunk: Buffer): void {
    const room = this.cap - this.size;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept.length < chunk.length) this.truncated = true;
    this.chunks.push(kept);
    this.size += kept.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/**
 * The agents' Docker sandboxes: one long-lived, labelled container per agent (or per session),
 * created through the Engine API with no network, a read-only root, a tmpfs /tmp, every
 * capability dropped and no new privileges, reused across turns, replaced when its settings
 * change, removed with its agent. Only the gateway talks to the engine: agents ask it to run a
 * command, they never see the socket.
 */
export class SandboxManager implements SandboxHost {
  private readonly prepared = new Map<string, PreparedSandbox>();
  private readonly creating = new Map<string, Promise<Dockerode.Container>>();

  constructor(
    private readonly docker: Dockerode,
    private readonly options: {
      stateDir: string;
      logger: Logger;
      /** Values of secrets that sandbox.docker.env may name (allowSecretEnv). */
      secretValue: (name: string) => string | undefined;
    },
  ) {}

  /** Whether the engine answers; the error says how to fix it when it does not. */
  async ping(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (error) {
      throw isDockerConnectionError(error)
        ? dockerUnreachable(error)
        : new OpenClawError(
            "OC_ERR_SANDBOX_UNAVAILABLE",
            `the Docker engine is not reachable: ${(error as Error).message}`,
            { hint: "check that DOCKER_HOST names a Docker engine; `openclaw sandbox doctor` tells more" },
          );
    }
  }

  async imageExists(image: string): Promise<boolean> {
    try {
      await this.docker.getImage(image).inspect();
      return true;
    } catch {
      return false;
    }
  }

  async prepare(
    agentId: string,
    docker: DockerSandboxConfig | undefined,
    workspaceRoot: string,
  ): Promise<void> {
    const settings = resolveSandboxSettings(docker, this.options.stateDir);
    await checkBinds(agentId, settings.binds, {
      stateDir: this.options.stateDir,
      allowedRoots: settings.allowedRoots,
    });
    await this.ping();
    if (!(await this.imageExists(settings.image))) {
      throw new OpenClawError(
        "OC_ERR_SANDBOX_UNAVAILABLE",
        `the sandbox image ${settings.image} is not present`,
        {
          hint: "build it with `openclaw sandbox build` (no registry needed), or set sandbox.docker.image",
        },
      );
    }
    const env: string[] = [];
    for (const [name, value] of Object.entries(settings.env)) {
      const resolved = typeof value === "string" ? value : this.options.secretValue(value.$secret);
      if (resolved === undefined) {
        throw new OpenClawError(
          "OC_ERR_SANDBOX_CONFIG",
          `sandbox env ${name} names secret "${(value as { $secret: string }).$secret}", which has no value`,
          {
            hint: "see `openclaw secrets list`",
          },
        );
      }
      env.push(`${name}=${resolved}`);
    }
    // The container's user owns the workspace it writes to.
    if (process.getuid?.() === 0) {
      const [uid, gid] = settings.user.split(":").map(Number);
      if (Number.isInteger(uid))
        await chown(workspaceRoot, uid as number, Number.isInteger(gid) ? (gid as number) : (uid as number));
    }
    const fingerprint = settingsFingerprint(settings, workspaceRoot);
    this.prepared.set(agentId, { settings, workspaceRoot, fingerprint, env });
    if (settings.scope === "agent") await this.container(agentId, undefined);
  }

  async exec(request: SandboxExecRequest): Promise<CommandResult> {
    const prepared = this.prepared.get(request.agentId);
    if (!prepared) {
      throw new OpenClawError(
        "OC_ERR_SANDBOX_UNAVAILABLE",
        `agent "${request.agentId}" has no sandbox prepared`,
      );
    }
    const container = await this.container(
      request.agentId,
      prepared.settings.scope === "session" ? request.sessionKey : undefined,
    );
    const startedAt = performance.now();
    const seconds = Math.max(1, Math.ceil(request.timeoutMs / 1000));
    // busybox/coreutils `timeout` kills the command inside the container at its deadline.
    const exec = await container.exec({
      Cmd: ["timeout", "-s", "KILL", String(seconds), "/bin/sh", "-c", request.command],
      AttachStdout: true,
      AttachStderr: true,
      WorkingDir: CONTAINER_WORKSPACE,
      User: prepared.settings.user,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const stdout = new CappedBuffer(request.maxOutputBytes);
    const stderr = new CappedBuffer(request.maxOutputBytes);
    const out = new PassThrough();
    const err = new PassThrough();
    out.on("data", (chunk: Buffer) => stdout.push(chunk));
    err.on("data", (chunk: Buffer) => stderr.push(chunk));
    this.docker.modem.demuxStream(stream, out, err);
    let timedOut = false;
    await new Promise<void>((resolve) => {
      const backstop = setTimeout(() => {
        timedOut = true;
        stream.destroy();
        resolve();
      }, request.timeoutMs + EXEC_GRACE_MS);
      stream.on("end", () => {
        clearTimeout(backstop);
        resolve();
      });
      stream.on("error", () => {
        clearTimeout(backstop);
        resolve();
      });
    });
    const inspected = await exec.inspect();
    const exitCode = inspected.Running ? null : inspected.ExitCode;
    // 137 = killed by SIGKILL: the in-container timeout fired.
    if (exitCode === 137 && performance.now() - startedAt >= seconds * 1000 - 50) timedOut = true;
    return {
      exitCode: timedOut ? null : exitCode,
      stdout: stdout.text(),
      stderr: stderr.text(),
      timedOut,
      truncated: stdout.truncated || stderr.truncated,
      durationMs: Math.round(performance.now() - startedAt),
    };
  }

  async release(agentId: string): Promise<void> {
    this.prepared.delete(agentId);
    for (const info of await this.list({ agentId })) {
      await this.docker
        .getContainer(info.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
  }

  /** The gateway's sandbox containers (optionally one agent's). */
  list(filter: { agentId?: string } = {}): Promise<Dockerode.ContainerInfo[]> {
    const labels = [`${LABEL_SANDBOX}=1`, ...(filter.agentId ? [`${LABEL_AGENT}=${filter.agentId}`] : [])];
    return this.docker.listContainers({ all: true, filters: { label: labels } }).catch((error: unknown) => {
      throw isDockerConnectionError(error) ? dockerUnreachable(error) : error;
    });
  }

  /** Removes sandbox containers of agents not in `keep` (all of them without it). */
  async prune(keep: readonly string[] = []): Promise<string[]> {
    const removed: string[] = [];
    for (const info of await this.list()) {
      const agent = info.Labels[LABEL_AGENT] ?? "";
      if (keep.includes(agent)) continue;
      await this.docker.getContainer(info.Id).remove({ force: true });
      removed.push(info.Names[0]?.replace(/^\//, "") ?? info.Id);
    }
    return removed;
  }

  /** The running container for an agent (or session), created or replaced as needed. */
  private container(agentId: string, sessionKey: string | undefined): Promise<Dockerode.Container> {
    const key = `${agentId}\u0000${sessionKey ?? ""}`;
    const pending = this.creating.get(key);
    if (pending) return pending;
    const made = this.ensure(agentId, sessionKey).finally(() => this.creating.delete(key));
    this.creating.set(key, made);
    return made;
  }

  private async ensure(agentId: string, sessionKey: string | undefined): Promise<Dockerode.Container> {
    const prepared = this.prepared.get(agentId);
    if (!prepared)
      throw new OpenClawError("OC_ERR_SANDBOX_UNAVAILABLE", `agent "${agentId}" has no sandbox prepared`);
    const name = containerName(agentId, sessionKey);
    const existing = (await this.list({ agentId })).find((info) => info.Names.includes(`/${name}`));
    if (existing) {
      const container = this.docker.getContainer(existing.Id);
      if (existing.Labels[LABEL_FINGERPRINT] === prepared.fingerprint) {
        if (existing.State !== "running") await container.start();
        return container;
      }
      await container.remove({ force: true });
    }
    const { settings, workspaceRoot } = prepared;
    const container = await this.docker.createContainer({
      name,
      Image: settings.image,
      Cmd: ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done"],
      User: settings.user,
      WorkingDir: CONTAINER_WORKSPACE,
      Env: prepared.env,
      Labels: {
        [LABEL_SANDBOX]: "1",
        [LABEL_AGENT]: agentId,
        [LABEL_FINGERPRINT]: prepared.fingerprint,
        ...(sessionKey ? { [LABEL_SESSION]: sessionKey } : {}),
      },
      NetworkDisabled: settings.network === "none",
      HostConfig: {
        Binds: [
          `${workspaceRoot}:${CONTAINER_WORKSPACE}:rw`,
          ...settings.binds.map((bind) => `${bind.host}:${bind.container}:${bind.readOnly ? "ro" : "rw"}`),
        ],
        NetworkMode: settings.network,
        ReadonlyRootfs: settings.readOnlyRoot,
        Tmpfs: { "/tmp": "rw,nosuid,nodev,size=64m" },
        CapDrop: ["ALL"],
        SecurityOpt: ["no-new-privileges"],
        Memory: settings.memoryMb * 1024 * 1024,
        NanoCpus: Math.round(settings.cpus * 1e9),
        PidsLimit: settings.pidsLimit,
      },
    });
    await container.start();
    this.options.logger.info(
      { agent: agentId, session: sessionKey, container: name },
      "sandbox container started",
    );
    return container;
  }
}
