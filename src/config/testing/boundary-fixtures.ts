import { type BoundaryChange, weakeningChanges } from "../boundary-changes.js";
import { ConfigSchema, type OpenClawConfig } from "../schema.js";

/** The secrets every fixture config declares, so that references in it resolve. */
export const SECRETS = {
  "gateway-token": { source: "env", key: "OPENCLAW_GATEWAY_TOKEN" },
  "gateway-password": { source: "file", path: "/etc/openclaw/password" },
  other: { source: "exec", command: ["pass", "show", "openclaw"] },
} as const;

export const parse = (input: Record<string, unknown>): OpenClawConfig =>
  ConfigSchema.parse({ externalSecrets: SECRETS, ...input });
export const paths = (changes: BoundaryChange[]) => changes.map((change) => change.path);
export const between = (running: Record<string, unknown>, next: Record<string, unknown>) =>
  weakeningChanges(parse(running), parse(next));
export const tokenMode = { auth: { mode: "token", token: { $secret: "gateway-token" } } };
