import { describe, expect, it } from "vitest";
import { reservedNamespaceOf } from "./reserved-namespaces.js";

describe("reservedNamespaceOf", () => {
  it("finds the gateway's own namespaces, bare or scoped to an agent, and nothing else", () => {
    expect(reservedNamespaceOf("agent:ops:subagent:x")).toBe("subagent:");
    expect(reservedNamespaceOf("cron:daily")).toBe("cron:");
    expect(reservedNamespaceOf("agent:ops:acp:1")).toBe("acp:");
    expect(reservedNamespaceOf("agent:ops:mcp:c1")).toBeUndefined();
    expect(reservedNamespaceOf("incident-cron:42")).toBeUndefined();
  });
});
