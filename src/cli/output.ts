import { isOpenClawError, toOpenClawError } from "../errors.js";

/** Prints an error the way every command does: code, message, what to do; returns the exit code. */
export function reportError(error: unknown): number {
  const failure = isOpenClawError(error) ? error : toOpenClawError(error);
  process.stderr.write(`openclaw: ${failure.message} [${failure.code}]\n`);
  if (failure.hint) process.stderr.write(`  fix: ${failure.hint}\n`);
  if (!isOpenClawError(error) && error instanceof Error && process.env.OPENCLAW_DEBUG) {
    process.stderr.write(`${error.stack}\n`);
  }
  return failure.spec.exitCode;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function formatDuration(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${minutes % 60}m`;
}

/** A plain fixed-width table: the CLI's only formatting. */
export function formatTable(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
