import { html, LitElement, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import {
  type AssistantEntry,
  addNotice,
  addUserMessage,
  applyChatEvent,
  applyToolEvent,
  assistantText,
  ensureRun,
  type ToolActivity,
  type TranscriptEntry,
} from "../chat/chat-transcript.js";
import { previewValue } from "../display-format.js";
import type { GatewayClient } from "../gateway/gateway-client.js";
import type { AgentSummary, AgentToolEventPayload, ChatEventPayload } from "../gateway/protocol-types.js";
import { randomId } from "../random-id.js";

/**
 * One conversation with one agent: `chat.send`, then the run's `chat` events (text deltas, then
 * final or error) and `agent` tool events for this session key, from whichever client started
 * the run (a canvas button press streams its answer here too).
 */
export class ChatPanel extends LitElement {
  static override properties = {
    client: { attribute: false },
    agents: { attribute: false },
    agentId: { attribute: false },
    sessionKey: { attribute: false },
    entries: { state: true },
  };

  declare client: GatewayClient | undefined;
  declare agents: AgentSummary[] | undefined;
  declare agentId: string | undefined;
  declare sessionKey: string | undefined;
  declare entries: TranscriptEntry[];
  private unsubscribe: (() => void)[] = [];
  private stickToBottom = true;
  private resizeObserver: ResizeObserver | undefined;

  constructor() {
    super();
    this.entries = [];
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopListening();
    this.resizeObserver?.disconnect();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.client) this.listen(this.client);
  }

  /** A canvas button press went to the agent: say so in the transcript, where its answer will stream. */
  noteCanvasAction(name: string, runId: string | undefined): void {
    this.entries = addNotice(this.entries, randomId(8), `Canvas button “${name}” pressed.`, "info");
    if (runId) this.entries = ensureRun(this.entries, runId, this.agentId);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has("sessionKey") && changed.get("sessionKey") !== undefined) {
      this.entries = [];
      this.stickToBottom = true;
    }
    if (changed.has("client")) {
      this.stopListening();
      if (this.client) this.listen(this.client);
    }
  }

  protected override firstUpdated(): void {
    const log = this.querySelector<HTMLElement>(".transcript");
    if (!log) return;
    // Follow the newest text unless the person scrolled up to read; a narrower window re-wraps it.
    log.addEventListener("scroll", () => {
      this.stickToBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    });
    this.resizeObserver = new ResizeObserver(() => this.followNewest());
    this.resizeObserver.observe(log);
  }

  protected override updated(): void {
    this.followNewest();
  }

  private followNewest(): void {
    const log = this.querySelector(".transcript");
    if (log && this.stickToBottom) log.scrollTop = log.scrollHeight;
  }

  override render() {
    const agents = this.agents ?? [];
    const streaming = this.entries.some((entry) => entry.kind === "assistant" && entry.state === "streaming");
    return html`<section class="panel chat-panel" aria-labelledby="chat-heading">
      <div class="panel-heading">
        <h2 id="chat-heading">Chat</h2>
        <div class="chat-controls">
          <label for="agent-select">Agent</label>
          <select
            id="agent-select"
            data-testid="agent-select"
            .value=${this.agentId ?? ""}
            ?disabled=${agents.length === 0}
            @change=${this.onAgentChange}
          >
            ${agents.length === 0 ? html`<option value="">No agents</option>` : nothing}
            ${agents.map(
              (agent) =>
                html`<option value=${agent.id} ?selected=${agent.id === this.agentId}>${optionLabel(agent)}</option>`,
            )}
            )}
          </select>
          <button type="button" @click=${this.onNewConversation}>New conversation</button>
        </div>
      </div>
      <p class="muted small session-key">Session <code>${this.sessionKey ?? "—"}</code></p>
      <ol class="transcript" role="log" aria-label="Conversation" tabindex="0">
        ${
          this.entries.length === 0
            ? html`<li class="muted empty">Messages you send to the agent, and its answers, appear here.</li>`
            : nothing
        }
        ${repeat(
          this.entries,
          (entry) => (entry.kind === "assistant" ? `run:${entry.runId}` : `${entry.kind}:${entry.id}`),
          (entry) => this.renderEntry(entry),
        )}
      </ol>
      <form class="composer" @submit=${this.onSubmit}>
        <label for="chat-input">Message</label>
        <textarea
          id="chat-input"
          data-testid="chat-input"
          rows="2"
          placeholder="Ask the agent… (Enter sends, Shift+Enter starts a new line)"
          @keydown=${this.onKeyDown}
        ></textarea>
        <div class="composer-buttons">
          ${
            streaming
              ? html`<button type="button" @click=${this.onStop} aria-label="Stop the running answer">Stop</button>`
              : nothing
          }
          <button type="submit" class="primary" data-testid="send" ?disabled=${!this.agentId || !this.client}>
            Send
          </button>
        </div>
      </form>
    </section>`;
  }

  private renderEntry(entry: TranscriptEntry) {
    switch (entry.kind) {
      case "user":
        return html`<li class="message user">
          <span class="visually-hidden">You:</span>
          <p class="bubble">${entry.text}</p>
        </li>`;
      case "notice":
        return html`<li class=${`notice ${entry.tone}`} role=${entry.tone === "error" ? "alert" : nothing}>${entry.text}</li>`;
      case "assistant":
        return this.renderRun(entry);
    }
  }

  private renderRun(run: AssistantEntry) {
    const text = assistantText(run);
    const streaming = run.state === "streaming";
    // The bubble holds the answer's text and nothing else, so it reads (and tests) as it is.
    return html`<li class=${`message assistant ${run.state}`}>
      ${
        run.tools.length > 0
          ? html`<ul class="tools" aria-label="Tool calls">
            ${run.tools.map((tool) => this.renderTool(tool))}
          </ul>`
          : nothing
      }
      <span class="visually-hidden">${run.agentId ?? "Agent"}:</span>
      <div
        class="bubble"
        data-testid="assistant-message"
        data-run-id=${run.runId}
        data-state=${run.state}
        aria-busy=${streaming ? "true" : "false"}
      >${text}${streaming ? html`<span class="cursor" aria-hidden="true"></span>` : nothing}</div>
      ${
        run.state === "error"
          ? html`<p class="error" role="alert">The agent could not answer: ${run.errorMessage}</p>`
          : run.state === "aborted"
            ? html`<p class="muted">Stopped: ${run.errorMessage}</p>`
            : nothing
      }
    </li>`;
  }

  private renderTool(tool: ToolActivity) {
    const status = !tool.done ? "running…" : tool.isError ? "failed" : "done";
    return html`<li class=${`tool ${tool.done ? (tool.isError ? "failed" : "done") : "running"}`}>
      <details>
        <summary><span class="tool-name">${tool.name}</span> <span class="tool-status">${status}</span></summary>
        ${tool.args !== undefined ? html`<pre aria-label="Arguments">${previewValue(tool.args)}</pre>` : nothing}
        ${tool.done ? html`<pre aria-label="Result">${previewValue(tool.result)}</pre>` : nothing}
      </details>
    </li>`;
  }

  private listen(client: GatewayClient): void {
    this.unsubscribe.push(
      client.on("chat", (payload) => {
        const event = payload as ChatEventPayload;
        if (!this.sessionKey || event?.sessionKey !== this.sessionKey || typeof event.runId !== "string")
          return;
        this.entries = applyChatEvent(this.entries, event);
      }),
      client.on("agent", (payload) => {
        const event = payload as AgentToolEventPayload;
        if (event?.stream !== "tool" || typeof event.runId !== "string") return;
        if (!this.sessionKey || event.data?.sessionKey !== this.sessionKey) return;
        this.entries = applyToolEvent(this.entries, event);
      }),
    );
  }

  private stopListening(): void {
    for (const stop of this.unsubscribe) stop();
    this.unsubscribe = [];
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    this.querySelector<HTMLFormElement>("form.composer")?.requestSubmit();
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = this.querySelector<HTMLTextAreaElement>("#chat-input");
    const message = input?.value.trim() ?? "";
    const { client, sessionKey, agentId } = this;
    if (!input || !message || !client || !sessionKey || !agentId) return;
    input.value = "";
    this.stickToBottom = true;
    this.entries = addUserMessage(this.entries, randomId(8), message);
    try {
      const result = await client.request<{ runId?: string }>("chat.send", {
        sessionKey,
        message,
        agentId,
        idempotencyKey: randomId(),
      });
      // The session may have changed while the request was out; its answer belongs to the old one.
      if (result.runId && this.sessionKey === sessionKey) {
        this.entries = ensureRun(this.entries, result.runId, agentId);
      }
    } catch (error) {
      if (this.sessionKey !== sessionKey) return;
      this.entries = addNotice(
        this.entries,
        randomId(8),
        `The message was not sent: ${(error as Error).message}`,
        "error",
      );
    }
  }

  private async onStop(): Promise<void> {
    if (!this.client || !this.sessionKey) return;
    try {
      await this.client.request("chat.abort", { sessionKey: this.sessionKey });
    } catch (error) {
      this.entries = addNotice(
        this.entries,
        randomId(8),
        `Could not stop: ${(error as Error).message}`,
        "error",
      );
    }
  }

  private onAgentChange(event: Event): void {
    const agentId = (event.target as HTMLSelectElement).value;
    if (agentId) this.dispatchEvent(new CustomEvent("agent-select", { bubbles: true, detail: { agentId } }));
  }

  private onNewConversation(): void {
    this.dispatchEvent(new CustomEvent("new-conversation", { bubbles: true }));
  }
}

function optionLabel(agent: AgentSummary): string {
  const name = agent.name && agent.name !== agent.id ? `${agent.id} — ${agent.name}` : agent.id;
  return agent.state === "ready" ? name : `${name} (${agent.state})`;
}

customElements.define("oc-chat-panel", ChatPanel);

declare global {
  interface HTMLElementTagNameMap {
    "oc-chat-panel": ChatPanel;
  }
}
