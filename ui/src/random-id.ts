/**
 * A random id for request frames, session keys and idempotency keys. `crypto.randomUUID` exists
 * only in secure contexts (https, localhost); `getRandomValues` also works over plain http on a LAN.
 */
export function randomId(bytes = 16): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(values, (value) => value.toString(16).padStart(2, "0")).join("");
}
