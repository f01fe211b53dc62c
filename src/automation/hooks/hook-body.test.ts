import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readHookBody } from "./hook-body.js";

const stream = (...chunks: string[]) => Readable.from(chunks.map((chunk) => Buffer.from(chunk)));

describe("readHookBody", () => {
  it("parses JSON within the limit", async () => {
    await expect(readHookBody(stream('{"message":', '"hi"}'), undefined, 100)).resolves.toEqual({
      message: "hi",
    });
  });

  it("refuses a declared length over the limit before reading", async () => {
    let read = false;
    const body = new Readable({
      read() {
        read = true;
        this.push(null);
      },
    });
    await expect(readHookBody(body, "101", 100)).rejects.toMatchObject({ code: "OC_ERR_BODY_TOO_LARGE" });
    expect(read).toBe(false);
  });

  it("refuses a chunked body as it passes the limit", async () => {
    await expect(readHookBody(stream("a".repeat(60), "a".repeat(60)), undefined, 100)).rejects.toMatchObject({
      code: "OC_ERR_BODY_TOO_LARGE",
    });
  });

  it("reads an empty body as {} and refuses what is not JSON", async () => {
    await expect(readHookBody(stream(""), "0", 100)).resolves.toEqual({});
    await expect(readHookBody(stream("not json"), undefined, 100)).rejects.toMatchObject({
      code: "OC_ERR_BAD_REQUEST",
    });
  });
});
