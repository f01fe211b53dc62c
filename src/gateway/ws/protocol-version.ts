import {
  type ErrorShape,
  MIN_CLIENT_PROTOCOL_VERSION,
  MIN_NODE_PROTOCOL_VERSION,
  MIN_PROBE_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
} from "./frames.js";

export interface VersionOffer {
  minProtocol: number;
  maxProtocol: number;
  role: string;
  clientMode: string;
}

export type VersionVerdict = { ok: true; protocol: number } | { ok: false; error: ErrorShape };

/**
 * The oldest version this client may use: an exact node (role and mode both "node") or a probe
 * may be one version behind during a rolling upgrade; everyone else speaks the current one.
 */
function oldestAllowed(offer: VersionOffer): number {
  if (offer.role === "node" && offer.clientMode === "node") return MIN_NODE_PROTOCOL_VERSION;
  if (offer.clientMode === "probe") return MIN_PROBE_PROTOCOL_VERSION;
  return MIN_CLIENT_PROTOCOL_VERSION;
}

/**
 * The highest version both sides speak. No overlap is answered with the protocol's
 * PROTOCOL_MISMATCH (and the caller closes with 1002): reference clients stop reconnecting on
 * it, where a dropped socket would have them retry forever.
 */
export function negotiateProtocol(offer: VersionOffer): VersionVerdict {
  const protocol = Math.min(offer.maxProtocol, PROTOCOL_VERSION);
  const floor = Math.max(offer.minProtocol, oldestAllowed(offer));
  if (protocol >= floor) return { ok: true, protocol };
  return {
    ok: false,
    error: {
      code: "INVALID_REQUEST",
      message: `protocol mismatch: this client speaks v${offer.minProtocol}-v${offer.maxProtocol}, this gateway speaks v${oldestAllowed(offer)}-v${PROTOCOL_VERSION} (upgrade the client or the gateway)`,
      details: {
        code: "PROTOCOL_MISMATCH",
        clientMinProtocol: offer.minProtocol,
        clientMaxProtocol: offer.maxProtocol,
        expectedProtocol: PROTOCOL_VERSION,
        minimumProbeProtocol: MIN_PROBE_PROTOCOL_VERSION,
        ocCode: "OC_ERR_PROTOCOL_VERSION",
      },
    },
  };
}
