import { html, LitElement, nothing } from "lit";
import { GatewayClient, GatewayRequestError, gatewaySocketUrl } from "../gateway/gateway-client.js";
import type { AgentSummary, AgentsListResult, HelloOk, StatusReport } from "../gateway/protocol-types.js";
import { describeSignInFailure } from "../gateway/sign-in-failure.js";
import { adoptTokenFromFragment, forgetToken, readToken, storeToken } from "../gateway/token-storage.js";
import { randomId } from "../random-id.js";
import type { ChatPanel } from "./chat-panel.js";
import "./agents-panel.js";
import "./canvas-panel.js";
import "./chat-panel.js";
import "./pairing-panel.js";
import "./secrets-panel.js";
import "./sign-in-form.js";
import "./status-bar.js";
import type { ConnectionState } from "./status-bar.js";

type Phase = "signed-out" | "signing-in" | "ready";

const AGENTS_POLL_MS = 1000;
const RECONNECT_DELAYS_MS = [1000, 2000, 4000, 8000, 15_000];

/** A new conversation: OpenClaw session keys name their agent, `agent:<id>:<rest>`. */
export function newSessionKey(agentId: string): string {
  return `agent:${agentId}:ui-${randomId(6)}`;
}

/**
 * The Control UI: signs in with the gateway token, then shows chat, canvas, agents, DM access
 * requests and secrets over one WebSocket. Until `connect` succeeds nothing but the sign-in form
 * exists: no panel is rendered and no other request is sent.
 */
export class ControlApp extends LitElement {
  static override properties = {
    phase: { state: true },
    signInError: { state: true },
    client: { state: true },
    hello: { state: true },
    status: { state: true },
    statusReceivedAt: { state: true },
    connection: { state: true },
    agents: { state: true },
    agentsError: { state: true },
    agentId: { state: true },
    sessionKey: { state: true },
  };

  declare phase: Phase;
  declare signInError: string | undefined;
  declare client: GatewayClient | undefined;
  declare hello: HelloOk | undefined;
  declare status: StatusReport | undefined;
  declare statusReceivedAt: number;
  declare connection: ConnectionState;
  declare agents: AgentSummary[] | undefined;
  declare agentsError: string | undefined;
  declare agentId: string | undefined;
  declare sessionKey: string | undefined;

  private pollTimer: number | undefined;
  private reconnectTimer: number | undefined;
  private reconnectAttempt = 0;
  private agentsRequestOut = false;
  private readonly onVisibilityChange = () => {
    if (document.visibilityState === "visible") void this.refreshAgents();
  };
  /** A `#token=…` link opened in a tab already on this page changes only the fragment. */
  private readonly onHashChange = () => {
    adoptTokenFromFragment();
    const token = readToken();
    if (token && this.phase === "signed-out") void this.signIn(token);
  };

  constructor() {
    super();
    this.phase = "signed-out";
    this.statusReceivedAt = Date.now();
    this.connection = "online";
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener("visibilitychange", this.onVisibilityChange);
    window.addEventListener("hashchange", this.onHashChange);
    // Before anything connects: a `#token=…` link must not stay in the address bar.
    adoptTokenFromFragment();
    const token = readToken();
    if (token) void this.signIn(token);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener("visibilitychange", this.onVisibilityChange);
    window.removeEventListener("hashchange", this.onHashChange);
    this.teardown();
  }

  override render() {
    const ready = this.phase === "ready";
    return html`<header class="app-header">
        <h1>OpenClaw Control</h1>
        ${
          ready
            ? html`<oc-status-bar
                .hello=${this.hello}
                .status=${this.status}
                .statusReceivedAt=${this.statusReceivedAt}
                .connection=${this.connection}
              ></oc-status-bar>
              <button type="button" class="sign-out" data-testid="sign-out" @click=${this.signOut}>
                Sign out
              </button>`
            : nothing
        }
      </header>
      <main class=${ready ? "dashboard" : "signed-out"}>
        ${ready ? this.renderDashboard() : this.renderSignIn()}
      </main>`;
  }

  private renderSignIn() {
    return html`<oc-sign-in-form
      .error=${this.signInError}
      .busy=${this.phase === "signing-in"}
      @sign-in=${(event: CustomEvent<{ token: string }>) => {
        storeToken(event.detail.token);
        void this.signIn(event.detail.token);
      }}
      @sign-in-empty=${() => {
        this.signInError = "Enter the gateway token first.";
      }}
    ></oc-sign-in-form>`;
  }

  private renderDashboard() {
    return html`<oc-chat-panel
        class="area-chat"
        .client=${this.client}
        .agents=${this.agents}
        .agentId=${this.agentId}
        .sessionKey=${this.sessionKey}
        @agent-select=${(event: CustomEvent<{ agentId: string }>) => this.startConversation(event.detail.agentId)}
        @new-conversation=${() => this.agentId && this.startConversation(this.agentId)}
      ></oc-chat-panel>
      <oc-canvas-panel
        class="area-canvas"
        .client=${this.client}
        .sessionKey=${this.sessionKey}
        .agentId=${this.agentId}
        @canvas-action-sent=${(event: CustomEvent<{ name: string; runId?: string }>) =>
          this.querySelector<ChatPanel>("oc-chat-panel")?.noteCanvasAction(
            event.detail.name,
            event.detail.runId,
          )}
      ></oc-canvas-panel>
      <oc-agents-panel
        class="area-agents"
        .client=${this.client}
        .agents=${this.agents}
        .loadError=${this.agentsError}
        @agents-refresh=${() => this.refreshAgents(true)}
      ></oc-agents-panel>
      <oc-pairing-panel class="area-pairing" .client=${this.client}></oc-pairing-panel>
      <oc-secrets-panel class="area-secrets" .client=${this.client}></oc-secrets-panel>`;
  }

  private async signIn(token: string): Promise<void> {
    this.phase = "signing-in";
    this.signInError = undefined;
    try {
      const { client, hello } = await GatewayClient.connect({
        url: gatewaySocketUrl(window.location),
        token,
      });
      this.adopt(client, hello);
      this.phase = "ready";
    } catch (error) {
      // A refused token is not kept: reloading the page must not replay it.
      forgetToken();
      this.phase = "signed-out";
      this.signInError = describeSignInFailure(error);
    }
  }

  private adopt(client: GatewayClient, hello: HelloOk): void {
    this.client = client;
    this.hello = hello;
    this.connection = "online";
    this.reconnectAttempt = 0;
    client.onClose(() => this.connectionLost());
    client.on("shutdown", () => {
      this.connection = "reconnecting";
    });
    // Agent state changes, when the gateway broadcasts them, refresh the table at once.
    client.on("agent", (payload) => {
      if ((payload as { stream?: unknown } | undefined)?.stream !== "tool") void this.refreshAgents(true);
    });
    void this.refreshStatus();
    void this.refreshAgents(true);
    window.clearInterval(this.pollTimer);
    this.pollTimer = window.setInterval(() => void this.refreshAgents(), AGENTS_POLL_MS);
  }

  private async refreshStatus(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      const status = await client.request<StatusReport>("status");
      this.status = status;
      this.statusReceivedAt = Date.now();
    } catch {
      // The bar falls back to what hello-ok said.
    }
  }

  /** Polled every second while the page is visible; `force` skips the visibility check. */
  private async refreshAgents(force = false): Promise<void> {
    const client = this.client;
    if (!client || this.agentsRequestOut || this.connection !== "online") return;
    if (!force && document.visibilityState !== "visible") return;
    this.agentsRequestOut = true;
    try {
      const result = await client.request<AgentsListResult>("agents.list");
      if (client !== this.client) return;
      this.agents = result.agents ?? [];
      this.agentsError = undefined;
      if (!this.agentId) {
        const first = result.defaultId ?? this.agents[0]?.id;
        if (first) this.startConversation(first);
      }
    } catch (error) {
      if (client === this.client) this.agentsError = `Could not list the agents: ${(error as Error).message}`;
    } finally {
      this.agentsRequestOut = false;
    }
  }

  private startConversation(agentId: string): void {
    this.agentId = agentId;
    this.sessionKey = newSessionKey(agentId);
  }

  private connectionLost(): void {
    if (this.phase !== "ready") return;
    this.connection = "reconnecting";
    window.clearInterval(this.pollTimer);
    const delay = RECONNECT_DELAYS_MS[Math.min(this.reconnectAttempt, RECONNECT_DELAYS_MS.length - 1)];
    this.reconnectAttempt += 1;
    window.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = window.setTimeout(() => void this.reconnect(), delay);
  }

  private async reconnect(): Promise<void> {
    const token = readToken();
    if (!token || this.phase !== "ready") return;
    try {
      const { client, hello } = await GatewayClient.connect({
        url: gatewaySocketUrl(window.location),
        token,
      });
      if (this.phase !== "ready") {
        client.close();
        return;
      }
      this.adopt(client, hello);
    } catch (error) {
      if (error instanceof GatewayRequestError && error.code === "UNAUTHORIZED") {
        this.teardown();
        forgetToken();
        this.phase = "signed-out";
        this.signInError =
          "The gateway no longer accepts this token (it may have been changed). Sign in with the current one.";
        return;
      }
      this.connectionLost();
    }
  }

  private signOut(): void {
    forgetToken();
    sessionStorage.clear();
    this.teardown();
    this.phase = "signed-out";
    this.signInError = undefined;
  }

  private teardown(): void {
    window.clearInterval(this.pollTimer);
    window.clearTimeout(this.reconnectTimer);
    this.client?.close();
    this.client = undefined;
    this.hello = undefined;
    this.status = undefined;
    this.agents = undefined;
    this.agentsError = undefined;
    this.agentId = undefined;
    this.sessionKey = undefined;
  }
}

customElements.define("oc-control-app", ControlApp);

declare global {
  interface HTMLElementTagNameMap {
    "oc-control-app": ControlApp;
  }
}
