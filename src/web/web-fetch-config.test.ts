import { describe, expect, it } from "vitest";
import { parseConfigText } from "../config/index.js";
import { webFetchConfigFor } from "./web-fetch-config.js";

describe("webFetchConfigFor", () => {
  it("lays an agent's tools.web.fetch over the global one", () => {
    const { config } = parseConfigText(
      JSON.stringify({
        tools: { web: { fetch: { maxRedirects: 1, ssrfPolicy: { allowedHostnames: ["a.lan"] } } } },
        agents: {
          main: {},
          reader: {
            tools: { web: { fetch: { timeoutSeconds: 5, ssrfPolicy: { allowedHostnames: ["b.lan"] } } } },
          },
        },
      }),
      "/tmp/openclaw-test.json",
      {},
    );
    expect(webFetchConfigFor(config, "main")).toEqual({
      maxRedirects: 1,
      ssrfPolicy: { allowedHostnames: ["a.lan"] },
    });
    expect(webFetchConfigFor(config, "reader")).toEqual({
      maxRedirects: 1,
      timeoutSeconds: 5,
      ssrfPolicy: { allowedHostnames: ["b.lan"] },
    });
  });
});
