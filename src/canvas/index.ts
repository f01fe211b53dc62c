export { type A2uiMessage, A2uiMessageSchema, validateA2uiMessages } from "./a2ui-schema.js";
export { type CanvasState, CanvasStore } from "./canvas-store.js";
export { SessionCanvases, type SessionCanvasState } from "./session-canvas.js";
