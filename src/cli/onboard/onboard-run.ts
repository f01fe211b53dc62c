import { readFile } from "node:fs/promises";
import { OpenClawError } from "../../errors.js";
import { cliPaths, type GlobalOptions } from "../cli-context.js";
import { printJson } from "../output.js";
import { applyOnboarding, type OnboardSummary } from "./onboard-flow.js";
import {
  completePlan,
  KEY_ENV_VARIABLES,
  type OnboardPlan,
  parseAuthValue,
  parseBindValue,
  parsePortValue,
  parseProvider,
} from "./onboard-plan.js";
import { mapOpenClawFlags, type OpenClawOnboardFlags } from "./openclaw-flags.js";

export interface OnboardFlags extends OpenClawOnboardFlags {
  nonInteractive?: boolean;
  acceptRisk?: boolean;
  provider?: string;
  authChoice?: string;
  model?: string;
  customModelId?: string;
  baseUrl?: string;
  customBaseUrl?: string;
  apiKeyFile?: string;
  apiKeyEnv?: string;
  agentName?: string;
  gatewayPort?: string;
  gatewayBind?: string;
  gatewayAuth?: string;
  start: boolean;
  force?: boolean;
  json?: boolean;
}

/** The plan the flags describe; what they leave out gets the defaults the prompts offer. */
export function planFromFlags(flags: OnboardFlags): OnboardPlan {
  const model = flags.model ?? flags.customModelId;
  const baseUrl = flags.baseUrl ?? flags.customBaseUrl;
  return {
    agentId: flags.agentName ?? "main",
    provider: parseProvider(flags.provider ?? flags.authChoice ?? "dev"),
    ...(model ? { model } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    port: parsePortValue(flags.gatewayPort),
    bind: parseBindValue(flags.gatewayBind),
    auth: parseAuthValue(flags.gatewayAuth),
    start: flags.start,
    force: flags.force === true,
  };
}

/** The key from a file or a variable: ways that keep it out of `ps` and shell history. */
export async function keyFromFlags(flags: OnboardFlags, plan: OnboardPlan): Promise<string | undefined> {
  if (flags.apiKeyFile && flags.apiKeyEnv) {
    throw new OpenClawError("OC_ERR_USAGE", "--api-key-file and --api-key-env are exclusive", {
      hint: "give the key one way",
    });
  }
  if (flags.apiKeyFile) {
    try {
      return (await readFile(flags.apiKeyFile, "utf8")).trim();
    } catch (error) {
      throw new OpenClawError(
        "OC_ERR_USAGE",
        `cannot read --api-key-file ${flags.apiKeyFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        { hint: "give the path of a file holding the key alone", cause: error },
      );
    }
  }
  const variable = flags.apiKeyEnv ?? KEY_ENV_VARIABLES[plan.provider];
  const value = variable ? process.env[variable]?.trim() : undefined;
  if (flags.apiKeyEnv && !value) {
    throw new OpenClawError("OC_ERR_USAGE", `--api-key-env ${flags.apiKeyEnv}: the variable is not set`, {
      hint: `export ${flags.apiKeyEnv}=<key> first, or use --api-key-file <path>`,
    });
  }
  return plan.provider === "dev" ? undefined : value || undefined;
}

export async function runOnboard(flags: OnboardFlags, globals: GlobalOptions): Promise<void> {
  const paths = cliPaths(globals);
  // With --json, stdout carries only the summary; the lines for people go to stderr.
  const lines = flags.json ? process.stderr : process.stdout;
  const output = { info: (line: string) => lines.write(`${line}\n`) };
  const report = (summary: OnboardSummary) => {
    if (flags.json) printJson(summary);
  };
  if (!flags.nonInteractive) {
    const { promptForAnswers } = await import("./onboard-prompts.js");
    const answers = await promptForAnswers(paths, planFromFlags(flags));
    report(await applyOnboarding(paths, answers, output));
    return;
  }
  // As in OpenClaw: a script writes credentials and starts agents without a confirmation
  // prompt, so it must say that it accepts that.
  if (!flags.acceptRisk) {
    throw new OpenClawError("OC_ERR_USAGE", "--non-interactive requires --accept-risk", {
      hint: "agents can run tools on this machine; add --accept-risk to acknowledge it",
    });
  }
  const ours = planFromFlags(flags);
  const openclaw = mapOpenClawFlags(flags, ours.provider);
  for (const note of openclaw.notes) process.stderr.write(`note: ${note}\n`);
  const plan = completePlan({
    ...ours,
    ...(openclaw.auth && flags.gatewayAuth === undefined ? { auth: openclaw.auth } : {}),
    ...(openclaw.start === false ? { start: false } : {}),
  });
  const apiKey = openclaw.inlineKey ?? (await keyFromFlags(flags, plan));
  const summary = await applyOnboarding(
    paths,
    {
      plan,
      ...(apiKey ? { apiKey } : {}),
      ...(openclaw.gatewayCredential ? { gatewayCredential: openclaw.gatewayCredential } : {}),
    },
    output,
  );
  report(summary);
}
