import type { StdioOptions } from "node:child_process";
import { type ConfinementAvailability, confinementUnavailableError } from "./availability.js";
import { type ConfinedProcess, confinedArgv, launch, type Setup } from "./confined-launch.js";
import type { ConfinementPolicy } from "./confinement-policy.js";
import type { CallCgroup } from "./pids-cgroup.js";
import { type ProbeOptions, probe } from "./probe.js";

export type ConfinementOptions = ProbeOptions;

/** Spawns programs confined by a policy, on this host. */
export interface Confinement {
  /** Whether confinement works here and how processes are bounded; probed once, then cached. */
  availability(): Promise<ConfinementAvailability>;
  /** The whole argv `spawn` would run now, and the cgroup made for it (the caller removes it). */
  command(
    argv: readonly string[],
    policy: ConfinementPolicy,
  ): Promise<{ argv: string[]; cgroup?: CallCgroup }>;
  /** Runs `argv` confined by `policy`; throws OC_ERR_CONFINEMENT_UNAVAILABLE when that cannot be done here. */
  spawn(
    argv: readonly string[],
    policy: ConfinementPolicy,
    options?: { stdio?: StdioOptions },
  ): Promise<ConfinedProcess>;
}

/** A failed probe is retried after this long, so that installing bubblewrap needs no restart. */
const FAILED_PROBE_TTL_MS = 10_000;

/** Per process, and per worker thread (which has its own module instances); keyed by options. */
const setups = new Map<string, { setup: Promise<Setup>; expiresAt: number }>();

export function createConfinement(options: ConfinementOptions = {}): Confinement {
  const key = JSON.stringify(options);
  const currentSetup = (): Promise<Setup> => {
    const cached = setups.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached.setup;
    const entry = { setup: probe(options), expiresAt: Number.POSITIVE_INFINITY };
    setups.set(key, entry);
    void entry.setup.then((setup) => {
      if (!setup.availability.available) entry.expiresAt = Date.now() + FAILED_PROBE_TTL_MS;
    });
    return entry.setup;
  };

  const command = async (argv: readonly string[], policy: ConfinementPolicy) => {
    const setup = await currentSetup();
    if (!setup.availability.available) throw confinementUnavailableError(setup.availability);
    return confinedArgv(setup, argv, policy);
  };

  return {
    availability: async () => (await currentSetup()).availability,
    command,
    async spawn(argv, policy, spawnOptions = {}) {
      const { argv: full, cgroup } = await command(argv, policy);
      return launch(full, cgroup, spawnOptions.stdio ?? ["ignore", "pipe", "pipe"]);
    },
  };
}
