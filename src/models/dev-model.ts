import { OpenClawError } from "../errors.js";
import type { ChatMessage, ModelProvider, ModelRequest, ModelStreamPart, ToolDescriptor } from "./types.js";

/**
 * The built-in offline model: deterministic, no network, no key. It exists so that the gateway
 * answers out of the box and so that tool paths can be driven end to end without a real model:
 * a user message `/tool <name> <json-args>` makes it call that tool, then report the result.
 */

const TOOL_COMMAND = /^\/tool\s+([A-Za-z0-9_.-]+)(?:\s+([\s\S]*))?$/;

export function parseToolCommand(text: string): { name: string; input: unknown } | { error: string } | null {
  const match = TOOL_COMMAND.exec(text.trim());
  if (!match) return null;
  const name = match[1] as string;
  const rawArgs = match[2]?.trim();
  if (!rawArgs) return { name, input: {} };
  try {
    return { name, input: JSON.parse(rawArgs) };
  } catch (error) {
    return { error: `the arguments of /tool ${name} are not valid JSON: ${(error as Error).message}` };
  }
}

function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function answerFor(messages: ChatMessage[], tools: ToolDescriptor[]): ModelStreamPart[] {
  const last = messages.at(-1);
  if (last?.role === "tool") {
    const verb = last.isError ? "failed" : "returned";
    return [{ type: "text-delta", text: `Tool ${last.toolName} ${verb}: ${last.content}` }];
  }
  const text = last?.role === "user" ? last.content : "";
  const command = parseToolCommand(text);
  if (command && "error" in command) return [{ type: "text-delta", text: command.error }];
  if (command) {
    const known = tools.some((tool) => tool.name === command.name);
    if (!known) {
      const available = tools.map((tool) => tool.name).join(", ") || "none";
      return [{ type: "text-delta", text: `Unknown tool "${command.name}". Available tools: ${available}.` }];
    }
    const turnIndex = messages.filter((message) => message.role === "user").length;
    return [
      {
        type: "tool-call",
        toolCallId: `dev-call-${turnIndex}`,
        toolName: command.name,
        input: command.input,
      },
    ];
  }
  const reply = text.trim() ? `You said: ${text.trim()}` : "Hello! I am the offline dev model.";
  return [{ type: "text-delta", text: reply }];
}

/** Splits text into word-sized chunks so that streaming clients see real incremental deltas. */
function chunk(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

export class DevModel implements ModelProvider {
  readonly id: string;

  constructor(model = "echo") {
    this.id = `dev/${model}`;
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelStreamPart> {
    const parts = answerFor(request.messages, request.tools);
    let outputText = "";
    let calledTool = false;
    for (const part of parts) {
      if (part.type === "text-delta") {
        for (const piece of chunk(part.text)) {
          this.throwIfAborted(request.signal);
          outputText += piece;
          yield { type: "text-delta", text: piece };
        }
      } else {
        this.throwIfAborted(request.signal);
        calledTool = true;
        yield part;
      }
    }
    this.throwIfAborted(request.signal);
    const inputText = request.messages.map((message) => message.content).join(" ");
    yield {
      type: "finish",
      finishReason: calledTool ? "tool-calls" : "stop",
      usage: { inputTokens: countTokens(inputText), outputTokens: countTokens(outputText) },
    };
  }

  /** The same answer as every provider gives an aborted request: OC_ERR_TURN_ABORTED. */
  private throwIfAborted(signal: AbortSignal | undefined): void {
    if (!signal?.aborted) return;
    throw new OpenClawError("OC_ERR_TURN_ABORTED", "The request to dev was aborted.", {
      details: { provider: "dev", reason: String(signal.reason ?? "aborted") },
    });
  }
}
