import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  AppendOnlyFile,
  type DamageReport,
  damageReport,
  type OpenAppendHandle,
  parseJsonLines,
} from "../../append-only/index.js";
import type { WriteOutcomeReporter } from "../../state-dir-health/index.js";
import { isUsageEntry, type UsageEntry } from "../../usage/usage-entry.js";
import {
  type UsageRange,
  type UsageRead,
  type UsageRepository,
  usageEntryInRange,
} from "../usage-repository.js";

const USAGE_FILE = /^usage-(\d{4}-\d{2}-\d{2})\.jsonl$/;

export interface FileUsageRepositoryOptions {
  /** Told about every write's outcome: the state dir's health. */
  health?: WriteOutcomeReporter;
  /** A torn tail cut before an append. */
  onRepaired?: (path: string, cutBytes: number) => void;
  /** Opens a day's file for appending (tests pass handles whose writes fail). */
  open?: OpenAppendHandle;
}

const dayOf = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 10);

/**
 * Usage sums as JSONL in `<state>/usage/usage-<day>.jsonl`, one file per UTC day of the minute,
 * so that a query since a date reads only the days it needs. Files are opened per record and
 * closed after it: the ledger records every 10 s, not per turn.
 */
export class FileUsageRepository implements UsageRepository {
  readonly location: string;
  private ready: Promise<void> | undefined;
  /** Records one after the other: an AppendOnlyFile takes one append at a time. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    stateDir: string,
    private readonly options: FileUsageRepositoryOptions = {},
  ) {
    this.location = join(stateDir, "usage");
  }

  record(entries: readonly UsageEntry[]): Promise<void> {
    const run = this.writing.then(() => this.write(entries));
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async write(entries: readonly UsageEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const byDay = new Map<string, string>();
    for (const entry of entries) {
      const day = entry.minute.slice(0, 10);
      byDay.set(day, `${byDay.get(day) ?? ""}${JSON.stringify(entry)}\n`);
    }
    let path = this.location;
    const written: { file: AppendOnlyFile; start: number }[] = [];
    const opened: AppendOnlyFile[] = [];
    try {
      this.ready ??= mkdir(this.location, { recursive: true, mode: 0o700 }).then(() => undefined);
      await this.ready;
      for (const [day, text] of byDay) {
        path = this.fileOf(day);
        const file = new AppendOnlyFile(path, {
          mode: 0o600,
          ...(this.options.open ? { open: this.options.open } : {}),
          ...(this.options.onRepaired ? { onRepaired: this.options.onRepaired } : {}),
        });
        opened.push(file);
        written.push({ file, start: await file.append(text) });
      }
    } catch (error) {
      this.ready = undefined;
      // The day that failed rolled itself back; the days before it are taken back here, so the
      // caller may hand every sum in again. A take-back that fails too is cut by the torn-tail
      // rule only if it left a partial line: a whole day's lines would then count twice, the
      // price of a second failure within one flush that spans midnight.
      for (const { file, start } of written) await file.rollBackTo(start).catch(() => undefined);
      this.options.health?.writeFailed("usage", error, path);
      throw error;
    } finally {
      await Promise.all(opened.map((file) => file.close()));
    }
    this.options.health?.writeSucceeded("usage");
  }

  async query(range: UsageRange = {}): Promise<UsageRead> {
    const names = await readdir(this.location).catch(() => [] as string[]);
    const firstDay = range.since === undefined ? "" : dayOf(range.since);
    const lastDay = range.until === undefined ? undefined : dayOf(range.until);
    const entries: UsageEntry[] = [];
    const damage: DamageReport[] = [];
    for (const name of names.sort()) {
      const day = USAGE_FILE.exec(name)?.[1];
      if (day === undefined || day < firstDay || (lastDay !== undefined && day > lastDay)) continue;
      const path = join(this.location, name);
      const { values, damaged } = parseJsonLines(await readFile(path, "utf8"), isUsageEntry);
      for (const entry of values) if (usageEntryInRange(entry, range)) entries.push(entry);
      const report = damageReport(path, damaged);
      if (report) damage.push(report);
    }
    return { entries, damage };
  }

  async close(): Promise<void> {
    await this.writing;
  }

  /** One file per UTC day. */
  private fileOf(day: string): string {
    return join(this.location, `usage-${day}.jsonl`);
  }
}
