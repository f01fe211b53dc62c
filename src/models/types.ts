/**
 * The provider specification the agent runtime depends on. Concrete providers (the AI SDK
 * adapters, the offline dev model) implement it; the runtime never imports a provider directly.
 * Everything here is plain data so that a request can cross a worker-thread boundary.
 */

export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls?: ToolCall[] }
  | { role: "tool"; toolCallId: string; toolName: string; content: string; isError?: boolean };

export interface ToolDescriptor {
  name: string;
  description: string;
  /** JSON Schema of the tool's input object. */
  parameters: Record<string, unknown>;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
}

export type FinishReason = "stop" | "length" | "tool-calls" | "content-filter" | "error" | "other";

export type ModelStreamPart =
  | { type: "text-delta"; text: string }
  | { type: "tool-call"; toolCallId: string; toolName: string; input: unknown }
  | { type: "finish"; finishReason: FinishReason; usage: Usage };

export interface ModelRequest {
  system?: string;
  messages: ChatMessage[];
  tools: ToolDescriptor[];
  signal?: AbortSignal;
  maxOutputTokens?: number;
}

export interface ModelProvider {
  /** `provider/model`, as shown to users. */
  readonly id: string;
  stream(request: ModelRequest): AsyncIterable<ModelStreamPart>;
}

export type ProviderType = "anthropic" | "openai" | "openai-compatible" | "dev";

/**
 * Everything needed to build a provider, resolved from config. Serializable (no functions),
 * so the gateway can hand it to an agent's worker thread.
 */
export interface ModelSpec {
  /** Provider name as configured (`anthropic`, `local`, ...). */
  provider: string;
  type: ProviderType;
  /** Model name as the provider's API knows it. */
  model: string;
  baseUrl?: string;
  apiKey?: string;
  /**
   * Where the key comes from, in words for an error message (`secret "claude-api-key"`): a
   * refused key is the operator's to fix, and this says which one. Never the key itself.
   */
  apiKeySource?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Extended thinking budget for Anthropic models named `*-thinking`. */
  thinkingBudgetTokens?: number;
}
