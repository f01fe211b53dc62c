import { OpenClawError } from "../errors.js";

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: a duration back from now (`30s`, `10m`, `2h`, `7d`) or a date/time (`2026-11-25T10:00`). */
export function parseSince(value: string, now = Date.now()): number {
  const relative = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(value.trim());
  if (relative) return now - Number(relative[1]) * (UNITS[relative[2] as string] as number);
  const absolute = Date.parse(value);
  if (!Number.isNaN(absolute)) return absolute;
  throw new OpenClawError("OC_ERR_USAGE", `--since "${value}" is neither a duration nor a date`, {
    hint: "use a duration like 30s, 10m, 2h, 7d, or a date like 2026-11-25T10:00",
  });
}
