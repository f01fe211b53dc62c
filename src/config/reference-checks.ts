import { resolveAgentConfigs } from "./agents.js";
import type { PendingIssue } from "./config-issues.js";
import { ProviderTypeSchema } from "./schema/models.js";
import type { OpenClawConfig } from "./schema.js";
import { suggestNearest } from "./suggest.js";
import { GATEWAY_TOOL_NAMES, OPENCLAW_TOOL_NAMES } from "./tool-names.js";

/**
 * Names in the config that must refer to something: a tool in an allow-list, the provider of a
 * model. The schema cannot see these, and a typo in either used to pass validation and leave an
 * agent without tools, or degraded at start with advice to add a provider named after the typo.
 */
export function checkReferences(config: OpenClawConfig): PendingIssue[] {
  return [...checkToolNames(config), ...checkModelProviders(config)];
}

function checkToolNames(config: OpenClawConfig): PendingIssue[] {
  const { defaults, ...agents } = config.agents;
  const resolved = resolveAgentConfigs(config);
  const withPlugins = new Set(
    resolved.filter((agent) => (agent.plugins ?? []).length > 0).map((agent) => agent.id),
  );
  // An allow-list that reaches an agent with plugins may name a plugin's tool: those names are
  // known once the plugins are loaded, and checked there (the agent degrades with the reason).
  const lists: { path: (string | number)[]; tools: readonly string[]; policyForm: boolean }[] = [];
  const defaultsReachPlugins =
    (defaults?.plugins ?? []).length > 0 ||
    resolved.some((agent) => withPlugins.has(agent.id) && !agents[agent.id]?.tools);
  if (defaults?.tools && !defaultsReachPlugins)
    lists.push(...toolLists(["agents", "defaults"], defaults.tools));
  for (const [id, agent] of Object.entries(agents)) {
    if (agent?.tools && !withPlugins.has(id)) lists.push(...toolLists(["agents", id], agent.tools));
  }
  const issues: PendingIssue[] = [];
  for (const { path, tools, policyForm } of lists) {
    tools.forEach((name, index) => {
      // OpenClaw's policy form also takes groups (`group:fs`) and wildcards: not names to check.
      if (GATEWAY_TOOL_NAMES.includes(name) || name.includes("*") || name.startsWith("group:")) return;
      // MCP tools: `bundle-mcp`, or `<server>__<tool>` (listed only once the server runs).
      if (name === "bundle-mcp" || name.includes("__")) return;
      const suggestion = suggestNearest(name, GATEWAY_TOOL_NAMES);
      // OpenClaw's policy form names OpenClaw's own tools too (`browser`, `web_search`): one this
      // gateway lacks only narrows nothing. A near miss of one it has is still a typo.
      if (policyForm && (!suggestion || OPENCLAW_TOOL_NAMES.includes(name))) return;
      issues.push({
        path: [...path, index],
        message: `unknown tool "${name}" (tools: ${GATEWAY_TOOL_NAMES.join(", ")}; or a plugin's, with plugins)`,
        ...(suggestion ? { suggestion } : {}),
      });
    });
  }
  return issues;
}

/**
 * A provider that is neither configured nor built in, yet one edit away from one that is: a
 * typo. An unknown provider with no near name stays a start-time problem of its agent (the
 * seed's own example names `local/…` without configuring it), which doctor reports.
 */
function checkModelProviders(config: OpenClawConfig): PendingIssue[] {
  const known = [...Object.keys(config.models.providers), ...ProviderTypeSchema.options];
  const issues: PendingIssue[] = [];
  for (const [id, agent] of Object.entries(config.agents)) {
    for (const { path, model: written } of modelReferences(agent?.model, ["agents", id, "model"])) {
      const model = written.trim();
      const slash = model.indexOf("/");
      if (slash <= 0) continue;
      const provider = model.slice(0, slash);
      if (known.includes(provider)) continue;
      const suggestion = suggestNearest(provider, known);
      if (!suggestion) continue;
      issues.push({
        path,
        message: `model "${model}" names provider "${provider}", which is not configured`,
        suggestion: `${suggestion}${model.slice(slash)}`,
      });
    }
  }
  return issues;
}

/** Each model an agent names (a string, or OpenClaw's `{ primary, fallbacks }`), with its path. */
function modelReferences(
  model: string | { primary?: string | undefined; fallbacks?: string[] | undefined } | undefined,
  path: (string | number)[],
): { path: (string | number)[]; model: string }[] {
  if (model === undefined) return [];
  if (typeof model === "string") return [{ path, model }];
  return [
    ...(model.primary !== undefined ? [{ path: [...path, "primary"], model: model.primary }] : []),
    ...(model.fallbacks ?? []).map((fallback, index) => ({
      path: [...path, "fallbacks", index],
      model: fallback,
    })),
  ];
}

/** An agent's `tools`: the seed's allow-list, or OpenClaw's `{ allow, alsoAllow, deny }`. */
function toolLists(
  path: (string | number)[],
  tools:
    | readonly string[]
    | { allow?: string[] | undefined; alsoAllow?: string[] | undefined; deny?: string[] | undefined },
): { path: (string | number)[]; tools: readonly string[]; policyForm: boolean }[] {
  if (Array.isArray(tools)) return [{ path: [...path, "tools"], tools, policyForm: false }];
  const policy = tools as { allow?: string[]; alsoAllow?: string[]; deny?: string[] };
  return (["allow", "alsoAllow", "deny"] as const)
    .filter((key) => policy[key] !== undefined)
    .map((key) => ({ path: [...path, "tools", key], tools: policy[key] as string[], policyForm: true }));
}
