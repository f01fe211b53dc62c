import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { redactCredentials } from "../../../config/index.js";
import { splitModelId } from "../../../models/index.js";
import { buildStatusReport } from "../../status-report.js";
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

async function configFileBytes(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

export const SYSTEM_METHODS: MethodTable = {
  health: {
    role: "any",
    handle: ({ gateway }) => ({
      ok: true,
      ts: Date.now(),
      uptimeMs: Math.round(Date.now() - gateway.startedAt),
      agents: gateway.supervisor.list().map(({ id, state }) => ({ id, state })),
    }),
  },
  status: {
    role: "operator",
    scope: "operator.read",
    handle: ({ gateway, client }) => {
      const report = buildStatusReport(gateway);
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
    handle: ({ gateway }) => gateway.presence.list(),
  },
  "models.list": {
    role: "operator",
    scope: "operator.read",
    handle: ({ gateway, params }) => {
      const agents = gateway.supervisor.list();
      const chosen =
        typeof params.agentId === "string" ? agents.filter((a) => a.id === params.agentId) : agents;
      return { models: configuredModels(chosen.map((agent) => agent.model)) };
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
    handle: async ({ gateway, client }) => {
      const bytes = await configFileBytes(gateway.configPath);
      return {
        path: gateway.configPath,
        exists: bytes !== undefined,
        valid: true,
        hash: bytes ? createHash("sha256").update(bytes).digest("hex") : null,
        raw: null,
        // Read-only callers see what status shows them: which secrets exist, not where they live.
        config: redactCredentials(gateway.config(), "", { hideSecretSources: client.isAdmin !== true }),
        issues: [],
        loadedAt: gateway.configLoadedAt(),
      };
    },
  },
};
