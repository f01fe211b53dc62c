import { describe, expect, it } from "vitest";
import { gatewayHttpUrl } from "./mcp-commands.js";

describe("mcp serve --url", () => {
  it("takes OpenClaw's WebSocket URL and speaks HTTP to the same port", () => {
    expect(gatewayHttpUrl("ws://gateway-host:18789")).toBe("http://gateway-host:18789");
    expect(gatewayHttpUrl("wss://gateway-host:18789/")).toBe("https://gateway-host:18789");
    expect(gatewayHttpUrl("http://127.0.0.1:1234/anything")).toBe("http://127.0.0.1:1234");
    expect(gatewayHttpUrl("https://[::1]:443")).toBe("https://[::1]");
  });

  it("refuses what is no gateway address, as a usage error", () => {
    for (const url of ["gateway-host:18789", "ftp://gateway-host", "not a url"]) {
      expect(() => gatewayHttpUrl(url), url).toThrow(expect.objectContaining({ code: "OC_ERR_USAGE" }));
    }
  });
});
