import type { FastifyInstance } from "fastify";
import type { ChatTurnOptions, ChatTurnResult } from "../../agents/index.js";
import { toWireError } from "../../agents/wire-error.js";
import { CLUSTER_TURN_PATH, ClusterHopAuth, type ForwardedTurn, HOP_HEADERS } from "../../cluster/index.js";
import { OpenClawError } from "../../errors.js";
import { CLUSTER_HOP, OPERATOR_READ, withAccess } from "../access/route-access.js";

export const CLUSTER_STATUS_PATH = "/__openclaw__/cluster/status";

export interface ClusterRouteDeps {
  /** Runs a forwarded turn here (it is never forwarded again); absent without a cluster. */
  runForwardedTurn?(options: ChatTurnOptions & { forwarded: true }): Promise<ChatTurnResult>;
  /** What `openclaw cluster status` prints. */
  status(): Promise<unknown>;
}

/**
 * The internal hop (a peer's forwarded turn, admitted by the boundary on the hop signature
 * only) and the operators' view of the cluster. The turn's answer is NDJSON: its events as they
 * come, then its result or error, so a streaming client on the forwarding replica sees deltas
 * live.
 */
export function registerClusterRoutes(server: FastifyInstance, deps: ClusterRouteDeps): void {
  server.get(CLUSTER_STATUS_PATH, withAccess(OPERATOR_READ), async () => deps.status());
  server.post(CLUSTER_TURN_PATH, withAccess(CLUSTER_HOP), async (request, reply) => {
    const run = deps.runForwardedTurn;
    if (!run) throw new OpenClawError("OC_ERR_NOT_FOUND", "this gateway is not in a cluster");
    // The boundary checked the signature over the digest header; this checks the body against it.
    const raw = JSON.stringify(request.body ?? null);
    const digest = request.headers[HOP_HEADERS.bodyDigest];
    if (typeof digest !== "string" || ClusterHopAuth.bodyDigest(raw) !== digest) {
      throw new OpenClawError(
        "OC_ERR_CLUSTER_HOP",
        "the forwarded turn's body does not match its signature",
        {
          hint: "a proxy between replicas must not rewrite internal requests",
        },
      );
    }
    const turn = forwardedTurnFrom(request.body);
    reply.hijack();
    reply.raw.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store" });
    const write = (line: unknown) => {
      if (!reply.raw.writableEnded) reply.raw.write(`${JSON.stringify(line)}\n`);
    };
    const controller = new AbortController();
    // The forwarding replica gave up (its client left): the turn stops here too.
    reply.raw.on("close", () => {
      if (!reply.raw.writableFinished)
        controller.abort(new OpenClawError("OC_ERR_TURN_ABORTED", "the forwarding replica left"));
    });
    try {
      const result = await run({
        ...turn,
        forwarded: true,
        signal: controller.signal,
        onEvent: (event) => write({ event }),
      });
      write({ result });
    } catch (error) {
      write({ error: toWireError(error) });
    }
    reply.raw.end();
  });
}

function forwardedTurnFrom(body: unknown): ForwardedTurn {
  const turn = body as Partial<ForwardedTurn> | null;
  if (
    !turn ||
    typeof turn.agentId !== "string" ||
    typeof turn.sessionKey !== "string" ||
    typeof turn.input !== "object" ||
    turn.input === null
  ) {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "a forwarded turn needs agentId, sessionKey and input");
  }
  return turn as ForwardedTurn;
}
