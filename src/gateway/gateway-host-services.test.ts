import { describe, expect, it } from "vitest";
import { SessionCanvases } from "../canvas/index.js";
import { sessionCanvasService } from "./gateway-host-services.js";

function sessionEndsHub() {
  const listeners = new Set<(sessionKey: string) => void>();
  return {
    onSessionEnd(listener: (sessionKey: string) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    end(sessionKey: string) {
      for (const listener of listeners) listener(sessionKey);
    },
  };
}

const draw = (sessionKey: string) => ({
  agentId: "main",
  sessionKey,
  signal: new AbortController().signal,
  operation: "present",
  input: { html: `<p>${sessionKey}</p>` },
});

describe("sessionCanvasService", () => {
  it("drops a deleted session's canvas and keeps the others", () => {
    const canvases = new SessionCanvases();
    const hub = sessionEndsHub();
    const service = sessionCanvasService(canvases, () => hub);
    service(draw("agent:main:one"));
    service(draw("agent:main:two"));
    expect(canvases.size).toBe(2);

    hub.end("agent:main:one");

    expect(canvases.get("agent:main:one")).toBeUndefined();
    expect(canvases.get("agent:main:two")?.html).toBe("<p>agent:main:two</p>");
    expect(canvases.size).toBe(1);
  });

  it("leaves nothing behind after many sessions come and go", () => {
    const canvases = new SessionCanvases();
    const hub = sessionEndsHub();
    const service = sessionCanvasService(canvases, () => hub);
    for (let index = 0; index < 500; index += 1) {
      const key = `agent:main:churn-${index}`;
      service(draw(key));
      hub.end(key);
    }
    expect(canvases.size).toBe(0);
  });
});
