import { agentIdOfSessionKey } from "../../src/sessions/index.js";
import { authHeaders } from "./harness.js";
/** Small HTTP helpers for end-to-end tests that talk to agents through the OpenAI route. */

export interface ChatReply {
  status: number;
  text: string | undefined;
  body: Record<string, unknown>;
  retryAfter: string | null;
  ms: number;
}

export async function chat(
  url: string,
  agentId: string,
  content: string,
  timeoutMs = 20_000,
): Promise<ChatReply> {
  const startedAt = performance.now();
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(url) },
    body: JSON.stringify({ model: `openclaw/${agentId}`, messages: [{ role: "user", content }] }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { choices?: { message: { content: string } }[] };
  return {
    status: response.status,
    text: body.choices?.[0]?.message.content,
    body: body as Record<string, unknown>,
    retryAfter: response.headers.get("retry-after"),
    ms: performance.now() - startedAt,
  };
}

export interface AgentStatus {
  id: string;
  state: string;
  placement: string;
  threadId?: number;
  restarts: number;
  turnsInFlight: number;
  queueDepth: number;
  heapUsedMb?: number;
  heapLimitMb?: number;
  eventLoopUtilization?: number;
  lastError?: string;
  reason?: string;
}

export async function agentStatus(url: string, agentId: string): Promise<AgentStatus> {
  const response = await fetch(`${url}/__openclaw__/agents/${agentId}`, { headers: authHeaders(url) });
  return ((await response.json()) as { agent: AgentStatus }).agent;
}

/**
 * Sends a light request to `agentId` back to back until stopped, recording every reply: the
 * probe that proves a sibling keeps answering while another agent misbehaves. Bounded by count.
 */
export function startProbe(url: string, agentId: string, maxRequests = 2000) {
  const replies: ChatReply[] = [];
  let running = true;
  const done = (async () => {
    for (let index = 0; running && index < maxRequests; index++) {
      replies.push(await chat(url, agentId, `ping ${index}`, 5000));
    }
  })();
  return {
    replies,
    async stop(): Promise<ChatReply[]> {
      running = false;
      await done;
      return replies;
    },
  };
}

/** What the `exec` tool answers (see src/tools/workspace/exec-tool.ts). */
export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  sandboxed: boolean;
  confined: boolean;
  durationMs: number;
}

/**
 * Runs `command` through the agent's `exec` tool, driven by the dev model's /tool form; `onReply`
 * sees the reply text as the client got it.
 */
export async function execThroughAgent(
  url: string,
  agentId: string,
  command: string,
  options: { timeoutMs?: number; onReply?: (text: string) => void } = {},
): Promise<ExecResult> {
  const reply = await chat(
    url,
    agentId,
    `/tool exec ${JSON.stringify({ command, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) })}`,
    90_000,
  );
  options.onReply?.(reply.text ?? JSON.stringify(reply.body));
  const match = /^Tool exec returned: ([\s\S]*)$/.exec(reply.text ?? "");
  if (!match?.[1]) throw new Error(`unexpected reply: ${reply.text ?? JSON.stringify(reply.body)}`);
  return JSON.parse(match[1]) as ExecResult;
}

/**
 * One chat turn in a given session, through the OpenAI route, to the agent the key names (main
 * for a key of no agent); returns the dev model's text.
 */
export async function sayInSession(url: string, sessionKey: string, content: string): Promise<string> {
  const agentId = agentIdOfSessionKey(sessionKey) ?? "main";
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-openclaw-session-key": sessionKey,
      ...authHeaders(url),
    },
    body: JSON.stringify({ model: `openclaw/${agentId}`, messages: [{ role: "user", content }] }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await response.json()) as { choices?: { message: { content: string } }[] };
  return body.choices?.[0]?.message.content ?? JSON.stringify(body);
}

/** The parsed result of the dev model's "Tool <name> returned: <json>" reply. */
export function toolResultOf(text: string, tool: string): Record<string, unknown> {
  const prefix = `Tool ${tool} returned: `;
  if (!text.startsWith(prefix)) throw new Error(`unexpected reply: ${text}`);
  return JSON.parse(text.slice(prefix.length)) as Record<string, unknown>;
}
