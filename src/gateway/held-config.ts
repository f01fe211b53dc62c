import type { BoundaryChange } from "../config/index.js";

/** What an operator does to apply a held change; said wherever one is reported. */
export const APPLY_HELD_CONFIG_FIX = "run `openclaw config apply` or restart the gateway to apply it";

/**
 * A version of the config file that the watcher saw and did not apply, because it weakens the
 * security boundary. The running config stays in force, whole, until an operator applies it.
 */
export interface PendingConfig {
  /** sha256 (hex) of the held file's bytes, as `config.get` reports a file's hash. */
  hash: string;
  weakening: BoundaryChange[];
  /** When the watcher saw it (epoch ms). */
  since: number;
}

/** What a config apply did to the agents (AgentSupervisor.apply's answer). */
export interface AgentChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

/** What `openclaw config apply` (`POST /__openclaw__/config/apply`) put in force. */
export interface AppliedConfig {
  /** The config file the gateway read. */
  path: string;
  hash: string;
  /** The weakening changes it applied, which the watcher alone would have held. */
  weakening: BoundaryChange[];
  agents: AgentChanges;
}

/** The warn line of a held change: every weakening path, and what to do. */
export function heldConfigMessage(weakening: readonly BoundaryChange[]): string {
  const paths = weakening.map((change) => change.path).join(", ");
  return `config change not applied: it weakens the security boundary (${paths}); ${APPLY_HELD_CONFIG_FIX}`;
}

/** `config.pending` of the status report. */
export function describePendingConfig(pending: PendingConfig | undefined) {
  if (!pending) return null;
  return {
    hash: pending.hash,
    weakening: pending.weakening.map(({ path, description }) => ({ path, description })),
    since: new Date(pending.since).toISOString(),
  };
}
