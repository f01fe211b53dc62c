import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

type GcFunction = (options?: {
  type?: "major" | "minor";
  execution?: "sync" | "async";
  flavor?: string;
}) => void;

let gc: GcFunction | null | undefined;

/**
 * V8's garbage collector of this thread's isolate, in its last-resort flavour (what V8 itself
 * runs on a low-memory notification): a full collection that also compacts and hands freed pages
 * back to the OS. An ordinary major GC does not: measured on the soak (bench/soak), an idle
 * gateway kept ≈ 100 MB of freed V8 pages resident after full GCs and 30 s of idle, and gave
 * them back to this one (252 → 125 MB).
 *
 * Node offers no API for it, so the function comes from a fresh vm context created while
 * `--expose-gc` is set, and the flag is cleared again at once: no context created later (an
 * agent's worker thread, a plugin's vm) finds a `gc` global. Undefined where V8 refuses the
 * flag; the caller then releases nothing.
 */
export function lastResortGc(): (() => void) | undefined {
  if (gc === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      const found = runInNewContext("typeof gc === 'function' ? gc : undefined") as GcFunction | undefined;
      gc = found ?? null;
    } catch {
      gc = null;
    } finally {
      setFlagsFromString("--no-expose-gc");
    }
  }
  const collect = gc;
  if (!collect) return undefined;
  return () => collect({ type: "major", execution: "sync", flavor: "last-resort" });
}
