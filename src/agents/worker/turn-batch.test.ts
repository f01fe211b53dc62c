import { describe, expect, it } from "vitest";
import { TurnBatch } from "./turn-batch.js";

const nextPass = () => new Promise((resolve) => setImmediate(resolve));

describe("TurnBatch", () => {
  it("posts the messages added in one pass as one, in order", async () => {
    const sent: number[][] = [];
    const batch = new TurnBatch<number>(
      (messages) => sent.push(messages),
      () => undefined,
    );
    batch.add(1);
    batch.add(2);
    batch.add(3);
    expect(sent).toEqual([]);
    await nextPass();
    expect(sent).toEqual([[1, 2, 3]]);
    batch.add(4);
    await nextPass();
    expect(sent).toEqual([[1, 2, 3], [4]]);
  });

  it("posts what is queued at once on flush (before a message that must not overtake it)", async () => {
    const sent: number[][] = [];
    const batch = new TurnBatch<number>(
      (messages) => sent.push(messages),
      () => undefined,
    );
    batch.add(1);
    batch.flush();
    expect(sent).toEqual([[1]]);
    await nextPass();
    expect(sent).toEqual([[1]]);
  });

  it("refuses only the message that cannot be posted; the others go", async () => {
    const sent: number[][] = [];
    const refused: [number, string][] = [];
    const batch = new TurnBatch<number>(
      (messages) => {
        if (messages.includes(2)) throw new Error("could not be cloned");
        sent.push(messages);
      },
      (message, error) => refused.push([message, (error as Error).message]),
    );
    batch.add(1);
    batch.add(2);
    batch.add(3);
    await nextPass();
    expect(sent).toEqual([[1], [3]]);
    expect(refused).toEqual([[2, "could not be cloned"]]);
  });
});
