import { CONNECTION_LOST, GatewayRequestError } from "./gateway-client.js";

/** Why a `connect` failed, in words for the sign-in form. */
export function describeSignInFailure(error: unknown): string {
  if (!(error instanceof GatewayRequestError)) return `Sign-in failed: ${String(error)}`;
  if (error.code === "UNAUTHORIZED") {
    return "That token was not accepted by the gateway. Check it and try again (on the gateway's host, openclaw gateway token prints the current one).";
  }
  if (error.code === "UNAVAILABLE" && error.retryAfterMs !== undefined) {
    const minutes = Math.max(1, Math.ceil(error.retryAfterMs / 60_000));
    return `Too many failed sign-ins from this address. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  }
  if (error.code === CONNECTION_LOST) {
    return `Could not reach the gateway (${error.message}). Check that it is running and that this page's address is allowed to connect.`;
  }
  if (error.detailCode === "PROTOCOL_MISMATCH") {
    return `This page and the gateway speak different protocol versions; reload the page. (${error.message})`;
  }
  return `Sign-in failed: ${error.message}`;
}
