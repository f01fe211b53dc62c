import { AsyncLocalStorage } from "node:async_hooks";

interface ContainedScope {
  /** `telegram:default`. */
  key: string;
  onCrash(error: unknown): void;
}

const scope = new AsyncLocalStorage<ContainedScope>();
let installed = 0;

/**
 * A platform library that throws from one of its own callbacks (a socket handler, a timer) would
 * end the process: every callback an account creates runs in its async scope, and an uncaught
 * exception or rejection from that scope is handed to the account's runner, which logs it and
 * restarts the account. Anything thrown outside every scope is not ours to hide: with no other
 * handler the process ends as Node's default does (stack on stderr, exit code 1).
 */
function onUncaught(error: unknown): void {
  const contained = scope.getStore();
  if (contained) {
    contained.onCrash(error);
    return;
  }
  if (process.listenerCount("uncaughtException") > 1) return;
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}

/** Runs `run` (and every callback it schedules) in the account's scope. */
export function runContained<T>(key: string, onCrash: (error: unknown) => void, run: () => T): T {
  return scope.run({ key, onCrash }, run);
}

/** Runs `run` outside any account's scope: the gateway's own work started from a channel's callback. */
export function runUncontained<T>(run: () => T): T {
  return scope.exit(run);
}

/** While one runner needs it, the process handler is installed; returns its release. */
export function holdContainment(): () => void {
  if (installed === 0) process.on("uncaughtException", onUncaught);
  installed += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    installed -= 1;
    if (installed === 0) process.off("uncaughtException", onUncaught);
  };
}
