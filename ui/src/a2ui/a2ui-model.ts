/**
 * A2UI v0.8 surfaces, rebuilt from the server-to-client messages (`surfaceUpdate`,
 * `dataModelUpdate`, `beginRendering`, `deleteSurface`) the gateway keeps for a session. It
 * follows the reference processor's semantics (@a2ui/web_core v0.8): components are replaced by
 * id, a data update sets the value at its path (the root when there is none), relative paths
 * resolve against a template item's data context.
 */

export type DataValue = string | number | boolean | null | DataValue[] | { [key: string]: DataValue };
export type DataObject = { [key: string]: DataValue };

/** A value in a component: a literal, or a path into the surface's data model. */
export interface BoundValue {
  path?: string;
  literalString?: string;
  literalNumber?: number;
  literalBoolean?: boolean;
  literal?: string | number | boolean;
}

export interface A2uiComponent {
  id: string;
  weight?: number;
  /** The component's type (`Text`, `Button`, …) and its properties. */
  type: string;
  properties: Record<string, unknown>;
}

export interface A2uiSurface {
  surfaceId: string;
  components: Map<string, A2uiComponent>;
  /** Set by `beginRendering`: nothing is drawn before it. */
  root: string | undefined;
  data: DataObject;
  styles: Record<string, string>;
}

interface ValueMapEntry {
  key: string;
  valueString?: string;
  valueNumber?: number;
  valueBoolean?: boolean;
  valueMap?: ValueMapEntry[];
}

export class A2uiModel {
  readonly surfaces = new Map<string, A2uiSurface>();
  private applied: string[] = [];

  /**
   * Brings the surfaces up to date with the session's whole message list (the gateway sends all
   * of it each time). When the list only grew, just the new messages are applied, so what a
   * person typed into a text field survives an unrelated update; otherwise it starts afresh.
   */
  sync(messages: readonly unknown[]): void {
    const serialized = messages.map((message) => JSON.stringify(message));
    const grew =
      serialized.length >= this.applied.length &&
      this.applied.every((message, index) => serialized[index] === message);
    if (!grew) {
      this.surfaces.clear();
      this.applied = [];
    }
    for (const [index, message] of messages.entries()) {
      if (index < this.applied.length) continue;
      this.apply(message);
    }
    this.applied = serialized;
  }

  /** The surfaces that can be drawn: those a `beginRendering` named a root for. */
  renderable(): A2uiSurface[] {
    return [...this.surfaces.values()].filter((surface) => surface.root !== undefined);
  }

  resolve(surface: A2uiSurface, value: unknown, contextPath = "/"): DataValue | undefined {
    if (typeof value !== "object" || value === null) return undefined;
    const bound = value as BoundValue;
    if (typeof bound.path === "string") {
      const found = readPath(surface.data, resolvePath(bound.path, contextPath));
      if (found !== undefined) return found;
    }
    return bound.literalString ?? bound.literalNumber ?? bound.literalBoolean ?? bound.literal;
  }

  /** A person's input into a bound field (a TextField's `text.path`): kept locally, sent with actions. */
  write(surface: A2uiSurface, path: string, value: DataValue, contextPath = "/"): void {
    writePath(surface.data, resolvePath(path, contextPath), value);
  }

  private apply(message: unknown): void {
    if (typeof message !== "object" || message === null) return;
    const { surfaceUpdate, dataModelUpdate, beginRendering, deleteSurface } = message as Record<
      string,
      Record<string, unknown> | undefined
    >;
    if (surfaceUpdate && typeof surfaceUpdate.surfaceId === "string") {
      const surface = this.surface(surfaceUpdate.surfaceId);
      for (const instance of asArray(surfaceUpdate.components)) {
        const component = toComponent(instance);
        if (component) surface.components.set(component.id, component);
      }
    }
    if (dataModelUpdate && typeof dataModelUpdate.surfaceId === "string") {
      const surface = this.surface(dataModelUpdate.surfaceId);
      const path = typeof dataModelUpdate.path === "string" ? dataModelUpdate.path : "/";
      const contents = asArray(dataModelUpdate.contents) as ValueMapEntry[];
      const single = contents.length === 1 && contents[0]?.key === "." ? contents[0] : undefined;
      const value = single ? entryValue(single) : fromValueMap(contents);
      if (segmentsOf(path).length === 0) {
        surface.data = isDataObject(value) ? value : {};
      } else if (value !== undefined) {
        writePath(surface.data, path, value);
      }
    }
    if (beginRendering && typeof beginRendering.surfaceId === "string") {
      const surface = this.surface(beginRendering.surfaceId);
      if (typeof beginRendering.root === "string") surface.root = beginRendering.root;
      if (isStringRecord(beginRendering.styles)) surface.styles = beginRendering.styles;
    }
    if (deleteSurface && typeof deleteSurface.surfaceId === "string") {
      this.surfaces.delete(deleteSurface.surfaceId);
    }
  }

  private surface(surfaceId: string): A2uiSurface {
    let surface = this.surfaces.get(surfaceId);
    if (!surface) {
      surface = { surfaceId, components: new Map(), root: undefined, data: {}, styles: {} };
      this.surfaces.set(surfaceId, surface);
    }
    return surface;
  }
}

/** A component's children: listed ids, or one template repeated for each item at a data path. */
export function childrenOf(
  model: A2uiModel,
  surface: A2uiSurface,
  children: unknown,
  contextPath: string,
): { id: string; contextPath: string }[] {
  if (typeof children !== "object" || children === null) return [];
  const { explicitList, template } = children as {
    explicitList?: unknown;
    template?: { componentId?: unknown; dataBinding?: unknown };
  };
  if (Array.isArray(explicitList)) {
    return explicitList.filter((id) => typeof id === "string").map((id) => ({ id, contextPath }));
  }
  if (template && typeof template.componentId === "string" && typeof template.dataBinding === "string") {
    const base = resolvePath(template.dataBinding, contextPath);
    const items = model.resolve(surface, { path: base });
    if (typeof items !== "object" || items === null) return [];
    const componentId = template.componentId;
    return Object.keys(items).map((key) => ({ id: componentId, contextPath: `${trimSlash(base)}/${key}` }));
  }
  return [];
}

/** `/a/b` stays absolute; `b` inside a template item `/items/0` becomes `/items/0/b`. */
export function resolvePath(path: string, contextPath = "/"): string {
  if (path.startsWith("/")) return path;
  if (path === "." || path === "") return contextPath;
  return `${trimSlash(contextPath)}/${path}`;
}

function trimSlash(path: string): string {
  return path.endsWith("/") ? path.slice(0, -1) : path;
}

/** `/a/b`, `a.b` and `a[0].b` all name the same place. */
function segmentsOf(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(/[./]/)
    .filter((segment) => segment.length > 0);
}

/** Keys an agent must not be able to write through: they would reach Object.prototype. */
const FORBIDDEN_KEYS = new Set(["__proto__", "prototype", "constructor"]);

function readPath(root: DataObject, path: string): DataValue | undefined {
  let current: DataValue | undefined = root;
  for (const segment of segmentsOf(path)) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, DataValue>)[segment];
  }
  return current;
}

function writePath(root: DataObject, path: string, value: DataValue): void {
  const segments = segmentsOf(path);
  if (segments.some((segment) => FORBIDDEN_KEYS.has(segment))) return;
  const last = segments.pop();
  if (last === undefined) return;
  let current: Record<string, DataValue> = root;
  for (const segment of segments) {
    const next = current[segment];
    if (typeof next !== "object" || next === null) {
      const created: DataObject = {};
      current[segment] = created;
      current = created;
    } else {
      current = next as Record<string, DataValue>;
    }
  }
  current[last] = value;
}

function entryValue(entry: ValueMapEntry): DataValue | undefined {
  if (Array.isArray(entry.valueMap)) return fromValueMap(entry.valueMap);
  return entry.valueString ?? entry.valueNumber ?? entry.valueBoolean;
}

function fromValueMap(entries: ValueMapEntry[]): DataObject {
  const result: DataObject = {};
  for (const entry of entries) {
    if (typeof entry?.key !== "string") continue;
    const value = entryValue(entry);
    if (value !== undefined) writePath(result, entry.key, value);
  }
  return result;
}

function toComponent(instance: unknown): A2uiComponent | undefined {
  if (typeof instance !== "object" || instance === null) return undefined;
  const { id, weight, component } = instance as { id?: unknown; weight?: unknown; component?: unknown };
  if (typeof id !== "string" || typeof component !== "object" || component === null) return undefined;
  const [entry] = Object.entries(component);
  if (!entry) return undefined;
  const [type, properties] = entry;
  return {
    id,
    ...(typeof weight === "number" ? { weight } : {}),
    type,
    properties:
      typeof properties === "object" && properties !== null ? (properties as Record<string, unknown>) : {},
  };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isDataObject(value: DataValue | undefined): value is DataObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.values(value).every((entry) => typeof entry === "string")
  );
}
