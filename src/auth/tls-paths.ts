import { isAbsolute, join, resolve } from "node:path";
import type { OpenClawConfig } from "../config/index.js";

export interface TlsPaths {
  certPath: string | undefined;
  keyPath: string | undefined;
  /** The self-signed pair under `<state>/tls` (neither path configured). */
  generated: boolean;
}

/**
 * Where the gateway's certificate and key are: gateway.tls.certPath/keyPath (relative to the
 * config file), else the self-signed pair in the state dir. The gateway loads from here and
 * `doctor` checks the same files.
 */
export function tlsPaths(config: OpenClawConfig, configDir: string, stateDir: string): TlsPaths {
  const { certPath, keyPath } = config.gateway.tls;
  const fromConfig = (path: string) => (isAbsolute(path) ? path : resolve(configDir, path));
  if (certPath || keyPath) {
    return {
      certPath: certPath ? fromConfig(certPath) : undefined,
      keyPath: keyPath ? fromConfig(keyPath) : undefined,
      generated: false,
    };
  }
  return {
    certPath: join(stateDir, "tls", "gateway-cert.pem"),
    keyPath: join(stateDir, "tls", "gateway-key.pem"),
    generated: true,
  };
}
