import type { FastifyInstance } from "fastify";
import { PUBLIC, withAccess } from "../access/route-access.js";

/**
 * Public probes: they answer without auth, so they say nothing beyond up or ready and, when not
 * ready, the kind of reason (no file, no path: status has those, behind auth). `/health` is
 * liveness and stays 200 through a full disk: restarting the process would not free space.
 */
export interface HealthRouteDeps {
  isShuttingDown(): boolean;
  /** The state dir's write health (StateDirHealth fits). */
  stateDir: { snapshot(): { writable: boolean; code?: string; reason?: string; failingSince?: string } };
  /** Whether any agent can take a turn. */
  anyAgentReady(): boolean;
  /** Whether the storage answers (a database reachable); a files storage always does. */
  storageReachable?(): Promise<boolean>;
}

export function registerHealthRoutes(server: FastifyInstance, deps: HealthRouteDeps): void {
  server.get("/health", withAccess(PUBLIC), async () => ({ ok: true }));
  server.get("/readyz", withAccess(PUBLIC), async (_request, reply) => {
    const reason = notReadyReason(deps) ?? (await storageNotReady(deps));
    return reply.code(reason ? 503 : 200).send(reason ? { ready: false, reason } : { ready: true });
  });
}

async function storageNotReady(deps: HealthRouteDeps): Promise<string | undefined> {
  // A replica that cannot reach the shared storage can neither lease sessions nor save turns:
  // the proxy sends its clients elsewhere until it can.
  const reachable = await (deps.storageReachable?.() ?? Promise.resolve(true)).catch(() => false);
  return reachable ? undefined : "storage unreachable";
}

function notReadyReason(deps: HealthRouteDeps): string | undefined {
  if (deps.isShuttingDown()) return "shutting down";
  const storage = deps.stateDir.snapshot();
  if (!storage.writable)
    return `state dir disk refuses writes (${storage.code}: ${storage.reason}) since ${storage.failingSince}`;
  if (!deps.anyAgentReady()) return "no agent is ready";
  return undefined;
}
