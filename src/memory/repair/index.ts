export { moveStoreAside } from "./move-aside.js";
export { readReadableRows, type UnreadableRange } from "./readable-rows.js";
export { type RebuildInput, rebuildStore } from "./rebuild-store.js";
export { describeRepair, healthyReport, type MemoryRepairReport } from "./repair-report.js";
export { type Salvage, type SalvagedEmbedding, salvageStore } from "./salvage-store.js";
