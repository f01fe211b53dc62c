/**
 * The file a worker thread starts from. Node does not carry the process's compile cache into a
 * worker, so without this each agent thread compiles its ≈ 100 modules again from source; the
 * cache is turned on before they are imported (a static import would be evaluated first), in the
 * directory the gateway's own thread uses. Best effort: an unusable cache directory makes
 * enableCompileCache report a failure rather than throw, a corrupt or foreign entry fails Node's
 * checksum and is recompiled, and the try covers what is left, since no cache problem may keep
 * an agent from starting.
 */
import module from "node:module";
import { workerData } from "node:worker_threads";
import type { WorkerBootData } from "./worker-protocol.js";

const { compileCacheDir } = workerData as WorkerBootData;
try {
  if (compileCacheDir) module.enableCompileCache(compileCacheDir);
} catch {}
await import("./agent-worker.js");
