import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../index.js";

const parse = (releaseMemoryAfterIdleMs: unknown) =>
  ConfigSchema.safeParse({ gateway: { releaseMemoryAfterIdleMs } });

describe("gateway.releaseMemoryAfterIdleMs", () => {
  it("defaults to 30 s, takes 0 (never) and a second or more", () => {
    expect(ConfigSchema.parse({}).gateway.releaseMemoryAfterIdleMs).toBe(30_000);
    for (const ms of [0, 1000, 86_400_000]) expect(parse(ms).success, String(ms)).toBe(true);
  });

  it("refuses what would collect after every turn, negative, fractional, huge or non-numeric values", () => {
    for (const ms of [1, 999, -1, 1500.5, 86_400_001, "30000", null, Number.NaN, Number.POSITIVE_INFINITY])
      expect(parse(ms).success, String(ms)).toBe(false);
  });
});
