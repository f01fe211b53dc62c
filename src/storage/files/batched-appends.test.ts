import { describe, expect, it } from "vitest";
import { BatchedAppends } from "./batched-appends.js";

describe("BatchedAppends", () => {
  it("writes the texts of one pass of the event loop together, in call order", async () => {
    const writes: [string, string][] = [];
    const appends = new BatchedAppends(async (fileName, text) => {
      writes.push([fileName, text]);
    });
    const done = [appends.write("a", "1\n"), appends.write("a", "2\n"), appends.write("b", "x\n")];
    await Promise.resolve();
    appends.write("a", "3\n");
    await Promise.all(done);
    expect(writes).toEqual([
      ["a", "1\n2\n3\n"],
      ["b", "x\n"],
    ]);
  });

  it("answers a caller only once its text is written, and fails every caller of a refused batch", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const writes: string[] = [];
    let started!: () => void;
    const writing = new Promise<void>((resolve) => {
      started = resolve;
    });
    const appends = new BatchedAppends(async (_fileName, text) => {
      started();
      await gate;
      if (text.includes("full")) throw new Error("ENOSPC");
      writes.push(text);
    });
    let firstDone = false;
    const first = appends.write("a", "1\n").then(() => {
      firstDone = true;
    });
    await writing;
    // The first write is in flight: these gather behind it, in one batch.
    const refused = Promise.allSettled([appends.write("a", "2\n"), appends.write("a", "full\n")]);
    expect(firstDone).toBe(false);
    expect(appends.isBusy("a")).toBe(true);
    release();
    await first;
    expect(writes).toEqual(["1\n"]);
    const outcomes = await refused;
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "rejected"]);
    expect(writes).toEqual(["1\n"]);
    await appends.idle("a");
    expect(appends.isBusy("a")).toBe(false);
  });
});
