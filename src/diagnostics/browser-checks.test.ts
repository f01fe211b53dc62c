import { describe, expect, it } from "vitest";
import { parseConfigText } from "../config/index.js";
import { checkBrowser } from "./browser-checks.js";

const config = (raw: unknown) => parseConfigText(JSON.stringify(raw), "/tmp/openclaw.json").config;

describe("doctor: browser", () => {
  it("fails when an agent may use the browser but chromium is missing", () => {
    const found = checkBrowser(
      config({
        agents: { main: { tools: ["browser"] } },
        tools: { browser: { executablePath: "/nope/chromium" } },
      }),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ status: "fail", id: "browser" });
    expect(found[0]?.summary).toContain("/nope/chromium");
  });

  it("is ok with chromium present, and silent when no agent uses the browser or it is disabled", () => {
    expect(checkBrowser(config({ agents: { main: { tools: ["browser"] } } }), () => true)[0]).toMatchObject({
      status: "ok",
    });
    expect(checkBrowser(config({ agents: { main: { tools: ["echo"] } } }), () => false)).toEqual([]);
    expect(
      checkBrowser(
        config({ agents: { main: { tools: ["browser"] } }, tools: { browser: { enabled: false } } }),
        () => false,
      ),
    ).toEqual([]);
  });
});
