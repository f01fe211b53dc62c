import { html, LitElement, nothing } from "lit";

/** Asks for the gateway token; says in words why the last try failed. Emits `sign-in { token }`. */
export class SignInForm extends LitElement {
  static override properties = {
    error: { attribute: false },
    busy: { attribute: false },
  };

  declare error: string | undefined;
  declare busy: boolean;

  constructor() {
    super();
    this.busy = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override updated(changed: Map<PropertyKey, unknown>): void {
    // After a refusal, put the person back in the field with the text selected, ready to retype.
    if (changed.has("error") && this.error) {
      const input = this.querySelector<HTMLInputElement>("#token-input");
      input?.focus();
      input?.select();
    }
  }

  override render() {
    return html`<form class="sign-in panel" @submit=${this.onSubmit} novalidate>
      <h2>Sign in</h2>
      <p class="hint">
        Paste the gateway token. <code>openclaw gateway token</code> prints it on the gateway's host.
        It is kept in this tab only and forgotten when the tab closes.
      </p>
      <label for="token-input">Gateway token</label>
      <input
        id="token-input"
        name="token"
        type="password"
        autocomplete="off"
        autocapitalize="off"
        spellcheck="false"
        required
        data-testid="token-input"
        aria-invalid=${this.error ? "true" : "false"}
        aria-describedby=${this.error ? "sign-in-error" : nothing}
        ?disabled=${this.busy}
      />
      ${
        this.error
          ? html`<p id="sign-in-error" class="error" role="alert" data-testid="sign-in-error">${this.error}</p>`
          : nothing
      }
      <button type="submit" class="primary" data-testid="sign-in" ?disabled=${this.busy}>
        ${this.busy ? "Signing in…" : "Sign in"}
      </button>
    </form>`;
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.querySelector<HTMLInputElement>("#token-input");
    const token = input?.value.trim() ?? "";
    if (!token) {
      this.dispatchEvent(new CustomEvent("sign-in-empty", { bubbles: true }));
      return;
    }
    this.dispatchEvent(new CustomEvent("sign-in", { bubbles: true, detail: { token } }));
  }
}

customElements.define("oc-sign-in-form", SignInForm);

declare global {
  interface HTMLElementTagNameMap {
    "oc-sign-in-form": SignInForm;
  }
}
