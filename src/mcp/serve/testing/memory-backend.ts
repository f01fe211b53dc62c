import type {
  AskRequest,
  McpServeBackend,
  ServedAgent,
  ServedEntry,
  ServedSession,
} from "../serve-backend.js";

/**
 * An in-memory backend for the tools' tests: agents that echo, transcripts kept per key. What it
 * records (`asked`) is what a test checks reached the gateway.
 */
export class MemoryServeBackend implements McpServeBackend {
  agents: ServedAgent[];
  readonly asked: AskRequest[] = [];
  readonly transcripts = new Map<string, ServedEntry[]>();
  failWith: Error | undefined;

  constructor(agents: ServedAgent[] = [{ id: "main" }]) {
    this.agents = agents;
  }

  async listAgents(): Promise<ServedAgent[]> {
    return this.agents;
  }

  async ask(request: AskRequest) {
    if (this.failWith) throw this.failWith;
    this.asked.push(request);
    const text = `echo: ${request.message}`;
    const entries = this.transcripts.get(request.sessionKey) ?? [];
    const runId = `run-${this.asked.length}`;
    entries.push({ ts: entries.length, role: "user", content: request.message, runId });
    entries.push({ ts: entries.length, role: "assistant", content: text, runId });
    this.transcripts.set(request.sessionKey, entries);
    return { agentId: request.agentId, sessionKey: request.sessionKey, runId, text };
  }

  async listSessions({ agentId }: { agentId?: string }): Promise<ServedSession[]> {
    return [...this.transcripts]
      .map(([key, entries]) => ({
        key,
        agentId: key.split(":")[1] as string,
        messageCount: entries.length,
        updatedAt: entries.length,
      }))
      .filter((session) => agentId === undefined || session.agentId === agentId);
  }

  async history(sessionKey: string): Promise<ServedEntry[]> {
    return this.transcripts.get(sessionKey) ?? [];
  }
}
