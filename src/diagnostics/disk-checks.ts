import { type Diagnostic, fail, ok, warn } from "./diagnostic.js";
import type { GatewayFact, StateDiskFact } from "./facts.js";

/**
 * Below this much room the state dir is worth a warning. An absolute amount, not a share of
 * the disk: what the gateway needs does not grow with the disk (the default log rotation alone
 * keeps up to 60 MB: 10 MB × 6 files; transcripts, the usage ledger and memory's SQLite with
 * its WAL come on top), while 5 % would be 100 GB on a 2 TB disk (a warning nobody acts on)
 * and a few hundred KB on a small volume (a warning too late to help).
 */
export const MIN_AVAILABLE_BYTES = 100 * 1024 * 1024;
/** Out of inodes is ENOSPC too (a tmpfs, many small files); a few thousand is a day of sessions. */
export const MIN_FREE_INODES = 10_000;

const MB = 1024 * 1024;

function megabytes(bytes: number): string {
  return bytes >= 10 * 1024 * MB
    ? `${Math.round(bytes / (1024 * MB))} GB`
    : `${Math.round((bytes / MB) * 10) / 10} MB`;
}

/**
 * Room on the state dir's filesystem (warn when low), and, from the running gateway, whether its
 * writes fail now (fail: turns answer 507 until space is freed).
 */
export function checkStateDirDisk(disk: StateDiskFact, gateway: GatewayFact): Diagnostic[] {
  const findings: Diagnostic[] = [];
  const writes = gateway.state === "running" ? gateway.stateWrites : undefined;
  const freeSpace = `df -h ${disk.path}`;
  if (writes && !writes.writable) {
    findings.push(
      fail(
        "state-dir-writes",
        `the gateway cannot write to its state dir: ${writes.code} (${writes.reason}) since ${writes.failingSince}${writes.file ? `, last on ${writes.file}` : ""}; turns answer 507 and /readyz 503 meanwhile`,
        `free space on the filesystem holding ${disk.path} (${freeSpace}); the gateway notices within seconds and recovers without a restart`,
      ),
    );
  } else if (writes) {
    findings.push(ok("state-dir-writes", "the gateway writes to its state dir without errors"));
  }
  if (disk.error !== undefined || disk.availableBytes === undefined || disk.totalBytes === undefined) {
    findings.push(
      warn(
        "state-dir-space",
        `cannot measure free space for ${disk.path}: ${disk.error ?? "statfs gave no sizes"}`,
        `check it by hand: ${freeSpace}`,
      ),
    );
    return findings;
  }
  const share = disk.totalBytes > 0 ? Math.round((disk.availableBytes / disk.totalBytes) * 1000) / 10 : 0;
  if (disk.availableBytes < MIN_AVAILABLE_BYTES) {
    findings.push(
      warn(
        "state-dir-space",
        `only ${megabytes(disk.availableBytes)} free (${share} %) on the filesystem holding ${disk.path}; below ${megabytes(MIN_AVAILABLE_BYTES)} a full disk is near, and then turns are refused with 507`,
        `free space (${freeSpace}), lower logging.file.maxSizeMb / maxFiles, or move OPENCLAW_STATE_DIR to a larger filesystem`,
      ),
    );
  } else if (disk.totalInodes && disk.freeInodes !== undefined && disk.freeInodes < MIN_FREE_INODES) {
    findings.push(
      warn(
        "state-dir-space",
        `only ${disk.freeInodes} inodes free on the filesystem holding ${disk.path}: each session is a file, and no inode is ENOSPC too`,
        `remove old files (df -i ${disk.path}), or move OPENCLAW_STATE_DIR to a filesystem with more inodes`,
      ),
    );
  } else {
    findings.push(
      ok(
        "state-dir-space",
        `${megabytes(disk.availableBytes)} free (${share} %) on the filesystem holding ${disk.path}`,
      ),
    );
  }
  return findings;
}
