import { html, LitElement, nothing } from "lit";
import { formatDuration } from "../display-format.js";
import type { GatewayClient } from "../gateway/gateway-client.js";
import type {
  ChannelAccountSnapshot,
  ChannelPairingRequest,
  ChannelsPairingApproveResult,
  ChannelsPairingListResult,
  ChannelsStatusResult,
  ThreadBindingView,
} from "../gateway/protocol-types.js";
import { renderThreadBindings, threadBindingRows } from "./thread-bindings-list.js";

/** New requests come from people DMing the bot, not from this page: look again now and then. */
const POLL_MS = 5000;

interface AccountRow {
  channel: string;
  channelLabel: string;
  account: ChannelAccountSnapshot;
}

function accountRows(status: ChannelsStatusResult): AccountRow[] {
  return (status.channelOrder ?? []).flatMap((channel) =>
    (status.channelAccounts?.[channel] ?? []).map((account) => ({
      channel,
      channelLabel: status.channelLabels?.[channel] ?? channel,
      account,
    })),
  );
}

function who(request: ChannelPairingRequest): string {
  return request.senderLabel ?? request.senderId;
}

/**
 * DM access requests (`channels.pairing.list`): people who wrote to a channel bot and got a
 * pairing code, with Approve (optionally telling them) and Dismiss; and the channel accounts'
 * state (`channels.status`), so a request that cannot be answered says why.
 */
export class PairingPanel extends LitElement {
  static override properties = {
    client: { attribute: false },
    requests: { state: true },
    accounts: { state: true },
    bindings: { state: true },
    loadError: { state: true },
    loading: { state: true },
    busy: { state: true },
    message: { state: true },
    notify: { state: true },
    now: { state: true },
  };

  declare client: GatewayClient | undefined;
  declare requests: ChannelPairingRequest[] | undefined;
  declare accounts: AccountRow[] | undefined;
  declare bindings: ThreadBindingView[] | undefined;
  declare loadError: string | undefined;
  declare loading: boolean;
  /** The request id whose approve or dismiss is out, so its buttons cannot be pressed twice. */
  declare busy: string | undefined;
  declare message: { text: string; tone: "info" | "error" } | undefined;
  /** Per request: whether Approve tells the sender (on unless unticked). */
  declare notify: Record<string, boolean>;
  declare now: number;
  private timer: number | undefined;
  /** A load was asked for while one was out (an approve during a poll): run it once that ends. */
  private loadAgain = false;

  constructor() {
    super();
    this.loading = false;
    this.notify = {};
    this.now = Date.now();
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = window.setInterval(() => {
      if (document.visibilityState === "visible") void this.load();
    }, POLL_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearInterval(this.timer);
  }

  override updated(changed: Map<PropertyKey, unknown>): void {
    if (changed.has("client") && this.client) void this.load();
  }

  override render() {
    return html`<section class="panel pairing-panel" aria-labelledby="pairing-heading" data-testid="pairing-panel">
      <div class="panel-heading">
        <h2 id="pairing-heading">DM access requests</h2>
        <button type="button" data-testid="pairing-refresh" @click=${() => this.load()} ?disabled=${this.loading}>
          Refresh
        </button>
      </div>
      ${this.loadError ? html`<p class="error" role="alert">${this.loadError}</p>` : nothing}
      <p class=${`panel-message ${this.message?.tone ?? ""}`} role="status" data-testid="pairing-message">
        ${this.message?.text ?? ""}
      </p>
      ${this.renderRequests()}
      <h3 class="subheading">Channel accounts</h3>
      ${this.renderAccounts()}
      <h3 class="subheading">Thread bindings</h3>
      ${renderThreadBindings(this.bindings, this.now)}
    </section>`;
  }

  private renderRequests() {
    const requests = this.requests;
    if (requests === undefined)
      return this.loadError ? nothing : html`<p class="muted">Loading requests…</p>`;
    if (requests.length === 0) {
      return html`<p class="muted" data-testid="pairing-empty">No one is waiting for access.</p>`;
    }
    return html`<div class="table-scroll">
      <table class="stack-on-narrow">
        <caption class="visually-hidden">
          People who messaged a channel bot and wait to be approved
        </caption>
        <thead>
          <tr>
            <th scope="col">Sender</th>
            <th scope="col">Channel</th>
            <th scope="col">Code</th>
            <th scope="col">Asked</th>
            <th scope="col">Expires in</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${requests.map((request) => this.renderRequest(request))}
        </tbody>
      </table>
    </div>`;
  }

  private renderRequest(request: ChannelPairingRequest) {
    const id = request.requestId;
    const busy = this.busy === id;
    const username = request.metadata?.username;
    const notifySupported = request.notifySupported !== false;
    const notify = notifySupported && this.notify[id] !== false;
    const created = Date.parse(request.createdAt);
    const expires = Date.parse(request.expiresAt);
    return html`<tr data-testid=${`pairing-row-${id}`}>
      <th scope="row" data-label="Sender">
        <span>${who(request)}</span>
        ${username && username !== request.senderLabel ? html`<span class="muted"> @${username}</span>` : nothing}
        <div class="muted small">id <code>${request.senderId}</code></div>
      </th>
      <td data-label="Channel">
        ${request.channelLabel ?? request.channel}
        <div class="muted small">${request.accountLabel ?? request.accountId}</div>
      </td>
      <td data-label="Code"><code data-testid=${`pairing-code-${id}`}>${id}</code></td>
      <td data-label="Asked" class="number">${formatDuration(this.now - created)} ago</td>
      <td data-label="Expires in" class="number">${formatDuration(expires - this.now)}</td>
      <td class="actions">
        <div class="pairing-actions">
          <label class="inline-check">
            <input
              type="checkbox"
              data-testid=${`pairing-notify-${id}`}
              .checked=${notify}
              ?disabled=${busy || !notifySupported}
              @change=${(event: Event) => {
                this.notify = { ...this.notify, [id]: (event.target as HTMLInputElement).checked };
              }}
            />
            Notify the sender
          </label>
          <button
            type="button"
            class="primary"
            data-testid=${`pairing-approve-${id}`}
            aria-label=${`Approve ${who(request)}`}
            ?disabled=${busy}
            @click=${() => this.approve(request, notify)}
          >
            Approve
          </button>
          <button
            type="button"
            class="danger"
            data-testid=${`pairing-dismiss-${id}`}
            aria-label=${`Dismiss ${who(request)}`}
            ?disabled=${busy}
            @click=${() => this.dismiss(request)}
          >
            Dismiss
          </button>
        </div>
      </td>
    </tr>`;
  }

  private renderAccounts() {
    const accounts = this.accounts;
    if (accounts === undefined) return nothing;
    if (accounts.length === 0) return html`<p class="muted">No channel accounts are configured.</p>`;
    return html`<ul class="plain-list channel-accounts">
      ${accounts.map(({ channel, channelLabel, account }) => {
        const state = account.state ?? account.healthState ?? "unknown";
        const reason = account.lastError ?? (state !== "ready" ? account.detail : undefined);
        const handle = account.identity?.username;
        return html`<li data-testid=${`channel-account-${channel}-${account.accountId}`}>
          <strong>${channelLabel}</strong>
          <span class="muted">${account.name ?? account.accountId}</span>
          ${handle ? html`<span class="muted">@${handle}</span>` : nothing}
          <span class=${`state state-${state}`} data-testid=${`channel-state-${channel}-${account.accountId}`}>${state}</span>
          ${account.inboxDepth ? html`<span class="muted small">${account.inboxDepth} waiting</span>` : nothing}
          ${reason ? html`<div class="error small">${reason}</div>` : nothing}
        </li>`;
      })}
    </ul>`;
  }

  private async approve(request: ChannelPairingRequest, notify: boolean): Promise<void> {
    if (!this.client || this.busy) return;
    this.busy = request.requestId;
    this.message = { text: `Approving ${who(request)}…`, tone: "info" };
    try {
      const result = await this.client.request<ChannelsPairingApproveResult>("channels.pairing.approve", {
        channel: request.channel,
        accountId: request.accountId,
        requestId: request.requestId,
        notify,
      });
      const told =
        result.notification === "sent"
          ? "; they were told"
          : result.notification === "failed"
            ? ", but the notice could not be sent"
            : "";
      this.message = { text: `${who(request)} may now message the bot${told}.`, tone: "info" };
    } catch (error) {
      this.message = {
        text: `Could not approve ${who(request)}: ${(error as Error).message}`,
        tone: "error",
      };
    } finally {
      this.busy = undefined;
      await this.load();
    }
  }

  private async dismiss(request: ChannelPairingRequest): Promise<void> {
    if (!this.client || this.busy) return;
    this.busy = request.requestId;
    this.message = { text: `Dismissing ${who(request)}…`, tone: "info" };
    try {
      await this.client.request("channels.pairing.dismiss", {
        channel: request.channel,
        accountId: request.accountId,
        requestId: request.requestId,
      });
      this.message = { text: `Dismissed ${who(request)}; they may ask again.`, tone: "info" };
    } catch (error) {
      this.message = {
        text: `Could not dismiss ${who(request)}: ${(error as Error).message}`,
        tone: "error",
      };
    } finally {
      this.busy = undefined;
      await this.load();
    }
  }

  private async load(): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (this.loading) {
      this.loadAgain = true;
      return;
    }
    this.loading = true;
    try {
      const [pairing, status] = await Promise.all([
        client.request<ChannelsPairingListResult>("channels.pairing.list", {}),
        client.request<ChannelsStatusResult>("channels.status", {}),
      ]);
      if (client !== this.client) return;
      this.requests = pairing.requests ?? [];
      this.accounts = accountRows(status);
      this.bindings = threadBindingRows(status);
      this.loadError = undefined;
    } catch (error) {
      if (client === this.client)
        this.loadError = `Could not list the access requests: ${(error as Error).message}`;
    } finally {
      this.loading = false;
      this.now = Date.now();
      if (this.loadAgain) {
        this.loadAgain = false;
        void this.load();
      }
    }
  }
}

customElements.define("oc-pairing-panel", PairingPanel);

declare global {
  interface HTMLElementTagNameMap {
    "oc-pairing-panel": PairingPanel;
  }
}
