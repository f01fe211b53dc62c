import { describe, expect, it } from "vitest";
import { parseSkillFile } from "./frontmatter.js";

describe("parseSkillFile", () => {
  it("reads name, description, body and OpenClaw's metadata block", () => {
    const text = [
      "---",
      "name: image-lab",
      "description: Generate images",
      'metadata: { "openclaw": { "requires": { "bins": ["uv"], "env": ["GEMINI_API_KEY"] }, "os": ["linux"] } }',
      "---",
      "Use the tool.",
    ].join("\n");
    const result = parseSkillFile(text, "folder");
    expect(result).toEqual({
      ok: true,
      skill: {
        name: "image-lab",
        description: "Generate images",
        requirements: { bins: ["uv"], anyBins: [], env: ["GEMINI_API_KEY"], os: ["linux"], always: false },
        hiddenFromModel: false,
        body: "Use the tool.",
      },
    });
  });

  it("accepts metadata written as a multi-line YAML mapping", () => {
    const text =
      "---\nname: a\ndescription: d\nmetadata:\n  openclaw:\n    requires:\n      bins: [git]\n---\n";
    const result = parseSkillFile(text, "x");
    expect(result.ok && result.skill.requirements.bins).toEqual(["git"]);
  });

  it("takes the folder's name when name is absent", () => {
    const result = parseSkillFile("---\ndescription: d\n---\nbody", "research");
    expect(result.ok && result.skill.name).toBe("research");
  });

  it.each([
    ["no frontmatter", "just text", /no YAML frontmatter/],
    ["broken YAML", "---\nname: [unclosed\ndescription: d\n---\n", /not valid YAML/],
    ["a list instead of a mapping", "---\n- a\n- b\n---\n", /mapping/],
    ["no description", "---\nname: a\n---\n", /description is missing/],
    ["a name with a slash", "---\nname: ../etc\ndescription: d\n---\n", /name must be/],
  ])("rejects %s with a reason", (_label, text, reason) => {
    const result = parseSkillFile(text, "folder");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });
});
