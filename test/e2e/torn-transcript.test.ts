import { readFile, stat, truncate } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sessionFileName } from "../../src/sessions/index.js";
import { type RunningGateway, startGateway, type TempHome, tempHome, waitFor } from "./harness.js";
import { TestWsClient } from "./ws-client.js";

/**
 * A transcript whose last line was cut mid-write (a kill, a full disk) while no gateway ran: the
 * next message must be saved whole (not glued onto the torn line, where it would vanish from
 * history), and the torn line must be reported, not skipped in silence.
 */

interface HistoryMessage {
  role: string;
  content: { text: string }[];
}

async function sendAndWait(client: TestWsClient, sessionKey: string, message: string, key: string) {
  const sent = await client.request("chat.send", { sessionKey, message, idempotencyKey: key });
  expect(sent.ok).toBe(true);
  await client.waitFor(
    (frame) => frame.event === "chat" && frame.payload?.runId === key && frame.payload?.state === "final",
  );
}

async function historyOf(client: TestWsClient, sessionKey: string): Promise<[string, string | undefined][]> {
  const history = await client.request("chat.history", { sessionKey });
  return (history.payload?.messages as HistoryMessage[]).map((message) => [
    message.role,
    message.content[0]?.text,
  ]);
}

describe("a transcript cut mid-line while the gateway was down", () => {
  let home: TempHome;
  let gateway: RunningGateway | undefined;
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("keeps the message acknowledged after the restart, and reports the torn line", async () => {
    home = await tempHome({ agents: { main: { model: "dev/echo" } } });
    const sessionKey = "agent:main:torn";
    gateway = await startGateway(home);
    let { client } = await TestWsClient.connect(gateway.url);
    await sendAndWait(client, sessionKey, "first question", "t-1");
    await sendAndWait(client, sessionKey, "second question", "t-2");
    client.close();
    await gateway.stop();

    // Cut the last line (the second answer) in its middle, as a kill mid-write would.
    const path = join(home.stateDir, "sessions", sessionFileName(sessionKey));
    const text = await readFile(path, "utf8");
    const lastLineStart = text.lastIndexOf("\n", text.length - 2) + 1;
    const cutAt = lastLineStart + Math.floor((text.length - lastLineStart) / 2);
    await truncate(path, cutAt);
    expect((await stat(path)).size).toBe(cutAt);

    gateway = await startGateway(home);
    ({ client } = await TestWsClient.connect(gateway.url));
    await sendAndWait(client, sessionKey, "third question", "t-3");
    expect(await historyOf(client, sessionKey)).toEqual([
      ["user", "first question"],
      ["assistant", "You said: first question"],
      ["user", "second question"],
      ["user", "third question"],
      ["assistant", "You said: third question"],
    ]);
    client.close();

    const saved = await readFile(path, "utf8");
    expect(saved.endsWith("\n")).toBe(true);
    for (const line of saved.trimEnd().split("\n")) expect(() => JSON.parse(line)).not.toThrow();

    // Reported in the gateway's log: which file, which line, and the cut before the append.
    const logPath = join(home.stateDir, "logs", "gateway.log");
    const records = await waitFor(async () => {
      const lines = (await readFile(logPath, "utf8")).trimEnd().split("\n");
      const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const damaged = parsed.find((record) =>
        String(record.msg).startsWith("transcript has 1 unreadable line"),
      );
      const repaired = parsed.find((record) => String(record.msg).startsWith("torn last line"));
      return damaged && repaired ? { damaged, repaired } : undefined;
    });
    expect(records.damaged).toMatchObject({
      level: "warn",
      file: path,
      count: 1,
      lines: [{ line: 4, kind: "torn" }],
    });
    expect(records.repaired).toMatchObject({ level: "warn", file: path, cutBytes: cutAt - lastLineStart });
  }, 60_000);
});
