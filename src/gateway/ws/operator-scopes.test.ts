import { readMissingScopeError } from "@openclaw/gateway-protocol/gateway-error-details";
import { MissingScopeErrorDetailsSchema } from "@openclaw/gateway-protocol/schema";
import { Compile } from "typebox/compile";
import { describe, expect, it } from "vitest";
import {
  grantOperatorScopes,
  missingScopeError,
  OPERATOR_SCOPES,
  scopeSatisfied,
} from "./operator-scopes.js";

describe("operator scopes", () => {
  it("grants what was asked, drops names it does not know, and never widens", () => {
    expect(grantOperatorScopes(["operator.read"])).toEqual(["operator.read"]);
    expect(grantOperatorScopes(["operator.write", "operator.write", "root", "node"])).toEqual([
      "operator.write",
    ]);
    expect(grantOperatorScopes([])).toEqual([]);
  });

  it("grants every operator scope to a client that asks for none", () => {
    expect(grantOperatorScopes(undefined)).toEqual([...OPERATOR_SCOPES]);
  });

  it("applies the protocol's implications and nothing more", () => {
    const write = new Set(["operator.write"]);
    expect(scopeSatisfied("operator.read", write)).toBe(true);
    expect(scopeSatisfied("operator.talk", write)).toBe(true);
    expect(scopeSatisfied("operator.admin", write)).toBe(false);
    expect(scopeSatisfied("operator.pairing", write)).toBe(false);
    expect(scopeSatisfied("operator.write", new Set(["operator.read"]))).toBe(false);
    expect(scopeSatisfied("operator.pairing", new Set(["operator.admin"]))).toBe(true);
    expect(scopeSatisfied("operator.read", new Set())).toBe(false);
  });

  it("refuses in the protocol's MISSING_SCOPE shape, readable by its own reader", () => {
    const error = missingScopeError("operator.write");
    expect(error).toMatchObject({ code: "FORBIDDEN", message: "missing scope: operator.write" });
    expect(Compile(MissingScopeErrorDetailsSchema).Check(error.details)).toBe(true);
    expect(readMissingScopeError(error)).toEqual({
      code: "MISSING_SCOPE",
      missingScope: "operator.write",
      requiredScopes: ["operator.write"],
    });
  });
});
