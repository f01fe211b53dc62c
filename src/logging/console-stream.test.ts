import { describe, expect, it } from "vitest";
import { errnoError } from "../append-only/testing/fake-disk.js";
import { ConsoleStream } from "./console-stream.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

describe("ConsoleStream", () => {
  it("waits out a full pipe (EAGAIN) and writes everything in order", async () => {
    const written: string[] = [];
    let refusals = 2;
    const stream = new ConsoleStream(1, {
      write: (_fd, data, callback) =>
        setImmediate(() => {
          if (refusals-- > 0) return callback(errnoError("EAGAIN"), 0);
          written.push(data.toString());
          callback(null, data.length);
        }),
    });
    stream.write("one\n");
    stream.write("two\n");
    await tick();
    await tick();
    expect(written.join("")).toBe("one\ntwo\n");
    expect(stream.droppedLines).toBe(0);
  });

  it("ends the console copy when stdout is gone (EPIPE): counted, never thrown", async () => {
    const stream = new ConsoleStream(1, {
      write: (_fd, _data, callback) => setImmediate(() => callback(errnoError("EPIPE"), 0)),
    });
    stream.write("lost\n");
    await tick();
    expect(() => stream.write("after\n")).not.toThrow();
    expect(stream.droppedLines).toBe(2);
    expect(() => stream.flushSync()).not.toThrow();
  });

  it("bounds the flush at exit: a pipe that never drains costs its budget, not forever", () => {
    const stream = new ConsoleStream(1, {
      write: () => undefined, // the first write never answers
      writeSync: () => {
        throw errnoError("EAGAIN");
      },
    });
    stream.write("in flight\n");
    stream.write("queued\n");
    const startedAt = performance.now();
    stream.flushSync(100);
    expect(performance.now() - startedAt).toBeLessThan(500);
  });
});
