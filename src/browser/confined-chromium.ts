import { chmod, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConfinement, DEFAULT_CONFINEMENT_LIMITS } from "../confinement/index.js";

/** A browser lives for hours and forks a process per renderer: limits for that, not for a command. */
const CHROMIUM_LIMITS = { ...DEFAULT_CONFINEMENT_LIMITS, cpuSeconds: 24 * 3600, pids: 512, openFiles: 8192 };

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Chromium under the same confinement as host commands (bubblewrap: its own pid namespace, no
 * capabilities, the root read-only, the gateway's state dir and secrets hidden), as an executable
 * playwright can launch: a 0700 wrapper script that execs the confined argv with Chromium's own
 * arguments appended. Only the OS temp dir (where playwright makes the profile) is writable. The
 * network is shared because Chromium must reach the gateway's policy proxy on loopback; it is
 * told to send everything through it.
 */
export async function confinedChromium(options: {
  executablePath: string;
  hidden: readonly string[];
}): Promise<{ executablePath: string; release(): Promise<void> }> {
  const scratch = await realpath(tmpdir());
  const { argv, cgroup } = await createConfinement().command([options.executablePath], {
    writable: [scratch],
    hidden: options.hidden,
    network: "host",
    limits: CHROMIUM_LIMITS,
    env: { PATH: "/usr/bin:/bin", HOME: scratch, LANG: "C.UTF-8" },
    cwd: scratch,
  });
  const directory = await mkdtemp(join(scratch, "openclaw-chromium-"));
  const wrapper = join(directory, "chromium");
  await writeFile(wrapper, `#!/bin/sh\nexec ${argv.map(shellQuote).join(" ")} "$@"\n`, { mode: 0o700 });
  await chmod(wrapper, 0o700);
  return {
    executablePath: wrapper,
    async release() {
      await rm(directory, { recursive: true, force: true });
      await cgroup?.remove();
    },
  };
}
