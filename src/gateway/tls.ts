import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFile, rename } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { generateSelfSignedCertificate, tlsPaths } from "../auth/index.js";
import { writeFileAtomic } from "../config/atomic-write.js";
import type { OpenClawConfig } from "../config/index.js";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";

export interface TlsMaterial {
  cert: string;
  key: string;
  /** Where the certificate is, so that the CLI on this host can trust it. */
  certPath: string;
  fingerprint256: string;
  selfSigned: boolean;
}

const SELF_SIGNED_DAYS = 825;

async function readPem(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new OpenClawError("OC_ERR_CONFIG_INVALID", `cannot read the TLS ${what} ${path}`, {
      hint: `check gateway.tls.${what === "certificate" ? "certPath" : "keyPath"}`,
      cause: error,
    });
  }
}

/** Why a certificate and key cannot be served together, or undefined when they can. */
function pairProblem(cert: string, key: string): string | undefined {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    return cert.trim() === "" ? "the certificate file is empty" : "the certificate is not a PEM certificate";
  }
  try {
    if (!certificate.checkPrivateKey(createPrivateKey(key)))
      return "the key does not belong to the certificate";
  } catch {
    return key.trim() === "" ? "the key file is empty" : "the key is not a PEM private key";
  }
  return undefined;
}

/** Names a self-signed certificate answers to: loopback, this host, and the bind address. */
function altNames(host: string): string[] {
  const names = new Set(["localhost", "127.0.0.1", "::1", hostname()]);
  if (host !== "0.0.0.0" && host !== "::" && host !== "") names.add(host);
  return [...names];
}

type GeneratedPair =
  | { kind: "missing" }
  | { kind: "valid"; cert: string; key: string }
  /** Present but unusable (empty, torn, mismatched, half of a pair): set aside and replaced. */
  | { kind: "unusable"; reason: string };

async function readGeneratedPair(certPath: string, keyPath: string): Promise<GeneratedPair> {
  const read = async (path: string) => {
    try {
      return await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw new OpenClawError(
        "OC_ERR_STATE_FILE",
        `cannot read ${path} (${(error as NodeJS.ErrnoException).code})`,
        {
          hint: `the state dir's tls/ files must be the gateway user's: chown -R $(id -u) ${dirname(certPath)}`,
          details: { path },
          cause: error,
        },
      );
    }
  };
  const [cert, key] = [await read(certPath), await read(keyPath)];
  if (cert === undefined && key === undefined) return { kind: "missing" };
  if (cert === undefined) return { kind: "unusable", reason: "the certificate file is missing" };
  if (key === undefined) return { kind: "unusable", reason: "the key file is missing" };
  const problem = pairProblem(cert, key);
  return problem ? { kind: "unusable", reason: problem } : { kind: "valid", cert, key };
}

/**
 * The certificate the gateway serves, if `gateway.tls.enabled`: the configured files, or with
 * `autoGenerate` a self-signed one created once in `<stateDir>/tls` (key 0600) and reused.
 * Configured files that cannot be served are refused (they are the operator's to fix). A
 * generated pair that cannot be served (empty, torn, mismatched) cannot have been trusted by
 * anyone in that state, so it is kept aside (`*.broken-<time>`) and a new one generated, with a
 * warning that names the new fingerprint.
 */
export async function loadTls(
  config: OpenClawConfig,
  stateDir: string,
  configDir: string,
  host: string,
  logger?: Pick<Logger, "warn">,
): Promise<TlsMaterial | undefined> {
  const tls = config.gateway.tls;
  if (!tls.enabled) return undefined;
  const paths = tlsPaths(config, configDir, stateDir);
  if (!paths.generated) {
    const { certPath, keyPath } = paths;
    if (!certPath || !keyPath) {
      throw new OpenClawError("OC_ERR_CONFIG_INVALID", "gateway.tls needs both certPath and keyPath", {
        hint: "set both, or neither with autoGenerate: true for a self-signed certificate",
      });
    }
    const cert = await readPem(certPath, "certificate");
    const key = await readPem(keyPath, "key");
    const problem = pairProblem(cert, key);
    if (problem) {
      throw new OpenClawError("OC_ERR_CONFIG_INVALID", `TLS: ${problem} (${certPath}, ${keyPath})`, {
        hint: "point gateway.tls.certPath and keyPath at a PEM certificate and the private key it was issued for",
        details: { certPath, keyPath },
      });
    }
    return {
      cert,
      key,
      certPath,
      fingerprint256: new X509Certificate(cert).fingerprint256,
      selfSigned: false,
    };
  }
  if (!tls.autoGenerate) {
    throw new OpenClawError(
      "OC_ERR_CONFIG_INVALID",
      "gateway.tls.enabled is true but no certificate is set",
      {
        hint: "set gateway.tls.certPath and keyPath, or autoGenerate: true for a self-signed certificate",
      },
    );
  }
  const certPath = paths.certPath as string;
  const keyPath = paths.keyPath as string;
  const existing = await readGeneratedPair(certPath, keyPath);
  if (existing.kind === "valid") {
    const fingerprint256 = new X509Certificate(existing.cert).fingerprint256;
    return { cert: existing.cert, key: existing.key, certPath, fingerprint256, selfSigned: true };
  }
  let setAside: string[] = [];
  if (existing.kind === "unusable") setAside = await setAsidePair([certPath, keyPath]);
  const generated = generateSelfSignedCertificate({
    commonName: "openclaw-gateway",
    altNames: altNames(host),
    days: SELF_SIGNED_DAYS,
  });
  // The key first: a start that finds a key without its certificate makes a new pair.
  await writeFileAtomic(keyPath, generated.keyPem, 0o600);
  await writeFileAtomic(certPath, generated.certPem, 0o644);
  if (existing.kind === "unusable") {
    logger?.warn(
      { reason: existing.reason, keptAside: setAside, fingerprint256: generated.fingerprint256 },
      `the self-signed TLS certificate in ${certPath} could not be used (${existing.reason}): a new one was generated; clients that pinned the old fingerprint must trust the new one`,
    );
  }
  return {
    cert: generated.certPem,
    key: generated.keyPem,
    certPath,
    fingerprint256: generated.fingerprint256,
    selfSigned: true,
  };
}

/** Renames what exists of a broken pair to `<name>.broken-<time>`, for a look later. */
async function setAsidePair(paths: string[]): Promise<string[]> {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const moved: string[] = [];
  for (const path of paths) {
    const target = `${path}.broken-${stamp}`;
    try {
      await rename(path, target);
      moved.push(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return moved;
}
