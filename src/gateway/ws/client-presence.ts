import { hostname, platform } from "node:os";

/** One connected client as OpenClaw's `PresenceEntry` describes it (`system-presence`, hello-ok). */
export interface PresenceEntry {
  ts: number;
  host?: string;
  ip?: string;
  version?: string;
  platform?: string;
  deviceFamily?: string;
  mode?: string;
  reason?: string;
  onlineSince?: number;
  deviceId?: string;
  roles?: string[];
  scopes?: string[];
  instanceId?: string;
  text?: string;
}

/**
 * Who is connected right now: the gateway itself first, then every admitted WebSocket client,
 * by connection. Operators read it with `system-presence` and in hello-ok's snapshot; it holds
 * what clients said of themselves in `connect`, never a credential.
 */
export class ClientPresence {
  private readonly clients = new Map<string, PresenceEntry>();
  private readonly self: PresenceEntry;
  private version = 0;

  constructor(gatewayVersion: string, startedAt: number) {
    this.self = {
      ts: startedAt,
      host: hostname(),
      version: gatewayVersion,
      platform: platform(),
      mode: "gateway",
      reason: "self",
      onlineSince: startedAt,
      roles: ["gateway"],
      text: `OpenClaw-compatible gateway ${gatewayVersion}`,
    };
  }

  add(connId: string, entry: Omit<PresenceEntry, "ts" | "onlineSince">): void {
    const now = Date.now();
    this.clients.set(connId, { ...dropEmpty(entry), ts: now, onlineSince: now, reason: "connect" });
    this.version++;
  }

  remove(connId: string): void {
    if (this.clients.delete(connId)) this.version++;
  }

  list(): PresenceEntry[] {
    return [{ ...this.self, ts: Date.now() }, ...this.clients.values()];
  }

  /** Bumped on every change: hello-ok's `stateVersion.presence`. */
  stateVersion(): number {
    return this.version;
  }
}

/** The schema wants non-empty strings: a field a client sent empty is left out, not sent as "". */
function dropEmpty(
  entry: Omit<PresenceEntry, "ts" | "onlineSince">,
): Omit<PresenceEntry, "ts" | "onlineSince"> {
  return Object.fromEntries(
    Object.entries(entry).filter(
      ([, value]) => value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0),
    ),
  ) as Omit<PresenceEntry, "ts" | "onlineSince">;
}
