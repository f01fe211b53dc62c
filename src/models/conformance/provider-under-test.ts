import type { SilenceClock } from "../silence-clock.js";
import type { RecordedRequest } from "../testing/fake-provider-server.js";
import type { ChatMessage, ModelProvider, ToolCall, ToolDescriptor, Usage } from "../types.js";

/**
 * What the conformance suite needs from an adapter to drive it: a way to build the provider and
 * to script what the model answers next. The suite holds every provider to the same behaviour
 * (streaming, tool calls, usage, finish reasons, errors, abort, timeout); each adapter's own test
 * file keeps only what is specific to it (its wire format, its configuration).
 */
export interface ProviderUnderTest {
  /** As in `models.providers`: the name errors and hints use. */
  readonly providerName: string;
  /** The provider as the gateway builds it; `apiKey` replaces the configured key. */
  create(options?: { apiKey?: string; timeoutMs?: number; clock?: SilenceClock }): ModelProvider;
  /** The next request answers `text`; returns that request and what a conforming answer holds. */
  scriptText(text: string, options?: { finishReason?: "stop" | "length" }): ScriptedText;
  /** The next request answers with one call of `tool`. */
  scriptToolCall(tool: ToolDescriptor, input: Record<string, unknown>): ScriptedToolCall;
  /** The request that carries the tool's `result` back answers with the returned text. */
  scriptAnswerToToolResult(toolName: string, result: string): { expectedText: string };
  /** Whether the model can be told to stop for length (the dev model cannot). */
  readonly stopsForLength: boolean;
  /** A provider behind an HTTP API: its server, its failures, its timeout. */
  readonly remote?: RemoteProvider;
  close(): Promise<void>;
}

export interface ScriptedText {
  messages: ChatMessage[];
  expectedText: string;
  expectedUsage: Usage;
}

export interface ScriptedToolCall {
  messages: ChatMessage[];
  call: ToolCall;
}

export interface RemoteProvider {
  /** The key the provider is configured with: no error, hint or detail may ever contain it. */
  readonly apiKey: string;
  readonly baseUrl: string;
  /** Every request the server received, in order. */
  requests(): readonly RecordedRequest[];
  /** Requests whose client went away before the answer was complete. */
  abandonedRequests(): number;
  scriptHttpError(status: number, message: string): void;
  /** Some text, then the provider's own mid-stream error event. */
  scriptStreamError(text: string, message: string): void;
  /** Streams `text` and then nothing more, with the connection left open. */
  scriptStall(text: string): void;
  /** Answers 200 and then sends nothing. */
  scriptSilence(): void;
  /** Stops the server: nothing listens at `baseUrl` any more. */
  stopServer(): Promise<void>;
}
