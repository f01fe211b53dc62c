import { html, LitElement, nothing } from "lit";
import { formatDuration } from "../display-format.js";
import type { HelloOk, StatusReport } from "../gateway/protocol-types.js";

export type ConnectionState = "online" | "reconnecting";

/**
 * Version, uptime, auth and TLS, from `status` (and `hello-ok` until it answers). A field the
 * gateway does not report is left out rather than guessed, except TLS, which the page's own
 * scheme answers.
 */
export class StatusBar extends LitElement {
  static override properties = {
    hello: { attribute: false },
    status: { attribute: false },
    statusReceivedAt: { attribute: false },
    connection: { attribute: false },
    now: { state: true },
  };

  declare hello: HelloOk | undefined;
  declare status: StatusReport | undefined;
  declare statusReceivedAt: number;
  declare connection: ConnectionState;
  declare now: number;
  private timer: number | undefined;

  constructor() {
    super();
    this.statusReceivedAt = Date.now();
    this.connection = "online";
    this.now = Date.now();
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = window.setInterval(() => {
      this.now = Date.now();
    }, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.timer);
  }

  override render() {
    const version = this.status?.version ?? this.hello?.server?.version;
    const baseUptime = this.status?.uptimeMs ?? this.hello?.snapshot?.uptimeMs;
    const uptime =
      baseUptime === undefined ? undefined : baseUptime + Math.max(0, this.now - this.statusReceivedAt);
    const authMode = this.status?.auth?.mode;
    const role = this.hello?.auth?.role;
    return html`<dl class="status-bar" data-testid="status-bar" aria-label="Gateway status">
      <div class=${`connection ${this.connection}`}>
        <dt>Connection</dt>
        <dd role="status">${this.connection === "online" ? "connected" : "reconnecting…"}</dd>
      </div>
      ${version ? html`<div><dt>Version</dt><dd>${version}</dd></div>` : nothing}
      ${uptime !== undefined ? html`<div><dt>Uptime</dt><dd>${formatDuration(uptime)}</dd></div>` : nothing}
      <div>
        <dt>Auth</dt>
        <dd>${authMode ?? "token"}${role ? ` · ${role}` : nothing}</dd>
      </div>
      <div><dt>TLS</dt><dd>${this.tlsText()}</dd></div>
      ${this.status?.mode ? html`<div><dt>Mode</dt><dd>${this.status.mode}</dd></div>` : nothing}
    </dl>`;
  }

  private tlsText(): string {
    const tls = this.status?.tls;
    const reported = typeof tls === "boolean" ? tls : tls?.enabled;
    const enabled = reported ?? window.location.protocol === "https:";
    return enabled ? "on" : "off";
  }
}

customElements.define("oc-status-bar", StatusBar);

declare global {
  interface HTMLElementTagNameMap {
    "oc-status-bar": StatusBar;
  }
}
