/**
 * Shapes of well-known credentials, to find keys pasted where they do not belong (a config file,
 * a transcript). Each is anchored so that it does not fire inside a longer word (`task-…`, `disk-…`).
 */

export type KeyFormatKind =
  | "anthropic-key"
  | "openai-key"
  | "github-token"
  | "slack-token"
  | "aws-access-key"
  | "private-key";

export interface KeyMatch {
  kind: KeyFormatKind;
  /** Offsets in the scanned text. */
  start: number;
  end: number;
  /** Masked: the recognisable prefix and at most the last 4 characters. */
  preview: string;
}

interface KeyFormat {
  kind: KeyFormatKind;
  pattern: RegExp;
  /** The part of a match that identifies the format and is safe to show. */
  prefix: RegExp;
  accept?: (match: string) => boolean;
}

const KEY_FORMATS: readonly KeyFormat[] = [
  {
    kind: "anthropic-key",
    pattern: /(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,}/g,
    prefix: /^sk-ant-/,
  },
  {
    kind: "openai-key",
    pattern: /(?<![A-Za-z0-9_-])sk-(?!ant-)(?:proj-)?[A-Za-z0-9_-]{20,}/g,
    prefix: /^sk-(?:proj-)?/,
    // Random keys always mix letters and digits; slugs such as `sk-learn-pipeline-examples` do not.
    accept: (match) => /\d/.test(match) && /[A-Za-z]/.test(match.slice(3)),
  },
  {
    kind: "github-token",
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})/g,
    prefix: /^(?:gh[pousr]_|github_pat_)/,
  },
  {
    kind: "slack-token",
    pattern: /(?<![A-Za-z0-9_-])xox[abpors]-[A-Za-z0-9-]{10,}/g,
    prefix: /^xox[abpors]-/,
  },
  {
    kind: "aws-access-key",
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/g,
    prefix: /^(?:AKIA|ASIA)/,
  },
  {
    kind: "private-key",
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g,
    // The PEM header names the key type and holds nothing secret; the key body is never shown.
    prefix: /^[\s\S]*$/,
  },
];

/** The secret part must be at least this long before its last 4 characters may be shown. */
const MIN_LENGTH_FOR_TAIL = 16;
const TAIL_LENGTH = 4;

/**
 * `sk-ant-…a1b2`: a known prefix (never part of the secret) and the last 4 characters, enough to
 * tell which key it is; nothing at all of a short value, where 4 characters are a good share of it.
 */
export function maskCredential(value: string, prefix = ""): string {
  const secret = value.slice(prefix.length);
  const tail = secret.length >= MIN_LENGTH_FOR_TAIL ? secret.slice(-TAIL_LENGTH) : "";
  return `${prefix}…${tail}`;
}

/** Every well-known credential in `text`, in order of appearance. */
export function findKeyFormats(text: string): KeyMatch[] {
  const matches: KeyMatch[] = [];
  for (const format of KEY_FORMATS) {
    for (const match of text.matchAll(format.pattern)) {
      const value = match[0];
      if (format.accept && !format.accept(value)) continue;
      const prefix = format.prefix.exec(value)?.[0] ?? "";
      const preview = format.kind === "private-key" ? `${value}…` : maskCredential(value, prefix);
      matches.push({ kind: format.kind, start: match.index, end: match.index + value.length, preview });
    }
  }
  return matches.sort((a, b) => a.start - b.start);
}
