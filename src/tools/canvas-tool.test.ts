import { describe, expect, it } from "vitest";
import { OpenClawError } from "../errors.js";
import { CANVAS_SERVICE, canvasTool } from "./canvas-tool.js";
import { contextWithHost, recordingHost } from "./testing/recording-host.js";
import { ToolInputError } from "./tool.js";

describe("canvas tool", () => {
  it("names the canvas service and calls its action as the operation", async () => {
    expect(canvasTool.hostService).toBe(CANVAS_SERVICE);
    const { host, calls } = recordingHost(() => ({ shown: true }));
    const result = await canvasTool.execute({ action: "present", html: "<p>hi</p>" }, contextWithHost(host));
    expect(result).toEqual({ shown: true });
    expect(calls).toEqual([
      { service: "canvas", operation: "present", input: { action: "present", html: "<p>hi</p>" } },
    ]);
  });

  it("gives the gateway's refusal to the model as a tool error", async () => {
    const { host } = recordingHost(() => {
      throw new OpenClawError("OC_ERR_BAD_REQUEST", "invalid A2UI message: no surfaceId");
    });
    const failure = canvasTool.execute({ action: "a2ui", messages: [{}] }, contextWithHost(host));
    await expect(failure).rejects.toBeInstanceOf(ToolInputError);
    await expect(failure).rejects.toThrow("invalid A2UI message: no surfaceId");
  });

  it("needs an action", async () => {
    const { host, calls } = recordingHost();
    await expect(canvasTool.execute({}, contextWithHost(host))).rejects.toThrow("canvas needs `action`");
    expect(calls).toEqual([]);
  });
});
