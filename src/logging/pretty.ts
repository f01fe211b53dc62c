/** pino's numeric levels by name, and back. */
export const LEVELS: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

export const LEVEL_NAMES = Object.keys(LEVELS);

const COLORS: Record<string, string> = {
  trace: "\x1b[90m",
  debug: "\x1b[36m",
  info: "\x1b[32m",
  warn: "\x1b[33m",
  error: "\x1b[31m",
  fatal: "\x1b[35m",
};
const DIM = "\x1b[2m";
const RESET = "\x1b[0m";

/** Fields every line has, shown in the prefix or not at all. */
const OMITTED = new Set(["level", "time", "msg", "pid", "hostname", "agent", "session", "turn"]);

export function levelNumber(level: unknown): number {
  if (typeof level === "number") return level;
  return typeof level === "string" ? (LEVELS[level] ?? 30) : 30;
}

function levelName(level: unknown): string {
  if (typeof level === "string") return level;
  const entry = Object.entries(LEVELS).find(([, value]) => value === level);
  return entry?.[0] ?? "info";
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return /[\s="]/.test(value) || value === "" ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/**
 * One JSON log record as a line for people: time, level, who (agent, session, turn), message,
 * then the other fields as key=value. Turn ids are shortened to their first 8 characters, which
 * is enough to tell turns apart on a screen; `--json` keeps them whole.
 */
export function formatPretty(record: Record<string, unknown>, color = false): string {
  const time = typeof record.time === "string" ? record.time.slice(11, 23) : "";
  const level = levelName(record.level);
  const paint = (code: string | undefined, text: string) => (color && code ? `${code}${text}${RESET}` : text);
  const who = [
    typeof record.agent === "string" ? record.agent : undefined,
    typeof record.turn === "string" ? `turn ${record.turn.slice(0, 8)}` : undefined,
  ]
    .filter(Boolean)
    .join(" ");
  const fields = Object.entries(record)
    .filter(([key, value]) => !OMITTED.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  if (typeof record.session === "string") fields.push(`session=${formatValue(record.session)}`);
  const rest = fields.length > 0 ? ` ${paint(DIM, fields.join(" "))}` : "";
  return `${paint(DIM, time)} ${paint(COLORS[level], level.toUpperCase().padEnd(5))} ${who ? `[${who}] ` : ""}${String(record.msg ?? "")}${rest}`;
}

/** A JSON line as a pretty line; a line that is not JSON (a crash trace) passes as it is. */
export function prettyLine(line: string, color = false): string {
  try {
    const record = JSON.parse(line) as unknown;
    if (typeof record === "object" && record !== null)
      return formatPretty(record as Record<string, unknown>, color);
  } catch {
    // not JSON
  }
  return line;
}
