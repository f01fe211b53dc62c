import { describe, expect, it } from "vitest";
import type { OpenClawConfig } from "../config/index.js";
import { checkWebFetchPolicy } from "./web-fetch-checks.js";

const withFetch = (fetch: unknown) => ({ tools: { web: { fetch } } }) as unknown as OpenClawConfig;

describe("checkWebFetchPolicy", () => {
  it("says nothing of the default policy or a named host", () => {
    expect(checkWebFetchPolicy(withFetch({}))).toEqual([]);
    expect(checkWebFetchPolicy(withFetch({ ssrfPolicy: { allowedHostnames: ["wiki.lan"] } }))).toEqual([]);
  });

  it("warns of dangerouslyAllowPrivateNetwork and of a match-all host pattern", () => {
    const findings = checkWebFetchPolicy(
      withFetch({ ssrfPolicy: { dangerouslyAllowPrivateNetwork: true, allowedHostnames: ["*"] } }),
    );
    expect(findings.map((finding) => finding.status)).toEqual(["warn", "warn"]);
    expect(findings[0]?.summary).toMatch(/dangerouslyAllowPrivateNetwork/);
    expect(findings[1]?.summary).toMatch(/every host: \*/);
  });
});
