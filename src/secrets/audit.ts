import type { Dirent } from "node:fs";
import { open, readdir, readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import JSON5 from "json5";
import { formatConfigPath } from "../config/config-path.js";
import { expandDottedKeys, isDottedKey, splitDottedKey } from "../config/dotted-keys.js";
import { isCredentialKey } from "../config/redact.js";
import { lineColumnAt, parseSourceTree, type SourceNode } from "../config/source-tree.js";
import { findKeyFormats, type KeyFormatKind, type KeyMatch, maskCredential } from "./key-formats.js";

export type AuditFindingKind = "credential-field" | KeyFormatKind;

export interface AuditFinding {
  file: string;
  /** 1-based. */
  line: number;
  /** Config path of the value, for findings in the config file. */
  path?: string;
  kind: AuditFindingKind;
  /** Masked: a known prefix and at most the last 4 characters; never the value. */
  preview: string;
}

export type AuditSkipReason = "too-large" | "binary" | "unreadable" | "file-limit";

export interface AuditOptions {
  configPath: string;
  stateDir: string;
  /** Files not to scan, besides the config file and the files of declared file secrets. */
  ignorePaths?: readonly string[];
  maxFiles?: number;
  /** A file that was not scanned, so that the caller can say the audit is incomplete. */
  onSkip?: (file: string, reason: AuditSkipReason) => void;
}

/** Transcripts are small; a bigger file is a model, a database or an archive. */
export const AUDIT_MAX_FILE_BYTES = 5 * 1024 * 1024;
export const AUDIT_MAX_FILES = 10_000;
/** Like git: a NUL byte in the first 8 KiB means binary. */
const BINARY_SNIFF_BYTES = 8 * 1024;

interface StringValue {
  segments: (string | number)[];
  start: number;
  end: number;
  value: string;
}

/** Every string scalar of the document with its config path; top-level dotted keys are split. */
function stringValues(text: string, root: SourceNode): StringValue[] {
  const found: StringValue[] = [];
  const walk = (node: SourceNode, segments: (string | number)[]): void => {
    if (node.kind === "object") {
      for (const member of node.members) {
        const keySegments =
          segments.length === 0 && isDottedKey(member.key) ? splitDottedKey(member.key) : [member.key];
        walk(member.value, [...segments, ...keySegments]);
      }
    } else if (node.kind === "array") {
      for (const [index, item] of node.items.entries()) walk(item, [...segments, index]);
    } else {
      const value: unknown = JSON5.parse(text.slice(node.start, node.end));
      if (typeof value === "string") found.push({ segments, start: node.start, end: node.end, value });
    }
  };
  walk(root, []);
  return found;
}

/** Whether a string sits at a field that holds a credential (the `$secret` of a reference names one). */
function isCredentialField(segments: (string | number)[]): boolean {
  const last = segments.at(-1);
  return typeof last === "string" && last !== "$secret" && isCredentialKey(last);
}

function keyFinding(file: string, line: number, match: KeyMatch, path?: string): AuditFinding {
  const finding: AuditFinding = { file, line, kind: match.kind, preview: match.preview };
  if (path !== undefined) finding.path = path;
  return finding;
}

/** Declared file secrets, resolved like the store resolves them: they are meant to hold keys. */
function declaredSecretFiles(raw: unknown, configDir: string): string[] {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return [];
  const secrets = expandDottedKeys(raw as Record<string, unknown>).value.externalSecrets;
  if (typeof secrets !== "object" || secrets === null) return [];
  return Object.values(secrets).flatMap((declaration: unknown) => {
    const entry = declaration as { source?: unknown; path?: unknown } | null;
    return entry?.source === "file" && typeof entry.path === "string" ? [resolve(configDir, entry.path)] : [];
  });
}

async function auditConfigFile(
  configPath: string,
  onSkip: AuditOptions["onSkip"],
): Promise<{ findings: AuditFinding[]; secretFiles: string[] }> {
  let text: string;
  try {
    text = await readFile(configPath, "utf8");
  } catch (error) {
    // No config file is a valid setup (built-in defaults), not an incomplete audit.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") onSkip?.(configPath, "unreadable");
    return { findings: [], secretFiles: [] };
  }
  // A BOM becomes a space so that offsets, and so line numbers, stay those of the file.
  if (text.startsWith("\uFEFF")) text = ` ${text.slice(1)}`;
  const lineOf = (offset: number) => lineColumnAt(text, offset).line;
  const keyMatches = findKeyFormats(text);

  let raw: unknown;
  let values: StringValue[] = [];
  try {
    raw = JSON5.parse(text);
    values = stringValues(text, parseSourceTree(text));
  } catch {
    // Unparseable: the key shapes found in the raw text are still worth reporting.
  }

  const findings: AuditFinding[] = [];
  const placed = new Set<KeyMatch>();
  for (const entry of values) {
    const inside = keyMatches.filter((match) => match.start >= entry.start && match.end <= entry.end);
    const path = formatConfigPath(entry.segments);
    for (const match of inside) {
      placed.add(match);
      findings.push(keyFinding(configPath, lineOf(match.start), match, path));
    }
    if (inside.length === 0 && entry.value !== "" && isCredentialField(entry.segments)) {
      findings.push({
        file: configPath,
        line: lineOf(entry.start),
        path,
        kind: "credential-field",
        preview: maskCredential(entry.value),
      });
    }
  }
  // Keys in comments, or anywhere in a file that did not parse.
  for (const match of keyMatches) {
    if (!placed.has(match)) findings.push(keyFinding(configPath, lineOf(match.start), match));
  }
  findings.sort((a, b) => a.line - b.line);
  return { findings, secretFiles: declaredSecretFiles(raw, dirname(configPath)) };
}

/** 1-based line of each match, counting "\n" once (a "\r\n" file has the same line numbers). */
function linesOf(text: string, matches: KeyMatch[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let position = 0;
  for (const match of matches) {
    for (; position < match.start; position += 1) if (text.charCodeAt(position) === 10) line += 1;
    lines.push(line);
  }
  return lines;
}

/** The text of a file worth scanning, or why it is not. */
async function readTextFile(path: string): Promise<string | "too-large" | "binary"> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    if (size > AUDIT_MAX_FILE_BYTES) return "too-large";
    // Read no more than was measured: a log growing meanwhile must not grow the buffer.
    const buffer = Buffer.alloc(size);
    let length = 0;
    while (length < size) {
      const { bytesRead } = await handle.read(buffer, length, size - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (buffer.subarray(0, Math.min(length, BINARY_SNIFF_BYTES)).includes(0)) return "binary";
    return buffer.toString("utf8", 0, length);
  } finally {
    await handle.close();
  }
}

/** Files under `root` in name order. Symlinks are not followed: no loops, no escapes. */
async function* filesUnder(root: string): AsyncGenerator<string> {
  const pending = [root];
  while (pending.length > 0) {
    const directory = pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirectories: string[] = [];
    for (const entry of entries) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) subdirectories.push(path);
      else if (entry.isFile()) yield path;
    }
    pending.push(...subdirectories.reverse());
  }
}

async function auditStateDir(
  stateDir: string,
  ignored: ReadonlySet<string>,
  options: AuditOptions,
): Promise<AuditFinding[]> {
  const findings: AuditFinding[] = [];
  const maxFiles = options.maxFiles ?? AUDIT_MAX_FILES;
  let scanned = 0;
  for await (const file of filesUnder(stateDir)) {
    if (ignored.has(file)) continue;
    if (scanned >= maxFiles) {
      options.onSkip?.(file, "file-limit");
      break;
    }
    scanned += 1;
    let text: string;
    try {
      const content = await readTextFile(file);
      if (content === "too-large" || content === "binary") {
        options.onSkip?.(file, content);
        continue;
      }
      text = content;
    } catch {
      options.onSkip?.(file, "unreadable");
      continue;
    }
    const matches = findKeyFormats(text);
    const lines = linesOf(text, matches);
    matches.forEach((match, index) => {
      findings.push(keyFinding(file, lines[index] as number, match));
    });
  }
  return findings;
}

/**
 * Plaintext credentials in the config file (credential fields holding a string rather than a
 * `{ "$secret": … }` reference, and well-known key shapes anywhere, comments included) and
 * well-known key shapes in the state directory (a key pasted into a chat ends up in a transcript).
 * Findings carry a masked preview only, so the report itself is safe to print or share.
 */
export async function auditPlaintextCredentials(options: AuditOptions): Promise<AuditFinding[]> {
  const configPath = resolve(options.configPath);
  const config = await auditConfigFile(configPath, options.onSkip);
  const ignored = new Set([
    configPath,
    ...config.secretFiles,
    ...(options.ignorePaths ?? []).map((path) => resolve(path)),
  ]);
  const state = await auditStateDir(resolve(options.stateDir), ignored, options);
  return [...config.findings, ...state];
}
