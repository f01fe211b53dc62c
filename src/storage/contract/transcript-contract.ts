import { describe, expect, it } from "vitest";
import type { TranscriptEntry } from "../../sessions/transcript-entry.js";
import { useStorage } from "./storage-fixture.js";
import { type StorageBackendUnderTest, transcriptEntry } from "./storage-under-test.js";

const contents = (entries: readonly TranscriptEntry[]) => entries.map((entry) => entry.content);

/** TranscriptRepository: order, parallel appends, listing, stateless requests, retention's removal. */
export function describeTranscriptContract(backend: StorageBackendUnderTest): void {
  describe(`${backend.name}: transcripts`, () => {
    const fixture = useStorage(backend);
    const transcripts = () => fixture.storage.transcripts;

    it("reads back what was appended, in order, field for field", async () => {
      const first = transcriptEntry("agent:main:a", "hi");
      const second = transcriptEntry("agent:main:a", "hello", {
        role: "assistant",
        toolCalls: [{ id: "call-1", name: "files_read", input: { path: "a.txt" } }],
        usage: { inputTokens: 3, outputTokens: 4 },
      });
      await transcripts().append("agent:main:a", [first]);
      await transcripts().append("agent:main:a", [second]);
      expect(await transcripts().read("agent:main:a")).toEqual({
        entries: [first, second],
        damage: undefined,
      });
    });

    it("keeps content that holds newlines, quotes and any script whole", async () => {
      const tricky = transcriptEntry("s", 'line one\nline two\r\n"quoted" \u2028 \u{1F600} \\ {"type":"x"}');
      await transcripts().append("s", [tricky]);
      expect((await transcripts().read("s")).entries).toEqual([tricky]);
    });

    it("reads a session never written as empty, without damage", async () => {
      expect(await transcripts().read("agent:main:nobody")).toEqual({ entries: [], damage: undefined });
      expect(await transcripts().list()).toEqual([]);
    });

    it("never interleaves or loses parallel appends to one session, and keeps call order", async () => {
      const calls = Array.from({ length: 120 }, (_, call) =>
        [0, 1, 2].map((part) => transcriptEntry("s", `c${call}p${part}`, { runId: `r${call}` })),
      );
      await Promise.all(calls.map((entries) => transcripts().append("s", entries)));
      const { entries } = await transcripts().read("s");
      expect(contents(entries)).toEqual(calls.flat().map((entry) => entry.content));
    });

    it("keeps parallel appends to many sessions apart", async () => {
      const keys = Array.from({ length: 40 }, (_, index) => `agent:main:s${index}`);
      await Promise.all(
        keys.flatMap((key) =>
          [0, 1, 2].map((turn) => transcripts().append(key, [transcriptEntry(key, `${key}#${turn}`)])),
        ),
      );
      for (const key of keys) {
        expect(contents((await transcripts().read(key)).entries)).toEqual(
          [0, 1, 2].map((turn) => `${key}#${turn}`),
        );
      }
    });

    it("sees every append that resolved before a read, even with appends still in flight", async () => {
      await transcripts().append("s", [transcriptEntry("s", "settled")]);
      const inFlight = transcripts().append("s", [transcriptEntry("s", "in flight")]);
      const read = await transcripts().read("s");
      expect(contents(read.entries)[0]).toBe("settled");
      await inFlight;
      expect(contents((await transcripts().read("s")).entries)).toEqual(["settled", "in flight"]);
    });

    it("lists sessions with counts, agents and previews, most recently updated first", async () => {
      await transcripts().append("one", [transcriptEntry("one", "a", { ts: 1_000 })]);
      await transcripts().append("two", [
        transcriptEntry("two", "b", { ts: 2_000, agentId: "research" }),
        transcriptEntry("two", "c".repeat(300), { ts: 3_000, agentId: "research" }),
      ]);
      const listed = await transcripts().list();
      expect(listed).toEqual([
        {
          key: "two",
          agentId: "research",
          messageCount: 2,
          updatedAt: 3_000,
          lastMessagePreview: "c".repeat(120),
        },
        { key: "one", agentId: "main", messageCount: 1, updatedAt: 1_000, lastMessagePreview: "a" },
      ]);
    });

    it("stores any session key, however it is spelled, under that key only", async () => {
      const keys = ["../../etc/passwd", "a/b", ".hidden", "..", "key with spaces", "ключ", "requests-x"];
      for (const key of keys) await transcripts().append(key, [transcriptEntry(key, key)]);
      for (const key of keys) expect(contents((await transcripts().read(key)).entries)).toEqual([key]);
      expect((await transcripts().list()).map((session) => session.key).sort()).toEqual([...keys].sort());
    });

    it("keeps stateless requests readable by key, unlisted, in one unit per day of the clock", async () => {
      const first = "agent:main:openai:request:1";
      const second = "agent:main:openai:request:2";
      await transcripts().append(first, [transcriptEntry(first, "q1")]);
      await transcripts().append(second, [transcriptEntry(second, "q2")]);
      await transcripts().append("agent:main:main", [transcriptEntry("agent:main:main", "kept")]);
      expect(contents((await transcripts().read(first)).entries)).toEqual(["q1"]);
      expect(contents((await transcripts().read(second)).entries)).toEqual(["q2"]);
      expect((await transcripts().list()).map((session) => session.key)).toEqual(["agent:main:main"]);
      const stored = await transcripts().listStored();
      const requests = stored.filter((unit) => unit.kind === "requests");
      expect(requests).toEqual([expect.objectContaining({ kind: "requests", day: "2026-03-15" })]);
      fixture.clock.advance(24 * 60 * 60_000);
      await transcripts().append("agent:main:openai:request:3", [
        transcriptEntry("agent:main:openai:request:3", "q3"),
      ]);
      const days = (await transcripts().listStored()).flatMap((unit) =>
        unit.kind === "requests" ? [unit.day] : [],
      );
      expect(days.sort()).toEqual(["2026-03-15", "2026-03-16"]);
    });

    it("weighs every stored unit for retention", async () => {
      await transcripts().append("small", [transcriptEntry("small", "x")]);
      await transcripts().append("large", [transcriptEntry("large", "x".repeat(5_000))]);
      const stored = await transcripts().listStored();
      expect(stored.map((unit) => unit.kind)).toEqual(["session", "session"]);
      const [small, large] = ["small", "large"].map((key) =>
        stored.find((unit) => unit.kind === "session" && unit.sessionKey === key),
      );
      expect(large?.bytes).toBeGreaterThan(5_000);
      expect(small?.bytes).toBeLessThan(large?.bytes ?? 0);
      for (const unit of stored) expect(unit.lastWrittenAt).toBeGreaterThan(0);
    });

    it("removes an idle session for retention; an append after it starts the session afresh", async () => {
      await transcripts().append("old", [transcriptEntry("old", "long ago")]);
      await transcripts().append("kept", [transcriptEntry("kept", "still here")]);
      const old = (await transcripts().listStored()).find(
        (unit) => unit.kind === "session" && unit.sessionKey === "old",
      );
      expect(await transcripts().removeIfIdle(old?.name ?? "")).toBe(true);
      expect((await transcripts().read("old")).entries).toEqual([]);
      expect((await transcripts().list()).map((session) => session.key)).toEqual(["kept"]);
      await transcripts().append("old", [transcriptEntry("old", "new start")]);
      expect(contents((await transcripts().read("old")).entries)).toEqual(["new start"]);
    });

    it("loses no append racing a removal: it lands before it or starts afresh after it", async () => {
      await transcripts().append("racing", [transcriptEntry("racing", "before")]);
      const [unit] = await transcripts().listStored();
      const removal = transcripts().removeIfIdle(unit?.name ?? "");
      const append = transcripts().append("racing", [transcriptEntry("racing", "during")]);
      const [removed] = await Promise.all([removal, append]);
      const after = contents((await transcripts().read("racing")).entries);
      expect(after).toEqual(removed ? ["during"] : ["before", "during"]);
    });
  });
}
