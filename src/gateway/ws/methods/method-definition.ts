import type { OperatorScope } from "../operator-scopes.js";

/**
 * One call of a method. What a method needs of the gateway it gets when its table is built
 * (each family's `xxxMethods(deps)`), not per call: a method reaches nothing it was not given.
 */
export interface MethodCall {
  params: Record<string, unknown>;
  /** Who is calling: a node's methods act for that node only. */
  client: {
    connId: string;
    nodeId?: string;
    /** Holds operator.admin: may see what OpenClaw shows admins only. */
    isAdmin?: boolean;
    onSessionStart?: (sessionKey: string) => void;
    /**
     * Sends an interim `{ status: "accepted" }` answer on the request's id before the final one
     * (`agent`): OpenClaw clients waiting with `expectFinal` read it as "started", not done.
     */
    accept?: (payload: Record<string, unknown>) => void;
  };
}

/**
 * One WebSocket method: which role may call it and, for operators, the scope it needs (the
 * protocol's own classification where the method is OpenClaw's). Where the protocol defines the
 * method's params, they pass its validator before `handle` runs (protocol-contract.ts).
 */
export type MethodDefinition = (
  | { role: "operator"; scope: OperatorScope }
  | { role: "node" }
  /** Any connected client: `health`, as OpenClaw serves it, so probes of every role work. */
  | { role: "any" }
) & {
  handle(call: MethodCall): unknown;
};

export type MethodTable = Record<string, MethodDefinition>;
