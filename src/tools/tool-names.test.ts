import { describe, expect, it } from "vitest";
import { GATEWAY_TOOL_NAMES } from "../config/tool-names.js";
import { BUILTIN_TOOLS, SERVICE_TOOLS, SUBAGENT_TOOLS, WORKSPACE_TOOLS } from "./index.js";

describe("GATEWAY_TOOL_NAMES", () => {
  it("lists exactly the tools the gateway provides, which config validation accepts in `tools`", () => {
    const provided = [...BUILTIN_TOOLS, ...WORKSPACE_TOOLS, ...SERVICE_TOOLS, ...SUBAGENT_TOOLS].map(
      (tool) => tool.name,
    );
    expect([...GATEWAY_TOOL_NAMES].sort()).toEqual(provided.sort());
  });
});
