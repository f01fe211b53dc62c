import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import type { DiscoveredSkill } from "./discover.js";

export interface EligibilityInput {
  /** `skills.entries.<name>.enabled`. */
  entries?: Record<string, { enabled?: boolean | undefined } | undefined>;
  /** `agents.<id>.skills`: absent means every skill. */
  allowList?: readonly string[];
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

function onPath(bin: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, bin), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Why a (winning) skill is not offered to an agent, or undefined when it is. */
export function ineligibleReason(skill: DiscoveredSkill, input: EligibilityInput): string | undefined {
  if (skill.shadowedBy) return `shadowed by ${skill.shadowedBy}`;
  if (input.entries?.[skill.name]?.enabled === false)
    return `disabled (skills.entries.${skill.name}.enabled)`;
  if (input.allowList && !input.allowList.includes(skill.name)) return "not in the agent's skills allow-list";
  const { requirements } = skill;
  const platform = input.platform ?? process.platform;
  if (requirements.os.length > 0 && !requirements.os.includes(platform)) {
    return `needs os ${requirements.os.join("|")}`;
  }
  if (requirements.always) return undefined;
  const env = input.env ?? process.env;
  const missingBin = requirements.bins.find((bin) => !onPath(bin, env));
  if (missingBin) return `needs binary ${missingBin} on PATH`;
  if (requirements.anyBins.length > 0 && !requirements.anyBins.some((bin) => onPath(bin, env))) {
    return `needs one of ${requirements.anyBins.join(", ")} on PATH`;
  }
  const missingEnv = requirements.env.find((name) => !env[name]);
  if (missingEnv) return `needs environment variable ${missingEnv}`;
  return undefined;
}

export function eligibleSkills(
  skills: readonly DiscoveredSkill[],
  input: EligibilityInput,
): DiscoveredSkill[] {
  return skills.filter((skill) => ineligibleReason(skill, input) === undefined);
}
