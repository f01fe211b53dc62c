import type { AgentSupervisor, ChatService } from "../agents/index.js";
import type { OpenClawConfig } from "../config/index.js";
import { IdleRelease, lastResortGc } from "../heap/index.js";
import type { Logger } from "../logging/index.js";
import type { GatewayPart } from "./lifecycle/part-group.js";

const residentMb = () => process.memoryUsage.rss() / 1024 / 1024;

/**
 * `gateway.releaseMemoryAfterIdleMs`: once no turn has run for that long, the agents' threads and
 * then this one run V8's last-resort collection, which hands freed pages back to the OS. The
 * gateway's RSS then follows what it holds, not the peak of its last busy hour (measured on the
 * soak: 252 → 125 MB for a gateway idle after 120 000 turns).
 */
export function idleReleasePart(options: {
  chat: Pick<ChatService, "activeRunCount" | "onTurnEnd">;
  supervisor: Pick<AgentSupervisor, "releaseHeaps">;
  config: () => OpenClawConfig;
  logger: Logger;
}): GatewayPart {
  let turnsEnded = 0;
  let unsubscribe: (() => void) | undefined;
  const idle = new IdleRelease({
    idleMs: () => options.config().gateway.releaseMemoryAfterIdleMs,
    source: { busy: () => options.chat.activeRunCount() > 0, activity: () => turnsEnded },
    release: () => {
      const before = residentMb();
      options.supervisor.releaseHeaps();
      lastResortGc()?.();
      options.logger.info(
        { rssMbBefore: Math.round(before), rssMbAfter: Math.round(residentMb()) },
        "idle: freed memory released",
      );
    },
  });
  return {
    name: "idle-release",
    start: async () => {
      unsubscribe = options.chat.onTurnEnd(() => {
        turnsEnded++;
      });
      idle.start();
    },
    // The period is read at each look: a changed idle time is followed from the next one.
    stop: async () => {
      idle.stop();
      unsubscribe?.();
    },
  };
}
