/** What a node's canvas shows for one session: a snapshot document and the A2UI messages. */
export interface CanvasState {
  nodeId: string;
  sessionKey: string;
  snapshot: unknown;
  a2ui: unknown[];
  updatedAt: string;
}

const MAX_A2UI_MESSAGES = 500;

/**
 * The canvases of connected nodes, one per (node, session). Kept in memory: a canvas is a live
 * surface, redrawn by its agent; it is not history. Reads go through capability URLs only, so a
 * node sees its own sessions' canvases and nothing else.
 */
export class CanvasStore {
  private readonly canvases = new Map<string, CanvasState>();

  private static key(nodeId: string, sessionKey: string): string {
    return `${nodeId}\u0000${sessionKey}`;
  }

  get(nodeId: string, sessionKey: string): CanvasState | undefined {
    return this.canvases.get(CanvasStore.key(nodeId, sessionKey));
  }

  update(nodeId: string, sessionKey: string, change: { snapshot?: unknown; a2ui?: unknown[] }): CanvasState {
    const key = CanvasStore.key(nodeId, sessionKey);
    const previous = this.canvases.get(key);
    const a2ui = [...(previous?.a2ui ?? []), ...(change.a2ui ?? [])].slice(-MAX_A2UI_MESSAGES);
    const next: CanvasState = {
      nodeId,
      sessionKey,
      snapshot: change.snapshot !== undefined ? change.snapshot : (previous?.snapshot ?? null),
      a2ui,
      updatedAt: new Date().toISOString(),
    };
    this.canvases.set(key, next);
    return next;
  }

  /** Drops a node's canvases (revoked), or one session's (ended). */
  drop(nodeId: string, sessionKey?: string): void {
    for (const [key, state] of this.canvases) {
      if (state.nodeId === nodeId && (sessionKey === undefined || state.sessionKey === sessionKey)) {
        this.canvases.delete(key);
      }
    }
  }
}
