import { redactSecrets } from "./irc-account-options.js";

/**
 * What a failed connection says, for the operator: the server's own words and the socket's
 * error code, always scrubbed of the account's secrets (a server may echo a line back).
 */

/** How servers word a refused server password in the ERROR they close with. */
export const PASSWORD_REFUSAL = /\bpass(?:word|wd)?\b/i;

/**
 * The codes Node gives a failed certificate check (`DEPTH_ZERO_SELF_SIGNED_CERT`,
 * `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `CERT_HAS_EXPIRED`, `ERR_TLS_CERT_ALTNAME_INVALID`), not
 * the `ERR_SSL_…` of a handshake that broke for other reasons.
 */
const CERTIFICATE_REFUSAL = /^(?!ERR_SSL_).*(?:CERT|SIGNATURE|ISSUER|INVALID_CA|HOSTNAME_MISMATCH)/;

export function describeEarlyClose(
  where: string,
  socketError: Error | undefined,
  serverError: string | undefined,
  secrets: readonly string[],
): string {
  if (serverError) return `${where} closed the connection: ${serverError}`;
  if (socketError) return `${where}: ${socketErrorText(socketError, secrets)}`;
  return `${where} closed the connection before registering it`;
}

export function socketErrorText(error: Error, secrets: readonly string[]): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ECONNREFUSED") return "connection refused (ECONNREFUSED)";
  if (code && CERTIFICATE_REFUSAL.test(code)) {
    return `the server's TLS certificate was refused (${code}: ${describeError(error, secrets)}); trust the server's CA, or give the server a certificate for this host from a trusted CA`;
  }
  return describeError(error, secrets);
}

export function describeError(error: unknown, secrets: readonly string[]): string {
  return redactSecrets(error instanceof Error ? error.message : String(error), secrets);
}
