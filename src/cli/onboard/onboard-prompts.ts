import * as prompts from "@clack/prompts";
import { OpenClawError } from "../../errors.js";
import type { CliPaths } from "../cli-context.js";
import { fileExists } from "./onboard-files.js";
import type { OnboardAnswers } from "./onboard-flow.js";
import {
  BINDS,
  baseUrlProblem,
  completePlan,
  DEFAULT_MODELS,
  keyRequired,
  type OnboardAuth,
  type OnboardBind,
  type OnboardPlan,
  type OnboardProvider,
  parsePortValue,
} from "./onboard-plan.js";

function cancelled(): never {
  prompts.cancel("onboarding cancelled: nothing was written");
  throw new OpenClawError("OC_ERR_USAGE", "onboarding cancelled", {
    hint: "run `openclaw onboard` again, or script it with --non-interactive --accept-risk",
  });
}

/**
 * Rejects once stdin has ended: a prompt would then wait forever, and Node would exit with
 * code 13 ("unsettled top-level await") instead of saying what happened.
 */
function inputEnded(): Promise<never> {
  const ended = new Promise<never>((_, reject) => {
    const fail = () =>
      reject(
        new OpenClawError("OC_ERR_USAGE", "the input ended before onboarding's questions were answered", {
          hint: "run it in a terminal, or script it: openclaw onboard --non-interactive --accept-risk …",
        }),
      );
    if (process.stdin.readableEnded) fail();
    else process.stdin.once("end", fail);
  });
  ended.catch(() => undefined);
  return ended;
}

let ended: Promise<never> | undefined;

/** Each answer, or the cancellation (Ctrl-C, Escape) as an error: no half-written setup. */
async function ask<T>(question: Promise<T | symbol>): Promise<Exclude<T, symbol>> {
  ended ??= inputEnded();
  const answer = await Promise.race([question, ended]);
  if (prompts.isCancel(answer)) cancelled();
  return answer as Exclude<T, symbol>;
}

function portProblem(value: string | undefined): string | undefined {
  try {
    parsePortValue(value);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The interactive flow: one question per setting, the flags' values as the defaults offered.
 * Returns the answers; writing and starting is `applyOnboarding`'s, as without prompts.
 */
export async function promptForAnswers(paths: CliPaths, defaults: OnboardPlan): Promise<OnboardAnswers> {
  prompts.intro("OpenClaw onboarding");
  prompts.note(
    "Agents run tools (commands, files) on this machine with your permissions.\nKeep the gateway on loopback unless you know who can reach it.",
    "Security",
  );
  await ask(prompts.confirm({ message: "Continue?", initialValue: true })).then((yes) => yes || cancelled());
  let force = defaults.force;
  if (!force && (await fileExists(paths.configPath))) {
    force = await ask(
      prompts.confirm({
        message: `${paths.configPath} exists. Replace it (the old one is kept as openclaw.json.bak)?`,
        initialValue: false,
      }),
    );
    if (!force) cancelled();
  }
  const provider = await ask<OnboardProvider>(
    prompts.select({
      message: "Model provider",
      initialValue: defaults.provider,
      options: [
        { value: "dev", label: "dev", hint: "built-in offline echo model, no key" },
        { value: "anthropic", label: "Anthropic" },
        { value: "openai", label: "OpenAI" },
        { value: "openai-compatible", label: "OpenAI-compatible server", hint: "vLLM, Ollama, LM Studio" },
      ],
    }),
  );
  let baseUrl: string | undefined;
  let model: string | undefined;
  let apiKey: string | undefined;
  if (provider === "openai-compatible") {
    baseUrl = await ask(
      prompts.text({
        message: "Server URL",
        placeholder: "http://127.0.0.1:11434/v1",
        ...(defaults.baseUrl ? { initialValue: defaults.baseUrl } : {}),
        validate: (value) => (value ? baseUrlProblem(value) : "the server's URL is required"),
      }),
    );
  }
  if (provider !== "dev") {
    const suggested = defaults.model ?? DEFAULT_MODELS[provider];
    model = await ask(
      prompts.text({
        message: "Model id",
        ...(suggested ? { placeholder: suggested, defaultValue: suggested } : {}),
        validate: (value) => (value || suggested ? undefined : "the model id is required"),
      }),
    );
    apiKey = await ask(
      prompts.password({
        message: keyRequired(provider) ? "API key" : "API key (leave empty if the server needs none)",
        validate: (value) => (value || !keyRequired(provider) ? undefined : "the API key is required"),
      }),
    );
  }
  const port = await ask(
    prompts.text({
      message: "Gateway port",
      placeholder: String(defaults.port),
      defaultValue: String(defaults.port),
      validate: (value) => portProblem(value),
    }),
  );
  const bind = await ask<OnboardBind>(
    prompts.select({
      message: "Listen on",
      initialValue: defaults.bind,
      options: [
        { value: "loopback", label: "loopback", hint: `${BINDS.loopback}, this machine only` },
        { value: "lan", label: "lan", hint: `${BINDS.lan}, every interface` },
      ],
    }),
  );
  const auth = await ask<OnboardAuth>(
    prompts.select({
      message: "Client authentication",
      initialValue: defaults.auth,
      options: [
        { value: "token", label: "token", hint: "generated; `openclaw gateway token` prints it" },
        { value: "password", label: "password", hint: "generated into a 0600 file" },
      ],
    }),
  );
  const start = await ask(
    prompts.confirm({ message: "Start the gateway now?", initialValue: defaults.start }),
  );
  const plan = completePlan({
    agentId: defaults.agentId,
    provider,
    ...(model ? { model } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    port: parsePortValue(port),
    bind,
    auth,
    start,
    force,
  });
  prompts.outro("writing the config");
  return { plan, ...(apiKey ? { apiKey } : {}) };
}
