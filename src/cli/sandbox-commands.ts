import type { Command } from "commander";
import { loadConfigFile, resolveAgentConfigs } from "../config/index.js";
import { createSilentLogger } from "../logging/index.js";
import { cliPaths, type GlobalOptions } from "./cli-context.js";
import { formatTable, printJson } from "./output.js";

async function sandboxTools() {
  const [{ default: Dockerode }, sandbox, image] = await Promise.all([
    import("dockerode"),
    import("../sandbox/index.js"),
    import("../sandbox/image/index.js"),
  ]);
  const docker = new Dockerode();
  return { docker, sandbox, image };
}

/** `openclaw sandbox build | list | prune | doctor`: the agents' Docker sandboxes. */
export function registerSandboxCommands(program: Command, setExitCode: (code: number) => void): void {
  const sandbox = program.command("sandbox").description("Docker sandboxes for agent tools");
  const globals = () => program.opts<GlobalOptions>();
  const manager = async () => {
    const tools = await sandboxTools();
    const { stateDir } = cliPaths(globals());
    return {
      ...tools,
      manager: new tools.sandbox.SandboxManager(tools.docker, {
        stateDir,
        logger: createSilentLogger(),
        secretValue: () => undefined,
      }),
    };
  };

  sandbox
    .command("build")
    .description("build the default sandbox image offline (Debian packages, docker import; no registry)")
    .option("--tag <tag>", "image tag")
    .action(async (options: { tag?: string }) => {
      const { docker, sandbox: module, image } = await sandboxTools();
      const tag = options.tag ?? module.DEFAULT_SANDBOX_IMAGE;
      const built = await image.buildSandboxImage({
        docker,
        tag,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(
        `built ${built.tag} (${(built.sizeBytes / 1024 / 1024).toFixed(1)} MB) in ${(built.durationMs / 1000).toFixed(1)} s\n`,
      );
    });

  sandbox
    .command("list")
    .description("the gateway's sandbox containers")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { manager: sandboxes } = await manager();
      const containers = await sandboxes.list();
      const rows = containers.map((info) => ({
        name: info.Names[0]?.replace(/^\//, "") ?? info.Id,
        agent: info.Labels["org.openclaw.agent"] ?? "-",
        session: info.Labels["org.openclaw.session"] ?? "-",
        image: info.Image,
        state: info.State,
        status: info.Status,
      }));
      if (options.json) {
        printJson(rows);
        return;
      }
      if (rows.length === 0) {
        process.stdout.write("no sandbox containers\n");
        return;
      }
      const table = [["CONTAINER", "AGENT", "SESSION", "IMAGE", "STATE", "STATUS"]];
      for (const row of rows)
        table.push([row.name, row.agent, row.session, row.image, row.state, row.status]);
      process.stdout.write(`${formatTable(table)}\n`);
    });

  sandbox
    .command("prune")
    .description("remove sandbox containers of agents that are no longer configured (--all: every one)")
    .option("--all", "remove every sandbox container")
    .action(async (options: { all?: boolean }) => {
      const { manager: sandboxes } = await manager();
      const keep = options.all
        ? []
        : resolveAgentConfigs((await loadConfigFile(cliPaths(globals()).configPath)).config)
            .filter((agent) => agent.sandbox?.docker?.enabled)
            .map((agent) => agent.id);
      const removed = await sandboxes.prune(keep);
      process.stdout.write(removed.length === 0 ? "nothing to remove\n" : `removed: ${removed.join(", ")}\n`);
    });

  sandbox
    .command("doctor")
    .description("is the engine reachable, is the image there, are the sandboxed agents' binds allowed?")
    .action(async () => {
      const { manager: sandboxes, sandbox: module } = await manager();
      const { configPath, stateDir } = cliPaths(globals());
      let problems = 0;
      const report = (ok: boolean, line: string, fix?: string) => {
        process.stdout.write(`${ok ? "ok  " : "FAIL"} ${line}\n`);
        if (!ok && fix) process.stdout.write(`     fix: ${fix}\n`);
        if (!ok) problems += 1;
      };
      try {
        await sandboxes.ping();
        report(true, "Docker engine reachable");
      } catch (error) {
        const hint = (error as { hint?: string }).hint;
        report(false, (error as Error).message, hint ?? "start dockerd, or set DOCKER_HOST");
      }
      const agents = resolveAgentConfigs((await loadConfigFile(configPath)).config).filter(
        (agent) => agent.sandbox?.docker?.enabled,
      );
      const images = new Set(
        agents.map((agent) => module.resolveSandboxSettings(agent.sandbox?.docker, stateDir).image),
      );
      if (images.size === 0) images.add(module.DEFAULT_SANDBOX_IMAGE);
      for (const image of images) {
        report(await sandboxes.imageExists(image), `image ${image}`, "run `openclaw sandbox build`");
      }
      for (const agent of agents) {
        const settings = module.resolveSandboxSettings(agent.sandbox?.docker, stateDir);
        try {
          await module.checkBinds(agent.id, settings.binds, {
            stateDir,
            allowedRoots: settings.allowedRoots,
          });
          report(true, `agent ${agent.id}: ${settings.binds.length} bind(s) allowed`);
        } catch (error) {
          report(false, `agent ${agent.id}: ${(error as Error).message}`);
        }
      }
      if (problems > 0) setExitCode(1);
    });
}
