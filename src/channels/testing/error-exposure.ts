import { inspect } from "node:util";

/**
 * Everything an error exposes: message, stack, own fields (hidden ones too), the cause chain,
 * its JSON. A secret absent from this string is absent from any log or answer the error reaches.
 */
export function everythingIn(error: unknown): string {
  const parts = [inspect(error, { depth: 20, showHidden: true }), JSON.stringify(error)];
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    parts.push(current.message, current.stack ?? "", JSON.stringify(current));
  }
  return parts.join("\n");
}

/** What `promise` rejected with; a test failure when it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}
