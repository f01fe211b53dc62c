import { describe, expect, it } from "vitest";
import { toolOutcome } from "./tool-result.js";

describe("toolOutcome", () => {
  it("joins text blocks and describes images as metadata", () => {
    const outcome = toolOutcome({
      content: [
        { type: "text", text: "first" },
        { type: "image", data: "aGVsbG8=", mimeType: "image/png" },
        { type: "text", text: "second" },
      ],
    });
    expect(outcome).toEqual({
      text: "first\n[image: image/png, 5 bytes]\nsecond",
      isError: false,
      images: [{ mimeType: "image/png", bytes: 5 }],
    });
  });

  it("keeps isError and falls back to structured content", () => {
    expect(toolOutcome({ content: [{ type: "text", text: "no such file" }], isError: true })).toMatchObject({
      text: "no such file",
      isError: true,
    });
    expect(toolOutcome({ content: [], structuredContent: { sum: 3 } }).text).toBe('{"sum":3}');
  });

  it("shows embedded resources and links", () => {
    const outcome = toolOutcome({
      content: [
        { type: "resource", resource: { uri: "file:///a", text: "body" } },
        { type: "resource", resource: { uri: "file:///b", blob: "AA==" } },
        { type: "resource_link", uri: "file:///c", name: "c" },
      ],
    });
    expect(outcome.text).toBe("body\n[resource: file:///b]\n[resource link: file:///c (c)]");
  });
});
