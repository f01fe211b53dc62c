import { describe, expect, it } from "vitest";
import { httpUrl, isLoopbackAddress, normalizeAddress } from "./client-address.js";

describe("client addresses", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["::FFFF:127.0.0.1", true],
    ["10.0.0.1", false],
    ["::ffff:10.0.0.1", false],
    ["128.0.0.1", false],
    ["", false],
    [undefined, false],
  ])("%s is loopback: %s", (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });

  it("normalizes IPv4-mapped addresses", () => {
    expect(normalizeAddress("::ffff:192.168.1.100")).toBe("192.168.1.100");
  });

  it("builds a URL clients can reach for wildcard binds", () => {
    expect(httpUrl("0.0.0.0", 18789)).toBe("http://127.0.0.1:18789");
    expect(httpUrl("::", 1)).toBe("http://[::1]:1");
    expect(httpUrl("127.0.0.1", 2)).toBe("http://127.0.0.1:2");
  });
});
