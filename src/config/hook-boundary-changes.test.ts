import { describe, expect, it } from "vitest";
import { weakeningChanges } from "./boundary-changes.js";
import { ConfigSchema } from "./schema.js";

const SECRETS = { "hooks-token": { source: "env", key: "A" }, other: { source: "env", key: "B" } };
const config = (hooks: Record<string, unknown>) => ConfigSchema.parse({ externalSecrets: SECRETS, hooks });
const paths = (before: Record<string, unknown>, after: Record<string, unknown>) =>
  weakeningChanges(config(before), config(after)).map((change) => change.path);

describe("hook boundary changes", () => {
  const on = { enabled: true, token: { $secret: "hooks-token" }, allowedAgentIds: ["main"] };

  it("holds turning hooks on, another token, more agents and caller session keys", () => {
    expect(paths({}, on)).toEqual(["hooks.enabled", "hooks.token"]);
    expect(paths(on, { ...on, token: { $secret: "other" } })).toEqual(["hooks.token"]);
    expect(paths(on, { ...on, allowedAgentIds: ["main", "ops"] })).toEqual(["hooks.allowedAgentIds"]);
    expect(paths(on, { ...on, allowedAgentIds: undefined })).toEqual(["hooks.allowedAgentIds"]);
    expect(paths(on, { ...on, allowRequestSessionKey: true })).toEqual(["hooks.allowRequestSessionKey"]);
  });

  it("lets narrowing and turning off through", () => {
    expect(paths(on, { ...on, allowedAgentIds: [] })).toEqual([]);
    expect(paths(on, { ...on, enabled: false })).toEqual([]);
    expect(paths(on, on)).toEqual([]);
  });
});
