import { OpenClawError } from "../../errors.js";
import type { ChatMessage, ModelProvider, ToolCall, ToolDescriptor } from "../../models/types.js";
import type { HostAccess, SubagentAccess, Tool, WorkspaceAccess } from "../../tools/index.js";
import { invokeAgentTool } from "./direct-invoke.js";
import { runModelStepWithFallbacks } from "./model-fallback.js";
import { executeToolCalls } from "./tool-execution.js";
import {
  addUsage,
  emptyUsage,
  type ModelCallRecord,
  type TurnEventSink,
  type TurnOutcome,
} from "./turn-events.js";

export const DEFAULT_MAX_STEPS = 8;

export interface TurnRequest {
  agentId: string;
  sessionKey: string;
  model: ModelProvider;
  /** Tried in order when a model call fails in a way another provider may not (see model-fallback). */
  fallbacks?: readonly ModelProvider[];
  tools: readonly Tool[];
  systemPrompt?: string;
  /** The conversation so far, ending with the new user message. */
  messages: ChatMessage[];
  maxSteps?: number;
  signal: AbortSignal;
  emit: TurnEventSink;
  /** Delegation to other agents, when this agent may delegate. */
  subagents?: SubagentAccess;
  /** The agent's workspace, for the workspace tools. */
  workspace?: WorkspaceAccess;
  /** The gateway's services (sandbox, memory, canvas, ...), for the tools that call them. */
  host?: HostAccess;
  /** Run this one call of the agent's tools and nothing else: no model step (`POST /tools/invoke`). */
  invoke?: ToolCall;
  /**
   * Tools the HTTP client defined and runs itself (OpenAI's `tools`): offered to the model beside
   * the agent's, and a step that calls one ends the turn with the calls for the client.
   */
  clientTools?: readonly ToolDescriptor[];
}

/**
 * The agent loop: call the model, run the tools it asks for, feed the results back, until it
 * answers without tool calls or the step budget runs out.
 */
export async function runAgentTurn(request: TurnRequest): Promise<TurnOutcome> {
  if (request.invoke) return invokeAgentTool(request, request.invoke);
  const maxSteps = request.maxSteps ?? DEFAULT_MAX_STEPS;
  const produced: ChatMessage[] = [];
  let usage = emptyUsage();
  let candidates: readonly ModelProvider[] = [request.model, ...(request.fallbacks ?? [])];
  const offered = [
    ...request.tools.map(({ name, description, parameters }) => ({ name, description, parameters })),
    ...(request.clientTools ?? []),
  ];
  const clientNames = new Set((request.clientTools ?? []).map((tool) => tool.name));
  const clash = request.tools.find((tool) => clientNames.has(tool.name));
  if (clash) {
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      `tool "${clash.name}" is one of agent "${request.agentId}"'s own tools`,
      {
        hint: "give the client-defined tool another name",
        details: { param: "tools" },
      },
    );
  }
  for (let step = 1; ; step++) {
    request.signal.throwIfAborted();
    const result = await runModelStepWithFallbacks(
      candidates,
      {
        ...(request.systemPrompt ? { system: request.systemPrompt } : {}),
        messages: [...request.messages, ...produced],
        tools: offered,
        signal: request.signal,
      },
      request.emit,
    );
    usage = addUsage(usage, result.usage);
    const answeredBy = candidates[result.answeredBy] as ModelProvider;
    // The rest of this turn's steps start from the model that answered: the ones before it have
    // just failed, and asking them again at every tool step would add their failure's latency to
    // each. The next turn starts from the primary again.
    candidates = candidates.slice(result.answeredBy);
    const call: ModelCallRecord = {
      step,
      model: answeredBy.id,
      usage: result.usage,
      finishReason: result.finishReason,
      latencyMs: round2(result.latencyMs),
      ...(result.firstTokenMs !== undefined ? { firstTokenMs: round2(result.firstTokenMs) } : {}),
      ...(result.fallbackFrom.length > 0 ? { fallbackFrom: result.fallbackFrom } : {}),
    };
    request.emit({ type: "model-call", call });
    if (result.toolCalls.length === 0) {
      produced.push({ role: "assistant", content: result.text });
      return {
        text: result.text,
        messages: produced,
        usage,
        finishReason: result.finishReason,
        steps: step,
      };
    }
    const clientCalls = result.toolCalls.filter((call) => clientNames.has(call.name));
    if (clientCalls.length > 0) {
      // The client runs these and continues the turn with their results in a new request. The
      // agent's own calls of the same step are not run: the client's copy of the conversation
      // would not hold their results, so the model asks for them again if it still needs them.
      produced.push({ role: "assistant", content: result.text, toolCalls: clientCalls });
      return {
        text: result.text,
        messages: produced,
        usage,
        finishReason: "tool-calls",
        steps: step,
        clientToolCalls: clientCalls,
      };
    }
    produced.push({ role: "assistant", content: result.text, toolCalls: result.toolCalls });
    const toolMessages = await executeToolCalls(
      result.toolCalls,
      request.tools,
      {
        agentId: request.agentId,
        sessionKey: request.sessionKey,
        signal: request.signal,
        ...(request.subagents ? { subagents: request.subagents } : {}),
        ...(request.workspace ? { workspace: request.workspace } : {}),
        ...(request.host ? { host: request.host } : {}),
      },
      request.emit,
    );
    produced.push(...toolMessages);
    if (step >= maxSteps) {
      const text = `[stopped after ${maxSteps} model steps; raise agents.${request.agentId}.maxSteps to allow more]`;
      request.emit({ type: "text-delta", text });
      produced.push({ role: "assistant", content: text });
      return { text, messages: produced, usage, finishReason: "length", steps: step };
    }
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
