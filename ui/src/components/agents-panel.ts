import { html, LitElement, nothing } from "lit";
import { formatCount, formatHeap, formatPercent } from "../display-format.js";
import type { GatewayClient } from "../gateway/gateway-client.js";
import type { AgentSummary } from "../gateway/protocol-types.js";

type AgentCommand = "kill" | "restart";

function modelId(agent: AgentSummary): string | undefined {
  return typeof agent.model === "string" ? agent.model : agent.model?.primary;
}

/**
 * The agents table with Kill and Restart. The rows come from the app, which polls `agents.list`;
 * after a command this panel asks it (`agents-refresh`) to poll at once.
 */
export class AgentsPanel extends LitElement {
  static override properties = {
    client: { attribute: false },
    agents: { attribute: false },
    loadError: { attribute: false },
    pending: { state: true },
    message: { state: true },
  };

  declare client: GatewayClient | undefined;
  declare agents: AgentSummary[] | undefined;
  declare loadError: string | undefined;
  /** `<command>:<agentId>` while that request is out, so its button cannot be pressed twice. */
  declare pending: string | undefined;
  declare message: { text: string; tone: "info" | "error" } | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render() {
    const agents = this.agents;
    return html`<section class="panel agents-panel" aria-labelledby="agents-heading">
      <h2 id="agents-heading">Agents</h2>
      ${this.loadError ? html`<p class="error" role="alert">${this.loadError}</p>` : nothing}
      <p class=${`panel-message ${this.message?.tone ?? ""}`} role="status">${this.message?.text ?? ""}</p>
      ${
        agents === undefined
          ? html`<p class="muted">Loading agents…</p>`
          : agents.length === 0
            ? html`<p class="muted">No agents are configured.</p>`
            : html`<div class="table-scroll">
              <table class="stack-on-narrow">
                <caption class="visually-hidden">
                  Agents, where they run and how they are doing
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Agent</th>
                    <th scope="col">Placement</th>
                    <th scope="col">State</th>
                    <th scope="col">Heap used / limit</th>
                    <th scope="col">Event loop</th>
                    <th scope="col">Turns in flight</th>
                    <th scope="col">Queue</th>
                    <th scope="col">Restarts</th>
                    <th scope="col"><span class="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${agents.map((agent) => this.renderRow(agent))}
                </tbody>
              </table>
            </div>`
      }
    </section>`;
  }

  private renderRow(agent: AgentSummary) {
    const thread = agent.threadId !== undefined ? `thread #${agent.threadId}` : undefined;
    const placement = [
      agent.placement === "thread" && thread ? thread : (agent.placement ?? "—"),
      agent.placement !== "thread" ? thread : undefined,
      agent.cpuDemoted ? "CPU demoted" : undefined,
    ]
      .filter(Boolean)
      .join(" · ");
    const busy = this.pending?.endsWith(`:${agent.id}`) ?? false;
    return html`<tr data-testid=${`agent-row-${agent.id}`}>
      <th scope="row" data-label="Agent">
        <span class="agent-id">${agent.id}</span>
        ${agent.name && agent.name !== agent.id ? html`<span class="muted"> ${agent.name}</span>` : nothing}
        ${modelId(agent) ? html`<div class="muted small">${modelId(agent)}</div>` : nothing}
      </th>
      <td data-label="Placement">${placement}</td>
      <td data-label="State">
        <span class=${`state state-${agent.state}`} data-testid=${`agent-state-${agent.id}`}>${agent.state}</span>
        ${agent.reason ? html`<div class="muted small">${agent.reason}</div>` : nothing}
        ${agent.lastError ? html`<div class="error small">${agent.lastError}</div>` : nothing}
      </td>
      <td data-label="Heap used / limit" class="number">${formatHeap(agent.heapUsedMb, agent.heapLimitMb)}</td>
      <td data-label="Event loop" class="number">${formatPercent(agent.eventLoopUtilization)}</td>
      <td data-label="Turns in flight" class="number">${formatCount(agent.turnsInFlight)}</td>
      <td data-label="Queue" class="number">${formatCount(agent.queueDepth)}</td>
      <td data-label="Restarts" class="number">${formatCount(agent.restarts)}</td>
      <td class="actions">
        <button
          type="button"
          class="danger"
          data-testid=${`kill-${agent.id}`}
          aria-label=${`Kill ${agent.id}`}
          ?disabled=${busy || agent.state === "stopped"}
          @click=${() => this.command("kill", agent.id)}
        >
          Kill
        </button>
        <button
          type="button"
          data-testid=${`restart-${agent.id}`}
          aria-label=${`Restart ${agent.id}`}
          ?disabled=${busy}
          @click=${() => this.command("restart", agent.id)}
        >
          Restart
        </button>
      </td>
    </tr>`;
  }

  private async command(command: AgentCommand, agentId: string): Promise<void> {
    if (!this.client || this.pending) return;
    this.pending = `${command}:${agentId}`;
    this.message = { text: `${command === "kill" ? "Killing" : "Restarting"} ${agentId}…`, tone: "info" };
    try {
      const result = await this.client.request<{ agent?: AgentSummary }>(`agents.${command}`, { agentId });
      const state = result.agent?.state;
      this.message = {
        text: `${agentId} ${command === "kill" ? "was killed" : "was restarted"}${state ? `; it is ${state}` : ""}.`,
        tone: "info",
      };
    } catch (error) {
      this.message = {
        text: `Could not ${command} ${agentId}: ${(error as Error).message}`,
        tone: "error",
      };
    } finally {
      this.pending = undefined;
      this.dispatchEvent(new CustomEvent("agents-refresh", { bubbles: true }));
    }
  }
}

customElements.define("oc-agents-panel", AgentsPanel);

declare global {
  interface HTMLElementTagNameMap {
    "oc-agents-panel": AgentsPanel;
  }
}
