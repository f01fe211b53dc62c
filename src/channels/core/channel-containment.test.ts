import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importSource, runTypeScriptChild } from "../../testing/typescript-child.js";

const here = dirname(fileURLToPath(import.meta.url));

function runChild(body: string) {
  return runTypeScriptChild(
    `const { AccountRunner } = ${importSource(join(here, "account-runner.ts"))};\n${body}`,
  );
}

describe("channel containment", () => {
  it("restarts an account whose library throws from its own callbacks, and the process lives on", async () => {
    const result = await runChild(`
let starts = 0;
const runner = new AccountRunner({
  channel: "fake", accountId: "default",
  create: () => ({
    channel: "fake", accountId: "default", capabilities: { edit: false, typing: false },
    async start() {
      starts += 1;
      // As a platform library would: a throw in a timer, and a rejection nobody handles.
      if (starts === 1) setTimeout(() => { throw new Error("library bug in a timer"); }, 5);
      if (starts === 2) setTimeout(() => { Promise.reject(new Error("library bug in a promise")); }, 5);
      return { id: "bot" };
    },
    async stop() {}, chunk: (text) => [text], async send() { return { messageId: "1" }; },
    async edit() {}, async typing() {},
  }),
  deliver: async () => {}, onReady: () => {}, log: (level, message, details) => console.log(level, message, details.error ?? ""),
  backoff: { baseMs: 10, maxMs: 20 },
});
runner.start();
await new Promise((resolve) => setTimeout(resolve, 300));
console.log(JSON.stringify({ starts, state: runner.status().state, restarts: runner.status().restarts }));
await runner.stop();
`);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("library bug in a timer");
    expect(result.stdout).toContain("library bug in a promise");
    const summary = JSON.parse(result.stdout.trim().split("\n").at(-1) as string);
    expect(summary).toEqual({ starts: 3, state: "ready", restarts: 2 });
  });

  it("does not hide an uncaught exception that is not a channel's: the process ends with code 1", async () => {
    const result = await runChild(`
const runner = new AccountRunner({
  channel: "fake", accountId: "default",
  create: () => ({ channel: "fake", accountId: "default", capabilities: { edit: false, typing: false },
    async start() { return { id: "bot" }; }, async stop() {}, chunk: (t) => [t],
    async send() { return { messageId: "1" }; }, async edit() {}, async typing() {} }),
  deliver: async () => {}, onReady: () => {}, log: () => {},
});
runner.start();
setTimeout(() => { throw new Error("a gateway bug"); }, 20);
setTimeout(() => console.log("still running"), 200);
`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("a gateway bug");
    expect(result.stdout).not.toContain("still running");
  });
});
