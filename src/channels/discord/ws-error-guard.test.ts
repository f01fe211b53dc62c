import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { guardOrphanedSocketErrors } from "./ws-error-guard.js";

describe("guardOrphanedSocketErrors", () => {
  it("drops an error emitted to no listener, and still delivers one to a listener", () => {
    // Not connected: constructing against a closed port only queues the attempt.
    const orphan = new WebSocket("ws://127.0.0.1:9");
    orphan.on("error", () => {});
    orphan.removeAllListeners("error");
    const unguarded = () => orphan.emit("error", new Error("read ECONNRESET"));
    expect(unguarded).toThrow("read ECONNRESET");
    guardOrphanedSocketErrors();
    expect(unguarded).not.toThrow();
    const seen: string[] = [];
    orphan.on("error", (error: Error) => seen.push(error.message));
    orphan.emit("error", new Error("later"));
    expect(seen).toEqual(["later"]);
    orphan.terminate();
  });
});
