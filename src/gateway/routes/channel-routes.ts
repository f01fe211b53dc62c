import type { FastifyInstance } from "fastify";
import type { ChannelAccountReport, ChannelApproval, ChannelPairingRequest } from "../../channels/index.js";
import type { ThreadBindingView } from "../../channels/thread-bindings/index.js";
import { OpenClawError } from "../../errors.js";
import { OPERATOR_PAIRING, OPERATOR_READ, OPERATOR_WRITE, withAccess } from "../access/route-access.js";

/**
 * Messaging channels for operators: status (`openclaw channels status`), sends (`openclaw
 * message send`) and DM pairing (`openclaw pairing …`, the Control UI's access requests).
 */
export interface ChannelRouteDeps {
  status(): Promise<ChannelAccountReport[]>;
  /** Conversations bound to helper sessions (sessions_spawn thread: true). */
  threadBindings?(): Promise<ThreadBindingView[]>;
  send(request: {
    channel: string;
    accountId?: string;
    target: string;
    threadId?: string;
    text: string;
  }): Promise<unknown>;
  pending(channel?: string): Promise<ChannelPairingRequest[]>;
  approvals(channel?: string): Promise<ChannelApproval[]>;
  approve(request: { channel: string; code: string; accountId?: string; notify?: boolean }): Promise<{
    approved: ChannelPairingRequest;
    notified: boolean;
  }>;
  dismiss(request: { channel: string; code: string; accountId?: string }): Promise<void>;
}

type Body = Record<string, unknown> | undefined;

function text(body: Body, field: string, required: true): string;
function text(body: Body, field: string, required?: false): string | undefined;
function text(body: Body, field: string, required = false): string | undefined {
  const value = body?.[field];
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", `${field} must be a non-empty string`);
  }
  return value;
}

export function registerChannelRoutes(server: FastifyInstance, deps: ChannelRouteDeps): void {
  server.get("/__openclaw__/channels", withAccess(OPERATOR_READ), async () => ({
    channels: await deps.status(),
    threadBindings: (await deps.threadBindings?.()) ?? [],
  }));
  server.post<{ Body: Body }>("/__openclaw__/channels/send", withAccess(OPERATOR_WRITE), async (request) => {
    const body = request.body;
    const accountId = text(body, "accountId");
    const threadId = text(body, "threadId");
    const send = {
      channel: text(body, "channel", true),
      target: text(body, "target", true),
      text: text(body, "text", true),
      ...(accountId !== undefined ? { accountId } : {}),
      ...(threadId !== undefined ? { threadId } : {}),
    };
    return deps.send(send);
  });
  server.get<{ Querystring: { channel?: string } }>(
    "/__openclaw__/pairing",
    withAccess(OPERATOR_PAIRING),
    async (request) => {
      const channel = typeof request.query.channel === "string" ? request.query.channel : undefined;
      return { pending: await deps.pending(channel), approvals: await deps.approvals(channel) };
    },
  );
  server.post<{ Body: Body }>(
    "/__openclaw__/pairing/approve",
    withAccess(OPERATOR_PAIRING),
    async (request) => {
      const body = request.body;
      const accountId = text(body, "accountId");
      const notify = body?.notify;
      if (notify !== undefined && typeof notify !== "boolean")
        throw new OpenClawError("OC_ERR_BAD_REQUEST", "notify must be a boolean");
      const approve = {
        channel: text(body, "channel", true),
        code: text(body, "code", true),
        ...(accountId !== undefined ? { accountId } : {}),
        ...(notify !== undefined ? { notify } : {}),
      };
      return deps.approve(approve);
    },
  );
  server.post<{ Body: Body }>(
    "/__openclaw__/pairing/dismiss",
    withAccess(OPERATOR_PAIRING),
    async (request) => {
      const body = request.body;
      const accountId = text(body, "accountId");
      const dismiss = {
        channel: text(body, "channel", true),
        code: text(body, "code", true),
        ...(accountId !== undefined ? { accountId } : {}),
      };
      await deps.dismiss(dismiss);
      return { dismissed: true };
    },
  );
}
