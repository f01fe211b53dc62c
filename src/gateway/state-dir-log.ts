import type { DamageReport } from "../append-only/index.js";
import type { Logger } from "../logging/index.js";
import type { StateDirHealthSnapshot } from "../state-dir-health/index.js";

/** One line when the state dir stops taking writes, one when it takes them again. */
export function logStateDirChange(logger: Logger, health: StateDirHealthSnapshot): void {
  if (health.writable) {
    logger.info({ stateDir: health.path, outageMs: health.lastOutageMs }, "state dir takes writes again");
    return;
  }
  logger.error(
    { stateDir: health.path, code: health.code, writer: health.writer, file: health.file },
    `state dir refuses writes (${health.code}: ${health.reason}): turns answer 507 until it recovers; free space on its filesystem`,
  );
}

/** A torn last line (a write cut by a kill or a full disk) cut before the next append. */
export function logRepairedTail(logger: Logger, path: string, cutBytes: number): void {
  logger.warn({ file: path, cutBytes }, "torn last line (a write cut short) removed before appending");
}

/** Lines a transcript read could not use: named by file and line, skipped in the history. */
export function logDamagedTranscript(logger: Logger, report: DamageReport): void {
  logger.warn(report, `transcript has ${report.count} unreadable line(s), skipped in its history`);
}
