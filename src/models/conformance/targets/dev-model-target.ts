import { DevModel } from "../../dev-model.js";
import type { ChatMessage } from "../../types.js";
import type { ProviderUnderTest } from "../provider-under-test.js";

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * The offline dev model, scripted the way users drive it: it echoes a message, and calls a tool
 * on `/tool <name> <json>`. It has no server, so the remote cases (errors, timeouts) skip.
 */
export async function devModelUnderTest(): Promise<ProviderUnderTest> {
  return {
    providerName: "dev",
    stopsForLength: false,
    create: () => new DevModel(),
    scriptText(text) {
      const messages: ChatMessage[] = [{ role: "user", content: text }];
      const expectedText = `You said: ${text}`;
      return {
        messages,
        expectedText,
        expectedUsage: { inputTokens: words(text), outputTokens: words(expectedText) },
      };
    },
    scriptToolCall(tool, input) {
      const messages: ChatMessage[] = [
        { role: "user", content: `/tool ${tool.name} ${JSON.stringify(input)}` },
      ];
      return { messages, call: { id: "dev-call-1", name: tool.name, input } };
    },
    scriptAnswerToToolResult: (toolName, result) => ({
      expectedText: `Tool ${toolName} returned: ${result}`,
    }),
    close: async () => {},
  };
}
