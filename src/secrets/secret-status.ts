import type { ExternalSecretConfig } from "../config/schema.js";

/** What `secrets list`, `status` answers and reload reports say about external secrets: never a value. */

export type SecretSourceKind = ExternalSecretConfig["source"];

/** ok: a current value. missing: no value. degraded: the last read failed; the last good value is served. */
export type SecretHealth = "ok" | "missing" | "degraded";

export interface SecretStatus {
  name: string;
  source: SecretSourceKind;
  /** The variable, the resolved file path or argv[0]; never the value. */
  detail: string;
  status: SecretHealth;
  /** Why the last read failed (status missing or degraded). */
  error?: string;
  hint?: string;
  /** ISO time the value being served was read. */
  loadedAt?: string;
  /** ISO time the value last changed after it was first loaded. */
  lastRotationAt?: string;
  rotations: number;
}

export interface ReloadReport {
  /** Names whose value changed (rotated, or available again after being missing). */
  changed: string[];
  unchanged: string[];
  /** Names whose read failed; a previous value, if any, is still served. */
  failed: string[];
}
