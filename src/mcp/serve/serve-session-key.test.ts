import { describe, expect, it } from "vitest";
import type { OpenClawError } from "../../errors.js";
import { assertNotReserved, resolveAskSessionKey } from "./serve-session-key.js";

describe("the session an ask_<agent> call runs in", () => {
  it("is the connection's own session with the agent when the caller names none", () => {
    expect(resolveAskSessionKey("ops", "c1")).toBe("agent:ops:mcp:c1");
  });

  it("scopes a bare key to the agent and keeps a full key of that agent", () => {
    expect(resolveAskSessionKey("ops", "c1", "incident-42")).toBe("agent:ops:incident-42");
    expect(resolveAskSessionKey("ops", "c1", " agent:ops:main ")).toBe("agent:ops:main");
  });

  it("refuses a blank key, another agent's key and the gateway's reserved namespaces", () => {
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as OpenClawError).code;
      }
      return "accepted";
    };
    expect(code(() => resolveAskSessionKey("ops", "c1", "  "))).toBe("OC_ERR_BAD_REQUEST");
    expect(code(() => resolveAskSessionKey("ops", "c1", "agent:main:main"))).toBe("OC_ERR_BAD_REQUEST");
    for (const key of ["subagent:x", "cron:nightly", "acp:1", "agent:ops:cron:x", "agent:ops:subagent:r"]) {
      expect(
        code(() => resolveAskSessionKey("ops", "c1", key)),
        key,
      ).toBe("OC_ERR_BAD_REQUEST");
    }
    expect(code(() => assertNotReserved("agent:ops:mcp:c1"))).toBe("accepted");
  });
});
