import { html, LitElement, nothing } from "lit";
import { A2uiModel } from "../a2ui/a2ui-model.js";
import type { A2uiUserAction } from "../a2ui/a2ui-surface-view.js";
import "../a2ui/a2ui-surface-view.js";
import { type GatewayClient, GatewayRequestError } from "../gateway/gateway-client.js";
import type { CanvasPayload } from "../gateway/protocol-types.js";

/**
 * What the chat session's agent drew: an HTML page and A2UI surfaces, from `canvas.get` and then
 * each `canvas` event (the whole canvas every time). A button press goes back as `canvas.action`.
 */
export class CanvasPanel extends LitElement {
  static override properties = {
    client: { attribute: false },
    sessionKey: { attribute: false },
    agentId: { attribute: false },
    canvasHtml: { state: true },
    revision: { state: true },
    message: { state: true },
    unavailable: { state: true },
  };

  declare client: GatewayClient | undefined;
  declare sessionKey: string | undefined;
  declare agentId: string | undefined;
  declare canvasHtml: string | undefined;
  declare revision: number;
  declare message: { text: string; tone: "info" | "error" } | undefined;
  declare unavailable: boolean;
  private model = new A2uiModel();
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.revision = 0;
    this.unavailable = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.client) this.listen(this.client);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has("client")) {
      this.unsubscribe?.();
      this.unsubscribe = undefined;
      if (this.client) this.listen(this.client);
    }
    if (changed.has("sessionKey")) {
      this.model = new A2uiModel();
      this.canvasHtml = undefined;
      this.message = undefined;
      this.revision += 1;
    }
    if ((changed.has("client") || changed.has("sessionKey")) && this.client && this.sessionKey) {
      void this.load(this.client, this.sessionKey);
    }
  }

  override render() {
    const surfaces = this.model.renderable();
    const empty = !this.canvasHtml && surfaces.length === 0;
    return html`<section class="panel canvas-panel" aria-labelledby="canvas-heading">
      <h2 id="canvas-heading">Canvas</h2>
      <p class=${`panel-message ${this.message?.tone ?? ""}`} role="status">${this.message?.text ?? ""}</p>
      <div class="canvas" data-testid="canvas" data-session-key=${this.sessionKey ?? ""}>
        ${
          empty
            ? html`<p class="muted">
              ${
                this.unavailable
                  ? "This gateway does not serve canvases."
                  : "Nothing drawn yet. The agent draws here with its canvas tool."
              }
            </p>`
            : nothing
        }
        ${
          this.canvasHtml
            ? html`<iframe
              class="canvas-frame"
              title="Page drawn by the agent"
              sandbox=""
              referrerpolicy="no-referrer"
              srcdoc=${this.canvasHtml}
            ></iframe>`
            : nothing
        }
        ${surfaces.map(
          (surface) =>
            html`<oc-a2ui-surface
              .model=${this.model}
              .surface=${surface}
              .revision=${this.revision}
              @a2ui-action=${this.onAction}
            ></oc-a2ui-surface>`,
        )}
      </div>
    </section>`;
  }

  private listen(client: GatewayClient): void {
    this.unsubscribe = client.on("canvas", (payload) => {
      const canvas = payload as CanvasPayload;
      if (canvas?.sessionKey === this.sessionKey) this.show(canvas);
    });
  }

  private async load(client: GatewayClient, sessionKey: string): Promise<void> {
    try {
      const canvas = await client.request<CanvasPayload>("canvas.get", { sessionKey });
      if (sessionKey === this.sessionKey) this.show(canvas);
    } catch (error) {
      if (sessionKey !== this.sessionKey) return;
      if (error instanceof GatewayRequestError && error.ocCode === "OC_ERR_UNKNOWN_METHOD") {
        this.unavailable = true;
        return;
      }
      this.message = { text: `Could not load the canvas: ${(error as Error).message}`, tone: "error" };
    }
  }

  private show(canvas: CanvasPayload): void {
    this.canvasHtml = typeof canvas.html === "string" && canvas.html.length > 0 ? canvas.html : undefined;
    this.model.sync(Array.isArray(canvas.a2ui) ? canvas.a2ui : []);
    this.revision += 1;
  }

  private async onAction(event: CustomEvent<A2uiUserAction>): Promise<void> {
    const { client, sessionKey, agentId } = this;
    if (!client || !sessionKey) return;
    const action = event.detail;
    this.message = { text: `Sending “${action.name}” to the agent…`, tone: "info" };
    try {
      const result = await client.request<{ runId?: string }>("canvas.action", {
        sessionKey,
        ...(agentId ? { agentId } : {}),
        action,
      });
      this.message = { text: `Sent “${action.name}”; the answer appears in the chat.`, tone: "info" };
      this.dispatchEvent(
        new CustomEvent("canvas-action-sent", {
          bubbles: true,
          detail: { name: action.name, runId: result.runId },
        }),
      );
    } catch (error) {
      this.message = { text: `The button press was not sent: ${(error as Error).message}`, tone: "error" };
    }
  }
}

customElements.define("oc-canvas-panel", CanvasPanel);

declare global {
  interface HTMLElementTagNameMap {
    "oc-canvas-panel": CanvasPanel;
  }
}
