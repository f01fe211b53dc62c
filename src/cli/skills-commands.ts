import { dirname } from "node:path";
import type { Command } from "commander";
import type { DiscoveredSkill, SkillWarning } from "../skills/index.js";
import { cliPaths, type GlobalOptions } from "./cli-context.js";
import { formatTable, printJson } from "./output.js";

interface SkillRow {
  name: string;
  source: string;
  status: string;
  description: string;
  file: string;
  shadowedBy?: string;
}

interface SkillReport {
  agentId: string;
  skills: SkillRow[];
  warnings: SkillWarning[];
  skillsOf: DiscoveredSkill[];
}

/** Reads the config and the skill roots as the gateway would for one agent (the default one unless named). */
async function report(globals: GlobalOptions, agentOption: string | undefined): Promise<SkillReport> {
  const { configPath, stateDir } = cliPaths(globals);
  const [{ agentWorkspaceRoot, loadConfigFile, resolveAgentConfigs, DEFAULT_AGENT_ID }, skills] =
    await Promise.all([import("../config/index.js"), import("../skills/index.js")]);
  const { config } = await loadConfigFile(configPath);
  const agents = resolveAgentConfigs(config);
  const agent = agentOption ? agents.find((candidate) => candidate.id === agentOption) : agents[0];
  if (agentOption && !agent) throw new Error(`no agent "${agentOption}" in ${configPath}`);
  const agentId = agent?.id ?? DEFAULT_AGENT_ID;
  const configDir = dirname(configPath);
  const workspaceRoot = agentWorkspaceRoot(agent ?? { id: agentId }, configDir, stateDir);
  const roots = skills.skillRoots({
    workspaceRoot,
    stateDir,
    configDir,
    ...(config.skills.load?.extraDirs ? { extraDirs: config.skills.load.extraDirs } : {}),
  });
  const found = skills.discoverSkills(roots);
  const eligibility = {
    ...(config.skills.entries ? { entries: config.skills.entries } : {}),
    ...(agent?.skills ? { allowList: agent.skills } : {}),
  };
  const rows = found.skills.map((skill): SkillRow => {
    const reason = skills.ineligibleReason(skill, eligibility);
    return {
      name: skill.name,
      source: skill.source,
      status: skill.shadowedBy ? "shadowed" : (reason ?? "ready"),
      description: skill.description,
      file: skill.file,
      ...(skill.shadowedBy ? { shadowedBy: skill.shadowedBy } : {}),
    };
  });
  return { agentId, skills: rows, warnings: found.warnings, skillsOf: found.skills };
}

function printWarnings(warnings: readonly SkillWarning[]): void {
  for (const warning of warnings) process.stdout.write(`skipped ${warning.file}: ${warning.reason}\n`);
}

/** `openclaw skills list | info <name> | check`: the SKILL.md folders an agent would be offered. */
export function registerSkillsCommands(program: Command, setExitCode: (code: number) => void): void {
  const skills = program.command("skills").description("SKILL.md skills: list, info, check");
  skills
    .command("list")
    .description("every skill found, its source (workspace wins) and whether the agent is offered it")
    .option("--agent <id>", "the agent whose workspace and allow-list apply")
    .option("--json", "print JSON")
    .action(async (options: { agent?: string; json?: boolean }) => {
      const result = await report(program.opts<GlobalOptions>(), options.agent);
      if (options.json) {
        printJson({ agentId: result.agentId, skills: result.skills, warnings: result.warnings });
        return;
      }
      const rows = result.skills.map((row) => [row.name, row.source, row.status, row.file]);
      process.stdout.write(
        rows.length
          ? `${formatTable([["NAME", "SOURCE", "STATUS", "FILE"], ...rows])}\n`
          : "no skills found\n",
      );
      printWarnings(result.warnings);
    });
  skills
    .command("info <name>")
    .description("one skill: where it lives, what it needs, its instructions")
    .option("--agent <id>", "the agent whose workspace and allow-list apply")
    .option("--json", "print JSON")
    .action(async (name: string, options: { agent?: string; json?: boolean }) => {
      const result = await report(program.opts<GlobalOptions>(), options.agent);
      const index = result.skills.findIndex((row) => row.name === name);
      const skill = result.skillsOf[index];
      const row = result.skills[index];
      if (!skill || !row) {
        process.stderr.write(`no skill "${name}"; \`openclaw skills list\` shows the skills found\n`);
        setExitCode(1);
        return;
      }
      if (options.json) {
        printJson({ ...row, requirements: skill.requirements, body: skill.body });
        return;
      }
      const needs = skill.requirements;
      process.stdout.write(
        [
          `${row.name} (${row.source}, ${row.status})`,
          row.description,
          `file: ${row.file}`,
          `needs: bins [${needs.bins.join(", ")}] env [${needs.env.join(", ")}] os [${needs.os.join(", ")}]`,
          "",
          skill.body.trim(),
          "",
        ].join("\n"),
      );
    });
  skills
    .command("check")
    .description(
      "report malformed SKILL.md files and skills whose requirements are missing; exit 1 on a malformed one",
    )
    .option("--agent <id>", "the agent whose workspace and allow-list apply")
    .option("--json", "print JSON")
    .action(async (options: { agent?: string; json?: boolean }) => {
      const result = await report(program.opts<GlobalOptions>(), options.agent);
      const blocked = result.skills.filter((row) => row.status !== "ready" && row.status !== "shadowed");
      if (result.warnings.length > 0) setExitCode(1);
      if (options.json) {
        printJson({ ok: result.warnings.length === 0, malformed: result.warnings, notOffered: blocked });
        return;
      }
      printWarnings(result.warnings);
      for (const row of blocked) process.stdout.write(`not offered ${row.name}: ${row.status}\n`);
      const ready = result.skills.filter((row) => row.status === "ready").length;
      process.stdout.write(
        `${ready} ready, ${blocked.length} not offered, ${result.warnings.length} malformed\n`,
      );
    });
}
