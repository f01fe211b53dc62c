import { type Diagnostic, fail, ok, warn } from "./diagnostic.js";
import type { StorageFact } from "./facts.js";

/**
 * The running gateway's storage: its kind, whether it answers, and on a shared storage how many
 * replicas announce themselves. An unreachable storage fails: turns cannot be saved and
 * `/readyz` is 503 until it is back.
 */
export function checkStorage(storage: StorageFact | undefined): Diagnostic[] {
  if (!storage) return [];
  if (!storage.reachable) {
    return [
      fail(
        "storage",
        `storage ${storage.kind} is unreachable: turns cannot be saved and /readyz answers 503`,
        "check the database (storage.url) is up and reachable from this host; the gateway reconnects by itself",
      ),
    ];
  }
  if (!storage.clustered) return [ok("storage", `storage ${storage.kind}: reachable, one gateway`)];
  if (storage.replicas === 0) {
    return [
      warn(
        "storage",
        `storage ${storage.kind}: reachable, but no replica (not even this one) is announced`,
        "check the gateway log for 'replica announcement failed'; `openclaw cluster status` lists the replicas",
      ),
    ];
  }
  return [ok("storage", `storage ${storage.kind}: reachable, ${storage.replicas} replica(s) announced`)];
}
