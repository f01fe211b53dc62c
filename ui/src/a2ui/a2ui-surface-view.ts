import { html, LitElement, nothing, type TemplateResult } from "lit";
import { live } from "lit/directives/live.js";
import { styleMap } from "lit/directives/style-map.js";
import {
  type A2uiComponent,
  type A2uiModel,
  type A2uiSurface,
  childrenOf,
  type DataValue,
} from "./a2ui-model.js";

/** What a button press sends on: the action's name and its context resolved against the data. */
export interface A2uiUserAction {
  name: string;
  surfaceId: string;
  sourceComponentId: string;
  context: Record<string, DataValue | undefined>;
}

/** A runaway (or cyclic) tree from an agent stops here rather than freezing the tab. */
const MAX_DEPTH = 32;

const ALIGN: Record<string, string> = {
  start: "flex-start",
  center: "center",
  end: "flex-end",
  stretch: "stretch",
};
const DISTRIBUTE: Record<string, string> = {
  start: "flex-start",
  center: "center",
  end: "flex-end",
  spaceBetween: "space-between",
  spaceAround: "space-around",
  spaceEvenly: "space-evenly",
};

interface RenderContext {
  contextPath: string;
  depth: number;
  /** Inside a button: phrasing content only (a `<p>` or a `<button>` would be invalid there). */
  inline: boolean;
  /** Ids on the path from the root, to refuse a component that contains itself. */
  ancestors: ReadonlySet<string>;
}

/**
 * Draws one A2UI v0.8 surface with native elements: Text, Button, Column, Row, List, Card,
 * TextField, CheckBox, Image, Divider (the catalog the gateway's canvas tool accepts). Light DOM,
 * so the page's focus styles apply and tests find `a2ui-button-<id>` with a plain selector.
 */
export class A2uiSurfaceView extends LitElement {
  static override properties = {
    model: { attribute: false },
    surface: { attribute: false },
    revision: { attribute: false },
  };

  declare model: A2uiModel | undefined;
  declare surface: A2uiSurface | undefined;
  /** The model changes in place: a new revision is what tells Lit to draw again. */
  declare revision: number;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render() {
    const { model, surface } = this;
    if (!model || !surface?.root) return nothing;
    const primary = surface.styles.primaryColor;
    const style = primary && /^#[0-9a-f]{3,8}$/i.test(primary) ? { "--a2ui-primary": primary } : {};
    return html`<section
      class="a2ui-surface"
      aria-label=${`Canvas surface ${surface.surfaceId}`}
      style=${styleMap(style)}
    >
      ${this.renderComponent(model, surface, surface.root, {
        contextPath: "/",
        depth: 0,
        inline: false,
        ancestors: new Set(),
      })}
    </section>`;
  }

  private renderComponent(
    model: A2uiModel,
    surface: A2uiSurface,
    id: string,
    context: RenderContext,
  ): TemplateResult | typeof nothing {
    const component = surface.components.get(id);
    if (!component || context.depth > MAX_DEPTH || context.ancestors.has(id)) return nothing;
    const inner: RenderContext = {
      ...context,
      depth: context.depth + 1,
      ancestors: new Set([...context.ancestors, id]),
    };
    const props = component.properties;
    const text = (value: unknown) => displayText(model.resolve(surface, value, context.contextPath));
    switch (component.type) {
      case "Text":
        return renderText(text(props.text), props.usageHint, context.inline);
      case "Button":
        return this.renderButton(model, surface, component, context, inner);
      case "Column":
      case "Row":
      case "List": {
        const horizontal =
          component.type === "Row" || (component.type === "List" && props.direction === "horizontal");
        const style = {
          "align-items": ALIGN[String(props.alignment)] ?? "stretch",
          "justify-content": DISTRIBUTE[String(props.distribution)] ?? "flex-start",
        };
        return html`<div class=${horizontal ? "a2ui-row" : "a2ui-column"} style=${styleMap(style)}>
          ${childrenOf(model, surface, props.children, context.contextPath).map((child) => {
            const weight = surface.components.get(child.id)?.weight;
            const rendered = this.renderComponent(model, surface, child.id, {
              ...inner,
              contextPath: child.contextPath,
            });
            return weight === undefined
              ? rendered
              : html`<div style=${styleMap({ flex: `${weight} 1 0` })}>${rendered}</div>`;
          })}
        </div>`;
      }
      case "Card":
        return html`<div class="a2ui-card">
          ${typeof props.child === "string" ? this.renderComponent(model, surface, props.child, inner) : nothing}
        </div>`;
      case "TextField":
        return this.renderTextField(model, surface, component, context);
      case "CheckBox":
      case "Checkbox":
        return this.renderCheckBox(model, surface, component, context);
      case "Image": {
        const url = text(props.url);
        return /^(https?:|\/|\.\/)/.test(url)
          ? html`<img class="a2ui-image" src=${url} alt="" referrerpolicy="no-referrer" />`
          : nothing;
      }
      case "Divider":
        return context.inline ? nothing : html`<hr class="a2ui-divider" />`;
      default:
        return html`<span class="a2ui-unsupported">(${component.type} is not supported here)</span>`;
    }
  }

  private renderButton(
    model: A2uiModel,
    surface: A2uiSurface,
    component: A2uiComponent,
    context: RenderContext,
    inner: RenderContext,
  ) {
    const props = component.properties;
    const child =
      typeof props.child === "string"
        ? this.renderComponent(model, surface, props.child, { ...inner, inline: true })
        : nothing;
    const press = () => {
      const action = props.action as { name?: unknown; context?: unknown } | undefined;
      if (typeof action?.name !== "string") return;
      this.dispatchEvent(
        new CustomEvent<A2uiUserAction>("a2ui-action", {
          bubbles: true,
          composed: true,
          detail: {
            name: action.name,
            surfaceId: surface.surfaceId,
            sourceComponentId: component.id,
            context: resolveActionContext(model, surface, action.context, context.contextPath),
          },
        }),
      );
    };
    return html`<button
      type="button"
      class=${props.primary === true ? "a2ui-button primary" : "a2ui-button"}
      data-testid=${`a2ui-button-${component.id}`}
      @click=${press}
    >
      ${child}
    </button>`;
  }

  private renderTextField(
    model: A2uiModel,
    surface: A2uiSurface,
    component: A2uiComponent,
    context: RenderContext,
  ) {
    const props = component.properties;
    const label = displayText(model.resolve(surface, props.label, context.contextPath));
    const value = displayText(model.resolve(surface, props.text, context.contextPath));
    const path = boundPath(props.text);
    const onInput = (event: Event) => {
      if (path === undefined) return;
      const target = event.target as HTMLInputElement | HTMLTextAreaElement;
      model.write(surface, path, target.value, context.contextPath);
      this.requestUpdate();
    };
    const kind = String(props.textFieldType ?? "shortText");
    const inputType =
      kind === "number" ? "number" : kind === "date" ? "date" : kind === "obscured" ? "password" : "text";
    return html`<label class="a2ui-field">
      <span>${label}</span>
      ${
        kind === "longText"
          ? html`<textarea rows="3" .value=${live(value)} @input=${onInput}></textarea>`
          : html`<input type=${inputType} .value=${live(value)} @input=${onInput} />`
      }
    </label>`;
  }

  private renderCheckBox(
    model: A2uiModel,
    surface: A2uiSurface,
    component: A2uiComponent,
    context: RenderContext,
  ) {
    const props = component.properties;
    const label = displayText(model.resolve(surface, props.label, context.contextPath));
    const checked = model.resolve(surface, props.value, context.contextPath) === true;
    const path = boundPath(props.value);
    const onChange = (event: Event) => {
      if (path === undefined) return;
      model.write(surface, path, (event.target as HTMLInputElement).checked, context.contextPath);
      this.requestUpdate();
    };
    return html`<label class="a2ui-check">
      <input type="checkbox" .checked=${live(checked)} @change=${onChange} />
      <span>${label}</span>
    </label>`;
  }
}

function renderText(text: string, usageHint: unknown, inline: boolean) {
  if (inline) return html`<span>${text}</span>`;
  switch (usageHint) {
    // The panel's own heading is an h2: a surface's headings sit below it.
    case "h1":
      return html`<h3 class="a2ui-text">${text}</h3>`;
    case "h2":
      return html`<h4 class="a2ui-text">${text}</h4>`;
    case "h3":
      return html`<h5 class="a2ui-text">${text}</h5>`;
    case "h4":
    case "h5":
      return html`<h6 class="a2ui-text">${text}</h6>`;
    case "caption":
      return html`<p class="a2ui-text caption">${text}</p>`;
    default:
      return html`<p class="a2ui-text">${text}</p>`;
  }
}

function resolveActionContext(
  model: A2uiModel,
  surface: A2uiSurface,
  context: unknown,
  contextPath: string,
): Record<string, DataValue | undefined> {
  const resolved: Record<string, DataValue | undefined> = {};
  // v0.8 sends `[{ key, value: BoundValue }]`; a plain `{ key: BoundValue }` object is read too.
  const entries: [string, unknown][] = Array.isArray(context)
    ? context
        .filter((entry): entry is { key: string; value: unknown } => typeof entry?.key === "string")
        .map((entry) => [entry.key, entry.value])
    : typeof context === "object" && context !== null
      ? Object.entries(context)
      : [];
  for (const [key, value] of entries) {
    resolved[key] =
      typeof value === "object" && value !== null
        ? model.resolve(surface, value, contextPath)
        : (value as DataValue | undefined);
  }
  return resolved;
}

function boundPath(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const path = (value as { path?: unknown }).path;
  return typeof path === "string" ? path : undefined;
}

function displayText(value: DataValue | undefined): string {
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

customElements.define("oc-a2ui-surface", A2uiSurfaceView);

declare global {
  interface HTMLElementTagNameMap {
    "oc-a2ui-surface": A2uiSurfaceView;
  }
}
