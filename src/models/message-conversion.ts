import {
  type JSONSchema7,
  jsonSchema,
  type ModelMessage,
  type SystemModelMessage,
  type ToolSet,
  tool,
} from "ai";
import type { ChatMessage, ToolDescriptor } from "./types.js";

/**
 * Converts our plain-data conversation into the AI SDK's prompt shapes. System messages are
 * hoisted into `instructions`: AI SDK 7 refuses `role: "system"` inside `messages` by default
 * (a prompt-injection guard), and Anthropic only has one system prompt per request anyway.
 */

export interface SdkPrompt {
  instructions: SystemModelMessage[] | undefined;
  messages: ModelMessage[];
}

export function toSdkPrompt(system: string | undefined, messages: ChatMessage[]): SdkPrompt {
  const instructions: SystemModelMessage[] = [];
  if (system?.trim()) instructions.push({ role: "system", content: system });
  const converted: ModelMessage[] = [];
  for (const message of messages) {
    switch (message.role) {
      case "system":
        instructions.push({ role: "system", content: message.content });
        break;
      case "user":
        converted.push({ role: "user", content: message.content });
        break;
      case "assistant": {
        const toolCalls = message.toolCalls ?? [];
        if (toolCalls.length === 0) {
          converted.push({ role: "assistant", content: message.content });
          break;
        }
        converted.push({
          role: "assistant",
          content: [
            ...(message.content ? [{ type: "text" as const, text: message.content }] : []),
            ...toolCalls.map((call) => ({
              type: "tool-call" as const,
              toolCallId: call.id,
              toolName: call.name,
              input: call.input,
            })),
          ],
        });
        break;
      }
      case "tool": {
        const result = {
          type: "tool-result" as const,
          toolCallId: message.toolCallId,
          toolName: message.toolName,
          output: message.isError
            ? { type: "error-text" as const, value: message.content }
            : { type: "text" as const, value: message.content },
        };
        // Results of parallel tool calls belong in one tool message, answering one assistant turn.
        const previous = converted.at(-1);
        if (previous?.role === "tool") previous.content.push(result);
        else converted.push({ role: "tool", content: [result] });
        break;
      }
    }
  }
  return { instructions: instructions.length > 0 ? instructions : undefined, messages: converted };
}

/**
 * Tools are declared to the SDK without `execute`: the SDK then stops at the tool call and hands
 * it to us, and our runtime runs the tool (sandbox, allow-list, audit) itself. No `validate`
 * either: our tool layer validates inputs and reports errors back to the model.
 */
export function toSdkTools(tools: ToolDescriptor[]): ToolSet | undefined {
  if (tools.length === 0) return undefined;
  const toolSet: ToolSet = {};
  for (const descriptor of tools) {
    toolSet[descriptor.name] = tool({
      description: descriptor.description,
      inputSchema: jsonSchema(descriptor.parameters as JSONSchema7),
    });
  }
  return toolSet;
}
