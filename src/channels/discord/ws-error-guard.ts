import { createRequire } from "node:module";

// The ws that @discordjs/ws loads (node_modules/ws, through Node's own resolution), not a copy a
// bundler might inline here: the patch must reach the class its shards are made of.
const { WebSocket } = createRequire(import.meta.url)("ws") as typeof import("ws");

let installed = false;

/**
 * Keeps a ws socket's late error from ending the gateway. @discordjs/ws sets `connection.onerror =
 * null` when it destroys a shard (WebSocketShard.destroy: a fatal close such as 4004, a stop, a
 * reload), which leaves its ws client with no 'error' listener; a reset that arrives after that
 * (the peer going away mid-close) is then emitted to nobody, and an EventEmitter throws what it
 * emits to nobody: an uncaught exception. Seen as `read ECONNRESET` / `connect ECONNRESET` after
 * the 4004 test of discord-account. Such an error belongs to a socket already given up on, so it is
 * dropped; a socket with a listener gets its errors as before.
 */
export function guardOrphanedSocketErrors(): void {
  if (installed) return;
  installed = true;
  const emit = WebSocket.prototype.emit;
  WebSocket.prototype.emit = function (
    this: InstanceType<typeof WebSocket>,
    event: string | symbol,
    ...args: unknown[]
  ) {
    if (event === "error" && this.listenerCount("error") === 0) return false;
    return emit.call(this, event, ...args);
  } as typeof emit;
}
