import { X509Certificate } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { generateSelfSignedCertificate, tlsPaths } from "../auth/index.js";
import type { OpenClawConfig } from "../config/index.js";
import { OpenClawError } from "../errors.js";

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

/** Names a self-signed certificate answers to: loopback, this host, and the bind address. */
function altNames(host: string): string[] {
  const names = new Set(["localhost", "127.0.0.1", "::1", hostname()]);
  if (host !== "0.0.0.0" && host !== "::" && host !== "") names.add(host);
  return [...names];
}

/**
 * The certificate the gateway serves, if `gateway.tls.enabled`: the configured files, or with
 * `autoGenerate` a self-signed one created once in `<stateDir>/tls` (key 0600) and reused.
 */
export async function loadTls(
  config: OpenClawConfig,
  stateDir: string,
  configDir: string,
  host: string,
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
  const directory = dirname(certPath);
  try {
    const cert = await readFile(certPath, "utf8");
    const key = await readFile(keyPath, "utf8");
    return {
      cert,
      key,
      certPath,
      fingerprint256: new X509Certificate(cert).fingerprint256,
      selfSigned: true,
    };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const generated = generateSelfSignedCertificate({
    commonName: "openclaw-gateway",
    altNames: altNames(host),
    days: SELF_SIGNED_DAYS,
  });
  await writeFile(keyPath, generated.keyPem, { mode: 0o600 });
  await chmod(keyPath, 0o600);
  await writeFile(certPath, generated.certPem, { mode: 0o644 });
  return {
    cert: generated.certPem,
    key: generated.keyPem,
    certPath,
    fingerprint256: generated.fingerprint256,
    selfSigned: true,
  };
}
