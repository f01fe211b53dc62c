import { chmod } from "node:fs/promises";
import { loadOrCreateGatewayToken, resolveAuthMode } from "../auth/index.js";
import type { OpenClawConfig } from "../config/index.js";
import { type Diagnostic, fail, formatMode, ok, plural, warn } from "./diagnostic.js";
import type { DoctorFacts, FileFact, GatewayFact, SecretFileFact } from "./facts.js";

const ID = "secret-file-permissions";

/**
 * Files holding a credential or a private key must be the gateway user's alone (0600): the
 * secret store refuses a looser external secret outright, and the gateway's own files (token,
 * paired nodes, TLS key) are created 0600. `--fix` tightens a file we own; another owner's file
 * is theirs to change.
 */
export function checkSecretFiles(files: SecretFileFact[], uid: number | undefined): Diagnostic[] {
  const present = files.filter((file) => file.exists && !file.isDirectory);
  const findings: Diagnostic[] = [];
  for (const file of present) {
    if (file.mode === undefined || (file.mode & 0o077) === 0) continue;
    const owned = uid === undefined || file.uid === uid;
    findings.push(
      fail(
        ID,
        `${file.label} ${file.path} has mode ${formatMode(file.mode)}: other users can read it`,
        owned ? `chmod 600 ${file.path}` : `as its owner (uid ${file.uid}): chmod 600 ${file.path}`,
        {
          subject: file.path,
          ...(owned
            ? { safeFix: { action: `chmod 600 ${file.path}`, apply: () => chmod(file.path, 0o600) } }
            : {}),
        },
      ),
    );
  }
  if (findings.length > 0) return findings;
  if (present.length === 0) return [];
  return [ok(ID, `secret files: ${plural(present.length, "file")} checked, none readable by other users`)];
}

/**
 * Token mode without a configured token uses one generated into the state dir. Generating it
 * ahead of the first start is safe; regenerating it under a running gateway is not (the gateway
 * keeps the token it loaded, and the file would then lie), so that case only advises a restart.
 */
export function checkGatewayToken(
  config: OpenClawConfig | undefined,
  tokenFile: FileFact,
  gateway: GatewayFact,
  stateDir: string,
): Diagnostic[] {
  if (!config || resolveAuthMode(config) !== "token" || config.gateway.auth.token !== undefined) return [];
  if (tokenFile.exists) return [ok("gateway-token", `gateway token: generated, in ${tokenFile.path}`)];
  if (gateway.state !== "stopped") {
    return [
      warn(
        "gateway-token",
        `gateway token file ${tokenFile.path} is gone while the gateway runs: it still accepts the old token, which openclaw gateway token can no longer show`,
        "restart the gateway to generate a new one: openclaw gateway stop && openclaw gateway start",
      ),
    ];
  }
  return [
    warn(
      "gateway-token",
      `no gateway token yet (${tokenFile.path}): the gateway generates one on its first start`,
      "openclaw doctor --fix generates it now (256 random bits, mode 0600); openclaw gateway token prints it",
      {
        safeFix: {
          action: `generated a gateway token in ${tokenFile.path} (mode 0600)`,
          apply: async () => {
            await loadOrCreateGatewayToken(stateDir);
          },
        },
      },
    ),
  ];
}

export function checkFiles(facts: DoctorFacts): Diagnostic[] {
  return [
    ...checkSecretFiles(facts.secretFiles, facts.uid),
    ...checkGatewayToken(facts.config?.config, facts.gatewayTokenFile, facts.gateway, facts.stateDir),
  ];
}
