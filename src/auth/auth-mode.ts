import { join } from "node:path";
import type { OpenClawConfig } from "../config/index.js";
import type { AuthMode } from "./authenticator.js";

/** The per-run token of `openclaw` commands on this host (see GatewaySecurity.writeLocalToken). */
export function localTokenPath(stateDir: string): string {
  return join(stateDir, "cli-token");
}

/** gateway.auth.mode, or what the configured credential implies: a password alone means password. */
export function resolveAuthMode(config: OpenClawConfig): AuthMode {
  const auth = config.gateway.auth;
  if (auth.mode) return auth.mode;
  return auth.password !== undefined && auth.token === undefined ? "password" : "token";
}
