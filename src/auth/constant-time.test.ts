import { describe, expect, it } from "vitest";
import { safeEqual } from "./constant-time.js";

describe("safeEqual", () => {
  it("matches identical strings, including non-ASCII ones", () => {
    expect(safeEqual("s3cret-token", "s3cret-token")).toBe(true);
    expect(safeEqual("pässwörd🔑", "pässwörd🔑")).toBe(true);
  });

  it.each([
    ["s3cret-token", "s3cret-tokeN"],
    ["s3cret", "s3cret-token"],
    ["s3cret-token", "s3cret"],
    ["", "s3cret"],
    ["S3CRET", "s3cret"],
  ])("refuses %j against %j", (presented, expected) => {
    expect(safeEqual(presented, expected)).toBe(false);
  });

  it("never matches an empty expected value, even with an empty presented one", () => {
    expect(safeEqual("", "")).toBe(false);
    expect(safeEqual("anything", "")).toBe(false);
  });
});
