import type { SandboxExecRequest, SandboxHost } from "../agents/index.js";
import type { DockerSandboxConfig } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import type { SandboxManager } from "../sandbox/index.js";
import type { CommandResult } from "../tools/index.js";

/**
 * The sandbox host the supervisor gets. dockerode and the manager are loaded on the first
 * sandboxed agent only: a gateway without sandboxes never pays for them at start-up.
 */
export class LazySandbox implements SandboxHost {
  private manager: Promise<SandboxManager> | undefined;

  constructor(
    private readonly options: {
      stateDir: string;
      logger: Logger;
      secretValue: (name: string) => string | undefined;
    },
  ) {}

  get(): Promise<SandboxManager> {
    this.manager ??= (async () => {
      const [{ default: Dockerode }, { SandboxManager }] = await Promise.all([
        import("dockerode"),
        import("../sandbox/index.js"),
      ]);
      return new SandboxManager(new Dockerode(), this.options);
    })();
    return this.manager;
  }

  async prepare(
    agentId: string,
    docker: DockerSandboxConfig | undefined,
    workspaceRoot: string,
  ): Promise<void> {
    await (await this.get()).prepare(agentId, docker, workspaceRoot);
  }

  async exec(request: SandboxExecRequest): Promise<CommandResult> {
    return (await this.get()).exec(request);
  }

  async release(agentId: string): Promise<void> {
    if (this.manager) await (await this.manager).release(agentId);
  }
}
