import { resolveAuthMode } from "../auth/index.js";
import type { OpenClawConfig } from "../config/index.js";
import { isLoopbackAddress } from "../gateway/client-address.js";
import { type Diagnostic, fail, ok, warn } from "./diagnostic.js";
import type { AuthCredentialFact } from "./facts.js";

const ID = "bind-exposure";
/** A token is machine-made: 32 characters is about 190 bits in base64. The generated one has 43. */
export const MIN_TOKEN_LENGTH = 32;
/** A password is typed by people; the rate limiter slows guessing, it does not stop it. */
export const MIN_PASSWORD_LENGTH = 12;

const COMMON_PASSWORDS = new Set([
  "password",
  "password1",
  "changeme",
  "admin",
  "letmein",
  "qwerty",
  "123456",
  "12345678",
  "openclaw",
  "secret",
  "token",
]);

/** Why a credential value is easy to guess, or undefined. Only its shape is kept, never the value. */
export function credentialWeakness(field: "token" | "password", value: string): string | undefined {
  if (COMMON_PASSWORDS.has(value.toLowerCase())) return "a common password";
  if (/^(.)\1*$/.test(value)) return "one character repeated";
  const minimum = field === "token" ? MIN_TOKEN_LENGTH : MIN_PASSWORD_LENGTH;
  if (value.length < minimum) return `only ${value.length} characters (at least ${minimum} wanted)`;
  return undefined;
}

function isLoopbackHost(host: string): boolean {
  return host === "localhost" || isLoopbackAddress(host);
}

function describeHost(host: string): string {
  return host === "0.0.0.0" || host === "::" ? `${host} (every interface)` : host;
}

/**
 * Listening beyond loopback means anyone on the network can try the door: the auth must be
 * real (not "none", not a short or common secret), and a token or password should not cross the
 * network in cleartext. Behind a trusted proxy the proxy authenticates and terminates TLS.
 */
export function checkBindExposure(
  config: OpenClawConfig | undefined,
  credential: AuthCredentialFact | undefined,
  listenHost?: string,
): Diagnostic[] {
  if (!config) return [];
  const host = listenHost ?? config.gateway.host;
  const mode = resolveAuthMode(config);
  if (isLoopbackHost(host)) return [ok(ID, `gateway listens on ${host} (loopback only), auth mode ${mode}`)];
  const where = `gateway listens on ${describeHost(host)}`;
  if (mode === "none") {
    return [
      fail(
        ID,
        `${where} with gateway.auth.mode "none": anyone who can reach it could drive the agents (the gateway refuses to start so)`,
        'listen on loopback ("gateway": { "host": "127.0.0.1" }), or use token auth: remove gateway.auth.mode (token is the default)',
      ),
    ];
  }
  if (mode === "trusted-proxy") return [ok(ID, `${where}; users are authenticated by the trusted proxy`)];
  const findings: Diagnostic[] = [];
  if (credential?.weakness) {
    const source =
      credential.origin === "secret"
        ? "its external secret"
        : `gateway.auth.${credential.field} in openclaw.json`;
    findings.push(
      fail(
        ID,
        `${where} and its ${credential.field} is weak: ${credential.weakness}; it can be guessed from the network`,
        credential.field === "token"
          ? `use a long random token: openssl rand -base64 32 > /etc/openclaw/secrets/gateway.token (chmod 600), referenced as { "$secret": "<name>" } ` +
              `instead of ${source}; or remove gateway.auth.token to have one generated`
          : `use a password of at least ${MIN_PASSWORD_LENGTH} characters that is not a common word (from ${source}), or switch to token auth`,
      ),
    );
  }
  if (!config.gateway.tls.enabled) {
    findings.push(
      warn(
        ID,
        `${where} without TLS: the ${mode} crosses the network in cleartext`,
        'turn TLS on ("gateway": { "tls": { "enabled": true, "autoGenerate": true } }, or certPath and keyPath), or put a TLS proxy in front',
      ),
    );
  }
  if (findings.length > 0) return findings;
  return [ok(ID, `${where}, auth mode ${mode} with a strong ${credential?.field ?? mode}, TLS on`)];
}
