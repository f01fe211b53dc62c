import type { ModelSelection } from "./schema/model-selection.js";

/** An agent's models in the order they are tried: `primary` first, then `fallbacks`. */
export interface ModelChain {
  /** Undefined when neither the agent nor `agents.defaults` names one (the dev model then). */
  primary: string | undefined;
  fallbacks: string[];
}

function chainOf(selection: ModelSelection | undefined): ModelChain {
  if (selection === undefined) return { primary: undefined, fallbacks: [] };
  if (typeof selection === "string") return { primary: selection, fallbacks: [] };
  return { primary: selection.primary, fallbacks: [...(selection.fallbacks ?? [])] };
}

/**
 * OpenClaw's rules: an agent's own primary is strict (no fallbacks) unless its object lists
 * `fallbacks`, so that an agent pinned to a model never answers from another one by surprise;
 * an object with `fallbacks` but no `primary` keeps the shared primary; an agent without `model`
 * takes `agents.defaults.model` whole, fallbacks included.
 */
export function resolveModelChain(
  defaults: ModelSelection | undefined,
  agent: ModelSelection | undefined,
): ModelChain {
  const shared = chainOf(defaults);
  if (agent === undefined) return shared;
  const own = chainOf(agent);
  if (typeof agent === "string" || agent.primary !== undefined) return own;
  return { primary: shared.primary, fallbacks: agent.fallbacks ? own.fallbacks : shared.fallbacks };
}
