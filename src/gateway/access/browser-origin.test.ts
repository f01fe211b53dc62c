import { describe, expect, it } from "vitest";
import { judgeBrowserOrigin } from "./browser-origin.js";

const options = { allowedOrigins: ["https://ui.example.org"] };

describe("judgeBrowserOrigin", () => {
  it("lets non-browser clients and same-origin pages through", () => {
    expect(judgeBrowserOrigin({ host: "127.0.0.1:18789" }, options).ok).toBe(true);
    expect(
      judgeBrowserOrigin({ host: "127.0.0.1:18789", origin: "http://127.0.0.1:18789" }, options).ok,
    ).toBe(true);
    expect(judgeBrowserOrigin({ host: "LOCALHOST:80", origin: "http://localhost" }, options).ok).toBe(true);
    expect(judgeBrowserOrigin({ host: "gw", origin: "https://ui.example.org" }, options).ok).toBe(true);
    // Behind a TLS-terminating proxy that forwards the public name.
    expect(judgeBrowserOrigin({ host: "gw.example.com", origin: "https://gw.example.com" }, options).ok).toBe(
      true,
    );
    expect(judgeBrowserOrigin({ host: "[::1]:18789", origin: "http://[::1]:18789" }, options).ok).toBe(true);
    expect(judgeBrowserOrigin({ host: "x", "sec-fetch-site": "same-origin" }, options).ok).toBe(true);
  });

  it("refuses other origins, opaque ones, and requests marked cross-site", () => {
    const refused = [
      { host: "127.0.0.1:18789", origin: "https://evil.example" },
      { host: "127.0.0.1:18789", origin: "null" },
      { host: "127.0.0.1:18789", origin: "http://127.0.0.1:3000" },
      { host: "127.0.0.1:18789", origin: "http://127.0.0.1:18789.evil.example" },
      { host: "127.0.0.1:18789", origin: "file://" },
      { host: "127.0.0.1:18789", "sec-fetch-site": "cross-site" },
      { host: "127.0.0.1:18789", "sec-fetch-site": "Cross-Site" },
    ];
    for (const headers of refused)
      expect(judgeBrowserOrigin(headers, options).ok, JSON.stringify(headers)).toBe(false);
  });
});
