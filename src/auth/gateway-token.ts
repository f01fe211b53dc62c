import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../config/atomic-write.js";
import { OpenClawError } from "../errors.js";

/** 32 random bytes, unpadded base64url: exactly what `loadOrCreateGatewayToken` writes. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const TOKEN_LENGTH = 43;

/** Where token mode keeps the token it generated when none is configured. */
export function gatewayTokenPath(stateDir: string): string {
  return join(stateDir, "gateway-token");
}

/** What the token file holds, judged before anything trusts it. */
export type GatewayTokenFile =
  | { kind: "missing"; path: string }
  /** Zero bytes, whitespace or NULs only: what a write cut short leaves. It holds no token. */
  | { kind: "empty"; path: string }
  | { kind: "valid"; path: string; token: string }
  /** Something that is not a token this gateway generated: it may be one a client holds. */
  | { kind: "malformed"; path: string; reason: string }
  | { kind: "unreadable"; path: string; reason: string };

export async function inspectGatewayTokenFile(stateDir: string): Promise<GatewayTokenFile> {
  const path = gatewayTokenPath(stateDir);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { kind: "missing", path };
    return { kind: "unreadable", path, reason: code ?? String(error) };
  }
  // A file whose size reached the disk before its data (ext4, XFS after a power cut) reads as NULs.
  const text = bytes.toString("utf8").replace(/\0/g, "");
  const token = text.trim();
  if (token === "") return { kind: "empty", path };
  if (TOKEN_PATTERN.test(token)) return { kind: "valid", path, token };
  return { kind: "malformed", path, reason: malformedReason(bytes, token) };
}

function malformedReason(bytes: Buffer, token: string): string {
  if (bytes.includes(0) || !Buffer.from(bytes.toString("utf8"), "utf8").equals(bytes))
    return "it holds binary data";
  if (/\s/.test(token)) return "it holds more than one word";
  if (!/^[A-Za-z0-9_-]*$/.test(token))
    return "it has characters a generated token never has (A-Z, a-z, 0-9, - and _ only)";
  return `a generated token has ${TOKEN_LENGTH} characters, this one ${token.length}${token.length < TOKEN_LENGTH ? " (a write cut short?)" : ""}`;
}

/** The typed error for a token file that cannot be used as it is; says how to recover. */
export function gatewayTokenFileError(file: GatewayTokenFile): OpenClawError | undefined {
  if (file.kind === "malformed") {
    return new OpenClawError(
      "OC_ERR_STATE_FILE",
      `the gateway token file ${file.path} does not hold a token the gateway generated: ${file.reason}`,
      {
        hint:
          `if your clients use what it holds, configure it instead (gateway.auth.token as a $secret) and remove the file; ` +
          `otherwise remove it and a new token is generated on the next start: rm ${file.path} && openclaw gateway start, then openclaw gateway token`,
        details: { path: file.path },
      },
    );
  }
  if (file.kind === "unreadable") {
    return new OpenClawError(
      "OC_ERR_STATE_FILE",
      `cannot read the gateway token file ${file.path} (${file.reason})`,
      {
        hint: `it must be a file the gateway's user owns: chown $(id -u) ${file.path} && chmod 600 ${file.path}`,
        details: { path: file.path },
      },
    );
  }
  return undefined;
}

/**
 * The generated token, if the file holds one; undefined when it is missing or empty. Throws for
 * a file that holds something else, rather than hand out a token no gateway accepts.
 */
export async function readGatewayToken(stateDir: string): Promise<string | undefined> {
  const file = await inspectGatewayTokenFile(stateDir);
  if (file.kind === "valid") return file.token;
  const error = gatewayTokenFileError(file);
  if (error) throw error;
  return undefined;
}

export interface LoadedGatewayToken {
  token: string;
  /** `replaced-empty`: the file was empty (a write cut short) and now holds a new token. */
  origin: "existing" | "created" | "replaced-empty";
}

/**
 * The generated token: created once (256 random bits, owner-only file) so that a fresh gateway
 * is never open; `openclaw gateway token` prints it. It is saved (atomically, fsynced) before it
 * is used, so the token the gateway accepts is always the one on disk. An empty file holds no
 * token, so a new one replaces it; a file with anything else in it may hold a token that
 * clients use, and is refused instead of being silently replaced.
 */
export async function loadOrCreateGatewayToken(stateDir: string): Promise<LoadedGatewayToken> {
  const file = await inspectGatewayTokenFile(stateDir);
  if (file.kind === "valid") return { token: file.token, origin: "existing" };
  const error = gatewayTokenFileError(file);
  if (error) throw error;
  const token = randomBytes(32).toString("base64url");
  if (file.kind === "missing") {
    try {
      await writeFileAtomic(file.path, `${token}\n`, 0o600, { exclusive: true });
      return { token, origin: "created" };
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code !== "EEXIST") throw writeError;
      // Another process created it first: use theirs (or judge it like any other file).
      const theirs = await readGatewayToken(stateDir);
      if (theirs) return { token: theirs, origin: "existing" };
      return loadOrCreateGatewayToken(stateDir);
    }
  }
  await writeFileAtomic(file.path, `${token}\n`, 0o600);
  // Whatever is on disk now is the token clients will be shown; use exactly that.
  const saved = await readGatewayToken(stateDir);
  if (saved === undefined) {
    throw new OpenClawError(
      "OC_ERR_STATE_FILE",
      `the gateway token file ${file.path} was emptied while written`,
      {
        hint: "something else writes to the state dir; stop it, then start the gateway again",
        details: { path: file.path },
      },
    );
  }
  return { token: saved, origin: "replaced-empty" };
}

/**
 * A short digest of a token, recorded in gateway.json so that `openclaw gateway token` can tell
 * whether the file still holds the token the running gateway accepts. Not reversible.
 */
export function gatewayTokenFingerprint(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 16);
}
