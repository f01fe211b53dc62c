import type { Readable } from "node:stream";
import { OpenClawError } from "../../errors.js";

function tooLarge(limit: number): OpenClawError {
  return new OpenClawError("OC_ERR_BODY_TOO_LARGE", `the hook body is larger than ${limit} bytes`, {
    hint: "send a smaller event, or raise hooks.maxBodyBytes",
    details: { maxBodyBytes: limit },
  });
}

/**
 * Reads a hook request's body up to `limit` bytes and parses it as JSON. A declared length over
 * the limit is refused before a byte is read, and a chunked body as soon as it passes the limit,
 * so an oversized event is never buffered whole nor parsed. OpenClaw's generic hooks parse JSON
 * whatever the Content-Type says; an empty body is `{}` (then refused for what it lacks).
 */
export async function readHookBody(
  payload: Readable,
  declaredLength: string | undefined,
  limit: number,
): Promise<unknown> {
  if (declaredLength !== undefined && Number(declaredLength) > limit) throw tooLarge(limit);
  const chunks = await new Promise<Buffer[]>((resolve, reject) => {
    const collected: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size <= limit) {
        collected.push(buffer);
        return;
      }
      // The rest is read and dropped, not left on the socket: the 413 must still reach the sender.
      payload.off("data", onData);
      payload.resume();
      reject(tooLarge(limit));
    };
    payload.on("data", onData);
    payload.once("end", () => resolve(collected));
    payload.once("error", reject);
  });
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "the hook body is not valid JSON", {
      hint: 'send a JSON object, e.g. {"message":"..."}',
    });
  }
}
