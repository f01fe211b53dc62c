import { OpenClawError } from "../errors.js";
import { type A2uiMessage, validateA2uiMessages } from "./a2ui-schema.js";

/** What a session's canvas shows: an HTML page (sandboxed by the viewer) and A2UI surfaces. */
export interface SessionCanvasState {
  sessionKey: string;
  agentId: string;
  html?: string;
  a2ui: A2uiMessage[];
  updatedAt: string;
}

const MAX_HTML_BYTES = 256 * 1024;
const MAX_MESSAGES = 500;

function surfaceOf(message: A2uiMessage): string | undefined {
  return (
    message.surfaceUpdate?.surfaceId ??
    message.dataModelUpdate?.surfaceId ??
    message.beginRendering?.surfaceId ??
    message.deleteSurface?.surfaceId
  );
}

/**
 * One canvas per session, drawn by the session's agent through its `canvas` tool and watched
 * live by viewers (the Control UI, nodes through their capability). Changes are checked first:
 * an invalid A2UI message leaves the canvas as it was.
 */
export class SessionCanvases {
  private readonly canvases = new Map<string, SessionCanvasState>();
  private readonly listeners = new Set<(state: SessionCanvasState) => void>();

  get(sessionKey: string): SessionCanvasState | undefined {
    return this.canvases.get(sessionKey);
  }

  onChange(listener: (state: SessionCanvasState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Drops a deleted session's canvas: without this, every session that ever drew one would stay
   * in memory for the gateway's lifetime (found by bench/soak's session churn).
   */
  forget(sessionKey: string): void {
    this.canvases.delete(sessionKey);
  }

  /** How many sessions hold a canvas: what a long-running gateway keeps, for its tests. */
  get size(): number {
    return this.canvases.size;
  }

  /** The `canvas` tool's operations. */
  apply(agentId: string, sessionKey: string, action: string, input: Record<string, unknown>): unknown {
    const current = this.canvases.get(sessionKey) ?? {
      sessionKey,
      agentId,
      a2ui: [],
      updatedAt: new Date().toISOString(),
    };
    switch (action) {
      case "snapshot":
        return this.view(current);
      case "reset":
        return this.commit({ sessionKey, agentId, a2ui: [], updatedAt: "" });
      case "present": {
        const html = input.html;
        if (typeof html !== "string" || html.length === 0)
          throw invalid("present needs `html`, a non-empty string");
        if (Buffer.byteLength(html) > MAX_HTML_BYTES)
          throw invalid(`html is over ${MAX_HTML_BYTES / 1024} KiB`);
        return this.commit({ ...current, agentId, html });
      }
      case "a2ui": {
        const checked = validateA2uiMessages(input.messages);
        if (!checked.ok) throw invalid(`invalid A2UI message: ${checked.error}`);
        let a2ui = [...current.a2ui];
        for (const message of checked.messages) {
          if (message.deleteSurface) {
            a2ui = a2ui.filter((kept) => surfaceOf(kept) !== message.deleteSurface?.surfaceId);
          } else {
            a2ui.push(message);
          }
        }
        if (a2ui.length > MAX_MESSAGES)
          throw invalid(`a canvas holds at most ${MAX_MESSAGES} A2UI messages; reset it`);
        return this.commit({ ...current, agentId, a2ui });
      }
      default:
        throw invalid(`unknown canvas action "${action}": present, a2ui, reset or snapshot`);
    }
  }

  private commit(next: SessionCanvasState) {
    const state = { ...next, updatedAt: new Date().toISOString() };
    this.canvases.set(state.sessionKey, state);
    for (const listener of this.listeners) listener(state);
    return this.view(state);
  }

  private view(state: SessionCanvasState) {
    return {
      sessionKey: state.sessionKey,
      html: state.html ?? null,
      a2uiMessages: state.a2ui.length,
      surfaces: [...new Set(state.a2ui.map(surfaceOf).filter((id) => id !== undefined))],
      updatedAt: state.updatedAt,
    };
  }
}

function invalid(message: string): OpenClawError {
  return new OpenClawError("OC_ERR_BAD_REQUEST", message);
}
