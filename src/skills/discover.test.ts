import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { discoverSkills, skillRoots } from "./discover.js";
import { eligibleSkills, ineligibleReason } from "./eligibility.js";
import { renderSkillIndex } from "./skill-prompt.js";

let base: string;
let workspace: string;
let stateDir: string;
let extra: string;

function skill(dir: string, name: string, description: string, extraFront = ""): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "SKILL.md"),
    `---\nname: ${name}\ndescription: ${description}\n${extraFront}---\nbody of ${description}\n`,
  );
}

function roots() {
  return skillRoots({ workspaceRoot: workspace, stateDir, configDir: base, extraDirs: [extra] });
}

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "skills-"));
  workspace = join(base, "ws");
  stateDir = join(base, "state");
  extra = join(base, "extra");
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe("discoverSkills", () => {
  it("lets the workspace win over the state dir and extra dirs, and marks the others shadowed", () => {
    skill(join(extra, "deploy"), "deploy", "extra one");
    skill(join(stateDir, "skills", "deploy"), "deploy", "managed one");
    skill(join(workspace, "skills", "deploy"), "deploy", "workspace one");
    skill(join(stateDir, "skills", "weather"), "weather", "weather");
    const { skills, warnings } = discoverSkills(roots());
    expect(warnings).toEqual([]);
    expect(skills.map((found) => [found.name, found.source, found.shadowedBy !== undefined])).toEqual([
      ["deploy", "workspace", false],
      ["deploy", "managed", true],
      ["weather", "managed", false],
      ["deploy", "extra", true],
    ]);
    expect(eligibleSkills(skills, {}).map((found) => found.description)).toEqual([
      "workspace one",
      "weather",
    ]);
  });

  it("finds grouped skills and skips a malformed one while keeping its siblings", () => {
    skill(join(workspace, "skills", "personal", "research"), "research", "nested");
    mkdirSync(join(workspace, "skills", "broken"), { recursive: true });
    writeFileSync(join(workspace, "skills", "broken", "SKILL.md"), "---\nname: [oops\n---\n");
    const { skills, warnings } = discoverSkills(roots());
    expect(skills.map((found) => found.name)).toEqual(["research"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.file).toContain(join("broken", "SKILL.md"));
    expect(warnings[0]?.reason).toMatch(/not valid YAML/);
  });

  it("does not follow a symlinked folder out of a root", () => {
    skill(join(base, "outside", "sneaky"), "sneaky", "outside");
    mkdirSync(join(workspace, "skills"), { recursive: true });
    symlinkSync(join(base, "outside"), join(workspace, "skills", "link"));
    expect(discoverSkills(roots()).skills).toEqual([]);
  });
});

describe("eligibility", () => {
  it("applies enabled: false, the agent allow-list and requirements", () => {
    skill(join(workspace, "skills", "a"), "a", "a");
    skill(join(workspace, "skills", "b"), "b", "b");
    skill(
      join(workspace, "skills", "c"),
      "c",
      "c",
      'metadata: { "openclaw": { "requires": { "bins": ["no-such-bin-xyz"] } } }\n',
    );
    skill(
      join(workspace, "skills", "d"),
      "d",
      "d",
      'metadata: { "openclaw": { "requires": { "env": ["SKILL_TEST_VAR"] } } }\n',
    );
    const { skills } = discoverSkills(roots());
    const input = { entries: { a: { enabled: false } }, env: { PATH: "" } };
    expect(skills.map((found) => ineligibleReason(found, input))).toEqual([
      "disabled (skills.entries.a.enabled)",
      undefined,
      "needs binary no-such-bin-xyz on PATH",
      "needs environment variable SKILL_TEST_VAR",
    ]);
    expect(eligibleSkills(skills, { allowList: ["a"], env: {} }).map((found) => found.name)).toEqual(["a"]);
  });
});

describe("renderSkillIndex", () => {
  it("lists a workspace skill by its path and inlines one from outside the workspace", () => {
    skill(join(workspace, "skills", "deploy"), "deploy", "Ship <it>");
    skill(join(stateDir, "skills", "weather"), "weather", "Weather");
    const prompt = renderSkillIndex(discoverSkills(roots()).skills, workspace);
    expect(prompt).toContain("<location>skills/deploy/SKILL.md</location>");
    expect(prompt).toContain("Ship &lt;it&gt;");
    expect(prompt).toContain("<instructions>body of Weather</instructions>");
    expect(prompt).not.toContain(stateDir);
  });
});
