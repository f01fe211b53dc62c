import { describe, expect, it } from "vitest";
import { WORKSPACE_TOOLS } from "./index.js";

describe("WORKSPACE_TOOLS", () => {
  it("offers read, write, edit, apply_patch, list and exec, each with an object schema", () => {
    expect(WORKSPACE_TOOLS.map((tool) => tool.name)).toEqual([
      "read",
      "write",
      "edit",
      "apply_patch",
      "list",
      "exec",
      "process",
    ]);
    for (const tool of WORKSPACE_TOOLS) {
      expect(tool.parameters).toMatchObject({ type: "object", additionalProperties: false });
      expect(tool.description.length).toBeGreaterThan(40);
    }
  });
});
