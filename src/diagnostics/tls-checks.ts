import { type Diagnostic, fail, ok, warn } from "./diagnostic.js";
import type { TlsFact } from "./facts.js";

const ID = "tls-certificate";
/** Renewal is due when fewer days than this are left. */
export const TLS_EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 24 * 60 * 60_000;

function renewFix(tls: TlsFact): string {
  if (tls.generated) {
    return `delete ${tls.certPath} and ${tls.keyPath}, then restart the gateway: it generates a new self-signed certificate`;
  }
  return `renew it (e.g. certbot renew), write it to ${tls.certPath}, then restart the gateway`;
}

/** The certificate the gateway serves: readable, matching its key, and not about to expire. */
export function checkTlsCertificate(tls: TlsFact | undefined, now: number): Diagnostic[] {
  if (!tls) return [];
  if (tls.error) {
    return [
      fail(
        ID,
        `TLS: ${tls.error}`,
        tls.generated
          ? "delete the state dir's tls/ files and restart the gateway to generate new ones"
          : "check gateway.tls.certPath and keyPath: PEM files readable by the gateway user",
      ),
    ];
  }
  if (tls.notCreatedYet) {
    return [ok(ID, "TLS: a self-signed certificate is generated on the gateway's first start")];
  }
  if (tls.keyMatches === false) {
    return [
      fail(
        ID,
        `TLS: the key ${tls.keyPath} does not belong to the certificate ${tls.certPath}`,
        "set gateway.tls.keyPath to the private key the certificate was issued for",
      ),
    ];
  }
  const validTo = Date.parse(tls.validTo ?? "");
  const validFrom = Date.parse(tls.validFrom ?? "");
  const daysLeft = Math.floor((validTo - now) / DAY_MS);
  if (validTo <= now) {
    return [
      fail(
        ID,
        `TLS certificate ${tls.certPath} expired on ${new Date(validTo).toISOString()}: clients refuse the connection`,
        renewFix(tls),
      ),
    ];
  }
  if (validFrom > now) {
    return [
      fail(
        ID,
        `TLS certificate ${tls.certPath} is not valid before ${new Date(validFrom).toISOString()}`,
        "check this host's clock, or use a certificate that is valid now",
      ),
    ];
  }
  if (daysLeft < TLS_EXPIRY_WARNING_DAYS) {
    return [
      warn(
        ID,
        `TLS certificate ${tls.certPath} expires in ${daysLeft} days (${new Date(validTo).toISOString()})`,
        renewFix(tls),
      ),
    ];
  }
  return [ok(ID, `TLS certificate ${tls.certPath} valid for ${daysLeft} more days`)];
}
