export { type CanvasState, CanvasStore } from "./canvas-store.js";
