import { describe, expect, it } from "vitest";
import { ConfiguredSecret, PresentedSecret, safeEqual } from "./constant-time.js";

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

describe("ConfiguredSecret", () => {
  it("judges like safeEqual, and follows the expected value when it changes (a reload)", () => {
    const secret = new ConfiguredSecret();
    expect(secret.matches("first-token", "first-token")).toBe(true);
    expect(secret.matches("first-tokeN", "first-token")).toBe(false);
    expect(secret.matches("first-token", "second-token")).toBe(false);
    expect(secret.matches("second-token", "second-token")).toBe(true);
    expect(secret.matches("first-token", "first-token")).toBe(true);
  });

  it("never matches an empty expected value", () => {
    const secret = new ConfiguredSecret();
    expect(secret.matches("", "")).toBe(false);
    expect(secret.matches("anything", "")).toBe(false);
  });
});

describe("PresentedSecret", () => {
  it("is judged by its value, also when one is tried against several secrets", () => {
    const presented = new PresentedSecret("local-token");
    expect(new ConfiguredSecret().matches(presented, "gateway-token")).toBe(false);
    expect(new ConfiguredSecret().matches(presented, "local-token")).toBe(true);
    expect(new ConfiguredSecret().matches(new PresentedSecret(""), "")).toBe(false);
  });
});
