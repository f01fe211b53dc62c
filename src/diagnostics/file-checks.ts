import { chmod } from "node:fs/promises";
import { loadOrCreateGatewayToken, resolveAuthMode } from "../auth/index.js";
import type { OpenClawConfig } from "../config/index.js";
import { type Diagnostic, fail, formatMode, ok, plural, warn } from "./diagnostic.js";
import type { DoctorFacts, GatewayFact, GatewayTokenFact, SecretFileFact } from "./facts.js";

const ID = "secret-file-permissions";
const ID_TOKEN = "gateway-token";

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
 * ahead of the first start is safe, and so is replacing an empty file (it holds no token anyone
 * could know); regenerating it under a running gateway is not (the gateway keeps the token it
 * loaded, and the file would then lie), so that case only advises a restart. A file holding
 * anything else may hold a token clients use: doctor names it and never touches it.
 */
export function checkGatewayToken(
  config: OpenClawConfig | undefined,
  token: GatewayTokenFact,
  gateway: GatewayFact,
  stateDir: string,
): Diagnostic[] {
  if (!config || resolveAuthMode(config) !== "token" || config.gateway.auth.token !== undefined) return [];
  const running = gateway.state !== "stopped";
  const restart = "restart the gateway: openclaw gateway stop && openclaw gateway start";
  const generate = (action: string) => ({
    safeFix: {
      action,
      apply: async () => {
        await loadOrCreateGatewayToken(stateDir);
      },
    },
  });
  switch (token.kind) {
    case "valid": {
      const inUse = gateway.state === "stopped" ? undefined : gateway.tokenFingerprint;
      if (inUse && inUse !== token.fingerprint) {
        return [
          fail(
            ID_TOKEN,
            `gateway token file ${token.path} holds another token than the one the running gateway accepts: it was changed after the start, and openclaw gateway token prints a token clients are refused with`,
            `${restart} (it then uses the file's token)`,
          ),
        ];
      }
      return [ok(ID_TOKEN, `gateway token: generated, in ${token.path}`)];
    }
    case "malformed":
    case "unreadable":
      return [
        fail(
          ID_TOKEN,
          `gateway token file ${token.path} ${token.kind === "malformed" ? "does not hold a generated token" : "cannot be read"}: ${token.reason}; the gateway refuses to start with it`,
          token.kind === "malformed"
            ? `if clients use what it holds, set it as gateway.auth.token (a $secret) and remove the file; otherwise: rm ${token.path} && openclaw gateway start`
            : `chown $(id -u) ${token.path} && chmod 600 ${token.path}`,
        ),
      ];
    case "empty":
      if (running) {
        return [
          fail(
            ID_TOKEN,
            `gateway token file ${token.path} is empty while the gateway runs: clients cannot learn the token it accepts`,
            `${restart} (an empty file is replaced by a new token, saved before use)`,
          ),
        ];
      }
      return [
        warn(
          ID_TOKEN,
          `gateway token file ${token.path} is empty (a write cut short): it holds no token`,
          "openclaw doctor --fix (or the next start) generates and saves a new one; openclaw gateway token prints it",
          generate(`replaced the empty gateway token file ${token.path} with a new token (mode 0600)`),
        ),
      ];
    case "missing":
      if (running) {
        return [
          warn(
            ID_TOKEN,
            `gateway token file ${token.path} is gone while the gateway runs: it still accepts the old token, which openclaw gateway token can no longer show`,
            `${restart} to generate a new one`,
          ),
        ];
      }
      return [
        warn(
          ID_TOKEN,
          `no gateway token yet (${token.path}): the gateway generates one on its first start`,
          "openclaw doctor --fix generates it now (256 random bits, mode 0600); openclaw gateway token prints it",
          generate(`generated a gateway token in ${token.path} (mode 0600)`),
        ),
      ];
  }
}

export function checkFiles(facts: DoctorFacts): Diagnostic[] {
  return [
    ...checkSecretFiles(facts.secretFiles, facts.uid),
    ...checkGatewayToken(facts.config?.config, facts.gatewayToken, facts.gateway, facts.stateDir),
  ];
}
