import { OpenClawError } from "../../errors.js";
import type { OnboardProvider } from "./onboard-plan.js";

/**
 * Flags of OpenClaw's own `onboard` (docs/start/wizard-cli-automation.md) that scripts written
 * for it pass. They are mapped onto ours; what has no meaning here is named in a note, never
 * silently dropped and never a crash.
 */
export interface OpenClawOnboardFlags {
  mode?: string;
  anthropicApiKey?: string;
  openaiApiKey?: string;
  customApiKey?: string;
  gatewayToken?: string;
  gatewayPassword?: string;
  secretInputMode?: string;
  skipHealth?: boolean;
  installDaemon?: boolean;
  skipDaemon?: boolean;
  skipBootstrap?: boolean;
  skipSkills?: boolean;
  daemonRuntime?: string;
}

export interface MappedOpenClawFlags {
  inlineKey?: string;
  /** The gateway token or password given on the command line, for its own secret file. */
  gatewayCredential?: string;
  /** Password mode, when `--gateway-password` chose it. */
  auth?: "token" | "password";
  start?: boolean;
  notes: string[];
}

const INLINE_KEYS: Record<string, keyof OpenClawOnboardFlags> = {
  anthropic: "anthropicApiKey",
  openai: "openaiApiKey",
  "openai-compatible": "customApiKey",
};

export function mapOpenClawFlags(
  flags: OpenClawOnboardFlags,
  provider: OnboardProvider,
): MappedOpenClawFlags {
  if (flags.mode !== undefined && flags.mode !== "local") {
    throw new OpenClawError(
      "OC_ERR_USAGE",
      `--mode ${flags.mode} is not supported here: onboarding sets up a local gateway`,
      {
        hint: "drop --mode (local is the default), or run onboard on the gateway's host",
      },
    );
  }
  if (flags.gatewayToken && flags.gatewayPassword) {
    throw new OpenClawError("OC_ERR_USAGE", "--gateway-token and --gateway-password are exclusive", {
      hint: "clients authenticate with one of them: give one",
    });
  }
  const mapped: MappedOpenClawFlags = { notes: [] };
  const inlineFlag = INLINE_KEYS[provider];
  const inlineKey = inlineFlag ? (flags[inlineFlag] as string | undefined) : undefined;
  if (inlineKey) mapped.inlineKey = inlineKey;
  const credential = flags.gatewayPassword ?? flags.gatewayToken;
  if (credential) mapped.gatewayCredential = credential;
  if (flags.gatewayPassword) mapped.auth = "password";
  if (flags.gatewayToken) mapped.auth = "token";
  // OpenClaw starts nothing without --install-daemon and --skip-health means "config only";
  // here starting is the default, so only these say otherwise.
  if (flags.skipDaemon || (flags.skipHealth && !flags.installDaemon)) mapped.start = false;
  if (flags.secretInputMode === "plaintext") {
    mapped.notes.push(
      '--secret-input-mode plaintext: ignored; keys are always stored as { "$secret" } references here',
    );
  }
  for (const [flag, given] of [
    ["--skip-bootstrap", flags.skipBootstrap],
    ["--skip-skills", flags.skipSkills],
    ["--daemon-runtime", flags.daemonRuntime],
  ] as const) {
    if (given) mapped.notes.push(`${flag}: not supported here; ignored`);
  }
  return mapped;
}
