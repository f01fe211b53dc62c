import type { FastifyInstance } from "fastify";
import { OpenClawError } from "../../errors.js";
import type { SessionSummary, TranscriptEntry } from "../../sessions/index.js";
import { validateSessionKey } from "../../sessions/index.js";
import type { StoredTranscript } from "../../storage/transcript-repository.js";
import { OPERATOR_ADMIN, OPERATOR_READ, withAccess } from "../access/route-access.js";

/** What the session routes need of the transcripts (TranscriptStore fits). */
export interface SessionRouteDeps {
  transcripts: {
    list(): Promise<SessionSummary[]>;
    read(sessionKey: string): Promise<TranscriptEntry[]>;
    listStored(): Promise<StoredTranscript[]>;
    removeSessionIfIdle(sessionKey: string, name: string): Promise<boolean>;
  };
  /** After a delete: the session has ended, so its agent kills its background processes. */
  sessionEnded?(sessionKey: string): Promise<void>;
}

function unknownSession(key: string): OpenClawError {
  return new OpenClawError("OC_ERR_NOT_FOUND", `no session "${key}" has a transcript`, {
    hint: "`openclaw sessions list` shows the sessions there are",
  });
}

/** Session transcripts for `openclaw sessions list | show | delete` (as `sessions.*` over WebSocket). */
export function registerSessionRoutes(server: FastifyInstance, deps: SessionRouteDeps): void {
  server.get<{ Querystring: { agent?: string } }>(
    "/__openclaw__/sessions",
    withAccess(OPERATOR_READ),
    async (request) => {
      const agent = request.query.agent;
      const sessions = await deps.transcripts.list();
      return { sessions: agent ? sessions.filter((session) => session.agentId === agent) : sessions };
    },
  );
  server.get<{ Params: { key: string } }>(
    "/__openclaw__/sessions/:key",
    withAccess(OPERATOR_READ),
    async (request) => {
      const key = validateSessionKey(request.params.key);
      const entries = await deps.transcripts.read(key);
      if (entries.length === 0) throw unknownSession(key);
      return { key, entries };
    },
  );
  server.delete<{ Params: { key: string } }>(
    "/__openclaw__/sessions/:key",
    withAccess(OPERATOR_ADMIN),
    async (request) => {
      const key = validateSessionKey(request.params.key);
      const stored = (await deps.transcripts.listStored()).find(
        (unit) => unit.kind === "session" && unit.sessionKey === key,
      );
      if (!stored) throw unknownSession(key);
      // A turn writing to it now would put its entries back at once; refusing is the honest answer.
      if (!(await deps.transcripts.removeSessionIfIdle(key, stored.name))) {
        throw new OpenClawError("OC_ERR_AGENT_BUSY", `session "${key}" is being written by a turn`, {
          hint: "wait for the turn to end, then delete it again",
        });
      }
      await deps.sessionEnded?.(key);
      return { deleted: key };
    },
  );
}
