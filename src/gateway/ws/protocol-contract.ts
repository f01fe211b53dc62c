import { OpenClawError } from "../../errors.js";
import type { RequestFrame } from "./frames.js";

/**
 * The published contract (`@openclaw/gateway-protocol`, pinned exactly) judges what clients send:
 * the same validators OpenClaw's own gateway runs, so a frame one accepts the other accepts.
 * Methods that are this gateway's own (agents.kill, canvas.*, nodes.*) check their params by hand.
 *
 * The package builds its whole schema graph when imported (about 230 ms, half of the gateway's
 * start-up), so it is loaded when the first WebSocket client connects, not at start.
 */

interface Validator {
  (data: unknown): boolean;
  errors: unknown;
}

type ProtocolModule = typeof import("@openclaw/gateway-protocol");

export interface ProtocolContract {
  requestFrame: Validator;
  connectParams: Validator;
  /** By method name: the methods whose params the protocol defines and this gateway serves. */
  params: Readonly<Record<string, Validator>>;
  format(errors: unknown): string;
}

function contractOf(protocol: ProtocolModule): ProtocolContract {
  return {
    requestFrame: protocol.validateRequestFrame,
    connectParams: protocol.validateConnectParams,
    params: {
      "agents.list": protocol.validateAgentsListParams,
      "models.list": protocol.validateModelsListParams,
      "sessions.list": protocol.validateSessionsListParams,
      "chat.history": protocol.validateChatHistoryParams,
      "chat.send": protocol.validateChatSendParams,
      "chat.abort": protocol.validateChatAbortParams,
      "config.get": protocol.validateConfigGetParams,
      "node.list": protocol.validateNodeListParams,
      "node.pair.list": protocol.validateNodePairListParams,
      "node.pair.approve": protocol.validateNodePairApproveParams,
      "node.pair.reject": protocol.validateNodePairRejectParams,
      "node.pair.remove": protocol.validateNodePairRemoveParams,
      "channels.status": protocol.validateChannelsStatusParams,
      "channels.pairing.list": protocol.validateChannelsPairingListParams,
      "channels.pairing.approve": protocol.validateChannelsPairingApproveParams,
      "channels.pairing.dismiss": protocol.validateChannelsPairingDismissParams,
      "cron.list": protocol.validateCronListParams,
      "cron.add": protocol.validateCronAddParams,
      "cron.update": protocol.validateCronUpdateParams,
      "cron.remove": protocol.validateCronRemoveParams,
      "cron.run": protocol.validateCronRunParams,
      "cron.runs": protocol.validateCronRunsParams,
    },
    format: (errors) =>
      protocol.formatValidationErrors(errors as Parameters<ProtocolModule["formatValidationErrors"]>[0]),
  };
}

let loaded: ProtocolContract | undefined;
let loading: Promise<ProtocolContract> | undefined;

/** The contract once loaded, else undefined (then `loadProtocolContract` and wait). */
export function protocolContract(): ProtocolContract | undefined {
  return loaded;
}

export function loadProtocolContract(): Promise<ProtocolContract> {
  loading ??= import("@openclaw/gateway-protocol").then((protocol) => {
    loaded = contractOf(protocol);
    return loaded;
  });
  return loading;
}

export type FrameCheck =
  | { ok: true; frame: RequestFrame }
  | { ok: false; id: string | undefined; reason: string };

/** A request envelope, judged by the protocol's `RequestFrame` schema (closed: no extra keys). */
export function checkRequestFrame(contract: ProtocolContract, text: string): FrameCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, id: undefined, reason: "invalid request frame: not JSON" };
  }
  const record = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  if (contract.requestFrame(value)) {
    return {
      ok: true,
      frame: { type: "req", id: String(record.id), method: String(record.method), params: record.params },
    };
  }
  const id = typeof record.id === "string" && record.id !== "" ? record.id : undefined;
  return { ok: false, id, reason: `invalid request frame: ${contract.format(contract.requestFrame.errors)}` };
}

/** Why `connect` params break the schema, or undefined when they do not. */
export function connectParamsProblem(contract: ProtocolContract, params: unknown): string | undefined {
  if (contract.connectParams(params)) return undefined;
  return `invalid connect params: ${contract.format(contract.connectParams.errors)}`;
}

/**
 * Throws the protocol's INVALID_REQUEST (`invalid <method> params: …`) when params break the
 * method's schema; methods the protocol does not define pass.
 */
export function assertParams(contract: ProtocolContract, method: string, params: unknown): void {
  const validator = Object.hasOwn(contract.params, method) ? contract.params[method] : undefined;
  if (!validator || validator(params)) return;
  throw new OpenClawError(
    "OC_ERR_BAD_REQUEST",
    `invalid ${method} params: ${contract.format(validator.errors)}`,
  );
}
