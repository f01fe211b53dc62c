import { html, LitElement, nothing } from "lit";
import type { GatewayClient } from "../gateway/gateway-client.js";
import type { SecretSummary } from "../gateway/protocol-types.js";

/** External secrets from `secrets.list`: where each comes from, whether it works, what uses it. Never a value. */
export class SecretsPanel extends LitElement {
  static override properties = {
    client: { attribute: false },
    secrets: { state: true },
    error: { state: true },
    loading: { state: true },
  };

  declare client: GatewayClient | undefined;
  declare secrets: SecretSummary[] | undefined;
  declare error: string | undefined;
  declare loading: boolean;

  constructor() {
    super();
    this.loading = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has("client") && this.client) void this.load();
  }

  override render() {
    return html`<section class="panel secrets-panel" aria-labelledby="secrets-heading">
      <div class="panel-heading">
        <h2 id="secrets-heading">Secrets</h2>
        <button type="button" @click=${() => this.load()} ?disabled=${this.loading}>Refresh</button>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.renderTable()}
    </section>`;
  }

  private renderTable() {
    const secrets = this.secrets;
    if (secrets === undefined) return this.error ? nothing : html`<p class="muted">Loading secrets…</p>`;
    if (secrets.length === 0) return html`<p class="muted">No external secrets are configured.</p>`;
    return html`<div class="table-scroll">
      <table class="stack-on-narrow">
        <caption class="visually-hidden">
          External secrets and what uses them; values are never shown
        </caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Source</th>
            <th scope="col">Detail</th>
            <th scope="col">Status</th>
            <th scope="col">Bindings</th>
          </tr>
        </thead>
        <tbody>
          ${secrets.map(
            (secret) => html`<tr data-testid=${`secret-row-${secret.name}`}>
              <th scope="row" data-label="Name">${secret.name}</th>
              <td data-label="Source">${secret.source}</td>
              <td data-label="Detail"><code>${secret.detail ?? "—"}</code></td>
              <td data-label="Status">
                <span class=${`state secret-${secret.status}`}>${secret.status}</span>
                ${secret.error ? html`<div class="error small">${secret.error}</div>` : nothing}
                ${secret.hint ? html`<div class="muted small">${secret.hint}</div>` : nothing}
              </td>
              <td data-label="Bindings">${this.renderBindings(secret)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderBindings(secret: SecretSummary) {
    const bindings = secret.bindings ?? [];
    if (bindings.length === 0) return html`<span class="muted">none</span>`;
    return html`<ul class="plain-list">
      ${bindings.map((binding) =>
        typeof binding === "string"
          ? html`<li><code>${binding}</code></li>`
          : html`<li>
              <code>${binding.path}</code>${binding.reason ? html` <span class="muted small">${binding.reason}</span>` : nothing}
            </li>`,
      )}
    </ul>`;
  }

  private async load(): Promise<void> {
    if (!this.client) return;
    this.loading = true;
    try {
      const result = await this.client.request<{ secrets?: SecretSummary[] }>("secrets.list");
      this.secrets = result.secrets ?? [];
      this.error = undefined;
    } catch (error) {
      this.error = `Could not list the secrets: ${(error as Error).message}`;
    } finally {
      this.loading = false;
    }
  }
}

customElements.define("oc-secrets-panel", SecretsPanel);

declare global {
  interface HTMLElementTagNameMap {
    "oc-secrets-panel": SecretsPanel;
  }
}
