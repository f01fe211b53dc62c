import * as published from "@openclaw/gateway-protocol/version";
import { describe, expect, it } from "vitest";
import {
  MIN_CLIENT_PROTOCOL_VERSION,
  MIN_NODE_PROTOCOL_VERSION,
  MIN_PROBE_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
} from "./frames.js";
import { negotiateProtocol } from "./protocol-version.js";

const operator = { role: "operator", clientMode: "cli" };

describe("protocol version negotiation", () => {
  it("speaks exactly the versions the pinned @openclaw/gateway-protocol defines", () => {
    expect({
      PROTOCOL_VERSION,
      MIN_CLIENT_PROTOCOL_VERSION,
      MIN_NODE_PROTOCOL_VERSION,
      MIN_PROBE_PROTOCOL_VERSION,
    }).toEqual({
      PROTOCOL_VERSION: published.PROTOCOL_VERSION,
      MIN_CLIENT_PROTOCOL_VERSION: published.MIN_CLIENT_PROTOCOL_VERSION,
      MIN_NODE_PROTOCOL_VERSION: published.MIN_NODE_PROTOCOL_VERSION,
      MIN_PROBE_PROTOCOL_VERSION: published.MIN_PROBE_PROTOCOL_VERSION,
    });
  });

  it("picks the highest version both sides speak", () => {
    expect(negotiateProtocol({ ...operator, minProtocol: 4, maxProtocol: 4 })).toEqual({
      ok: true,
      protocol: 4,
    });
    expect(negotiateProtocol({ ...operator, minProtocol: 3, maxProtocol: 9 })).toEqual({
      ok: true,
      protocol: 4,
    });
  });

  it("lets an exact node or a probe use the previous version, and nobody else", () => {
    const v3 = { minProtocol: 3, maxProtocol: 3 };
    expect(negotiateProtocol({ ...v3, role: "node", clientMode: "node" })).toEqual({ ok: true, protocol: 3 });
    expect(negotiateProtocol({ ...v3, role: "operator", clientMode: "probe" })).toEqual({
      ok: true,
      protocol: 3,
    });
    expect(negotiateProtocol({ ...v3, ...operator }).ok).toBe(false);
    // A node role from a client that is not in node mode is not the node-host exception.
    expect(negotiateProtocol({ ...v3, role: "node", clientMode: "cli" }).ok).toBe(false);
  });

  it("answers no overlap with the protocol's PROTOCOL_MISMATCH, naming both ranges", () => {
    for (const [minProtocol, maxProtocol] of [
      [1, 2],
      [5, 6],
    ] as const) {
      const verdict = negotiateProtocol({ ...operator, minProtocol, maxProtocol });
      if (verdict.ok) throw new Error("expected a mismatch");
      expect(verdict.error.code).toBe("INVALID_REQUEST");
      expect(verdict.error.message).toMatch(
        /^protocol mismatch: this client speaks v\d-v\d, this gateway speaks v4-v4/,
      );
      expect(verdict.error.details).toMatchObject({
        code: "PROTOCOL_MISMATCH",
        clientMinProtocol: minProtocol,
        clientMaxProtocol: maxProtocol,
        expectedProtocol: 4,
      });
    }
  });
});
