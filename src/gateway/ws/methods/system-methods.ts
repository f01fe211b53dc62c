import type { AgentSupervisor } from "../../../agents/index.js";
import type { OpenClawConfig } from "../../../config/index.js";
import { redactCredentials } from "../../../config/redact.js";
import { splitModelId } from "../../../models/index.js";
import { readConfigFileState } from "../../config-file-state.js";
import type { StatusReport } from "../../status-report.js";
import type { ClientPresence } from "../client-presence.js";
import type { MethodTable } from "./method-definition.js";

/** Each distinct model the agents use, as the protocol's ModelsListResult rows. */
function configuredModels(modelIds: string[]) {
  const rows = new Map<string, { id: string; name: string; provider: string }>();
  for (const modelId of modelIds) {
    let split: { provider: string; model: string };
    try {
      split = splitModelId(modelId);
    } catch {
      // An agent with an unparseable model is reported by status and doctor; the list skips it.
      continue;
    }
    rows.set(`${split.provider}/${split.model}`, {
      id: split.model,
      name: split.model,
      provider: split.provider,
    });
  }
  return [...rows.values()];
}

/** Health, status, presence, models and the running config, over WebSocket. */
export interface SystemMethodsDeps {
  startedAt: number;
  supervisor: Pick<AgentSupervisor, "list">;
  presence: Pick<ClientPresence, "list">;
  statusReport(): Promise<StatusReport>;
  configPath: string;
  config(): OpenClawConfig;
  configLoadedAt(): number;
  runningConfigHash(): string | undefined;
}

export function systemMethods(deps: SystemMethodsDeps): MethodTable {
  return {
    health: {
      role: "any",
      handle: () => ({
        ok: true,
        ts: Date.now(),
        uptimeMs: Math.round(Date.now() - deps.startedAt),
        agents: deps.supervisor.list().map(({ id, state }) => ({ id, state })),
      }),
    },
    status: {
      role: "operator",
      scope: "operator.read",
      handle: async ({ client }) => {
        const report = await deps.statusReport();
        if (client.isAdmin) return report;
        // As in OpenClaw, the sensitive parts (secret bindings, config path, auth refusals) are
        // for admin-scoped operators only.
        const { secrets: _secrets, configPath: _configPath, auth: _auth, ...rest } = report;
        return rest;
      },
    },
    /** Who is connected (the gateway first): `openclaw gateway probe` reads it after status. */
    "system-presence": {
      role: "operator",
      scope: "operator.read",
      handle: () => deps.presence.list(),
    },
    "models.list": {
      role: "operator",
      scope: "operator.read",
      handle: ({ params }) => {
        const agents = deps.supervisor.list();
        const chosen =
          typeof params.agentId === "string" ? agents.filter((a) => a.id === params.agentId) : agents;
        const used = chosen.flatMap((agent) => [agent.model, ...(agent.modelFallbacks ?? [])]);
        return { models: configuredModels(used) };
      },
    },
    "config.get": {
      role: "operator",
      scope: "operator.read",
      /**
       * The running config with every credential redacted (and the frame itself passes the
       * secret-value redactor). The raw file is never sent: comments and unknown spellings could
       * carry a credential the structured redaction would not see.
       */
      handle: async ({ client }) => {
        const file = await readConfigFileState(deps.configPath, deps.runningConfigHash());
        return {
          path: deps.configPath,
          exists: file.exists,
          // About the file on disk: whether it would load, and its problems.
          valid: file.valid,
          issues: file.issues,
          // About what runs: `config` is the running config, `hash` the bytes it came from.
          hash: deps.runningConfigHash() ?? null,
          raw: null,
          // Read-only callers see what status shows them: which secrets exist, not where they live.
          config: redactCredentials(deps.config(), "", { hideSecretSources: client.isAdmin !== true }),
          loadedAt: deps.configLoadedAt(),
          file: { hash: file.hash, valid: file.valid, differs: file.differs },
        };
      },
    },
  };
}
