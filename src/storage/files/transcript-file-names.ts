import { isEphemeralSessionKey } from "../../sessions/session-key.js";

/** Stateless requests of one UTC day share `requests-<day>.jsonl` (see StoredTranscript). */
const REQUEST_FILE = /^requests-(\d{4}-\d{2}-\d{2})\.jsonl$/;
export const REQUEST_FILE_PREFIX = "requests-";
const EXTENSION = ".jsonl";

/** Session keys become file names: anything outside a safe set is percent-encoded, so no key can name a path. */
export function sessionFileName(sessionKey: string): string {
  const encoded = sessionKey.replace(/[^A-Za-z0-9_.:@-]/g, (character) =>
    [...Buffer.from(character, "utf8")]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)
      .join(""),
  );
  // ":" is fine on POSIX but a leading "." would hide the file, so guard it; and a key spelled
  // like the day files of stateless requests must not be taken for one (retention deletes those).
  if (encoded.startsWith(".")) return `%2E${encoded.slice(1)}${EXTENSION}`;
  if (encoded.startsWith(REQUEST_FILE_PREFIX)) return `%72${encoded.slice(1)}${EXTENSION}`;
  return `${encoded}${EXTENSION}`;
}

/** The key a session file holds; undefined for a name no key encodes to (someone else's file). */
export function sessionKeyOfFileName(fileName: string): string | undefined {
  try {
    return decodeURIComponent(fileName.slice(0, -EXTENSION.length));
  } catch {
    return undefined;
  }
}

const DAY_MS = 86_400_000;
/** The last day's file name: every stateless turn asks, and it changes once a day. */
let requestFile = { day: Number.NaN, name: "" };

/** The file a session's entries go to: its own, or the day's shared file of stateless requests. */
export function transcriptFileNameFor(sessionKey: string, now: number): string {
  if (!isEphemeralSessionKey(sessionKey)) return sessionFileName(sessionKey);
  const day = Math.floor(now / DAY_MS);
  if (day !== requestFile.day) {
    requestFile = {
      day,
      name: `${REQUEST_FILE_PREFIX}${new Date(now).toISOString().slice(0, 10)}${EXTENSION}`,
    };
  }
  return requestFile.name;
}

export type TranscriptFileKind = { kind: "session" } | { kind: "requests"; day: string } | undefined;

/**
 * What a name in the sessions directory is. Hidden names are writers' temporary files, and
 * anything not `.jsonl` is not a transcript: neither is listed, weighed or removed.
 */
export function transcriptFileKind(fileName: string): TranscriptFileKind {
  if (fileName.startsWith(".") || !fileName.endsWith(EXTENSION)) return undefined;
  const day = REQUEST_FILE.exec(fileName)?.[1];
  if (day !== undefined) return { kind: "requests", day };
  // A malformed request file name is left alone rather than taken for a session.
  if (fileName.startsWith(REQUEST_FILE_PREFIX)) return undefined;
  return { kind: "session" };
}
