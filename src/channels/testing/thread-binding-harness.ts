import { afterEach } from "vitest";
import type { ChannelInboxStore } from "../../storage/channel-inbox-store.js";
import { createMemoryStorage, MemoryLocation, type Storage } from "../../storage/index.js";
import { createConversationHooks } from "../commands/conversation-hooks.js";
import { accountPolicy, type PolicyFields } from "../core/account-policy.js";
import type { InboundMessage } from "../core/channel-account.js";
import { ChannelService } from "../core/channel-service.js";
import { threadBindingSettings } from "../thread-bindings/binding-settings.js";
import { BindingSweeper } from "../thread-bindings/binding-sweeper.js";
import { ThreadBindings } from "../thread-bindings/thread-bindings.js";
import {
  type SpawnTarget,
  ThreadSpawner,
  type ThreadSpawnResult,
} from "../thread-bindings/thread-spawner.js";
import { TurnConversations } from "../thread-bindings/turn-conversations.js";
import { FakeChannelAccount } from "./fake-channel-account.js";

export interface ThreadBindingHarness {
  service: ChannelService;
  account: FakeChannelAccount;
  storage: Storage;
  bindings: ThreadBindings;
  spawner: ThreadSpawner;
  sweeper: BindingSweeper;
  conversations: TurnConversations;
  clock: { now: number };
  /** Every turn the dispatcher ran: agent, session, text. */
  turns: { agentId: string; sessionKey: string; text: string }[];
  /** Every helper run a spawn started. */
  helperRuns: { agentId: string; sessionKey: string; task: string }[];
  /** What each spawn returned to the "model", or the error it threw. */
  spawns: (ThreadSpawnResult | Error)[];
  /** Says `text` as sender 42 in the DM (or where `options` puts it) and waits until handled. */
  say(text: string, options?: Partial<InboundMessage> & { senderId?: string }): Promise<void>;
  /** The texts sent into a conversation (a thread of it when threadId is given). */
  sentTo(peerId: string, threadId?: string): string[];
  until(condition: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
}

const services: ChannelService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.stop()));
});

/**
 * The real dispatcher, stores and thread bindings on a FakeChannelAccount, with a turn runner
 * that plays the model: a message `spawn <task>` (or `spawn-run <task>`) makes the lead call
 * sessions_spawn { agentId: "analyzer", thread: true } as the gateway's host service would,
 * with the turn's own session and conversation; any other message is echoed by its agent.
 */
export async function threadBindingHarness(
  options: {
    threads?: "child" | "conversation";
    policy?: PolicyFields;
    channelConfig?: Record<string, unknown>;
    session?: Record<string, unknown>;
    targets?: SpawnTarget[];
    location?: MemoryLocation;
  } = {},
): Promise<ThreadBindingHarness> {
  const account = new FakeChannelAccount(
    "fake",
    "default",
    options.threads ? { threads: options.threads } : {},
  );
  const storage = createMemoryStorage(options.location ?? new MemoryLocation());
  const clock = { now: Date.parse("2026-03-15T12:00:00.000Z") };
  const now = () => clock.now;
  const turns: ThreadBindingHarness["turns"] = [];
  const helperRuns: ThreadBindingHarness["helperRuns"] = [];
  const spawns: ThreadBindingHarness["spawns"] = [];
  const conversations = new TurnConversations();
  let service: ChannelService | undefined;
  const bindings: ThreadBindings = new ThreadBindings({
    store: storage.threadBindings,
    settings: (channel, accountId) =>
      threadBindingSettings(options.session, { fake: options.channelConfig ?? {} }, channel, accountId),
    account: (channel, accountId) => service?.connectedAccount(channel, accountId),
    post: (channel, accountId, target, text) =>
      (service as ChannelService).post(channel, accountId, target, text),
    log: () => undefined,
    now,
  });
  const sweeper = new BindingSweeper(bindings, { log: () => undefined, now });
  const targets = options.targets ?? [{ id: "analyzer", model: "dev/echo", threadBound: true }];
  const spawner = new ThreadSpawner({
    bindings,
    conversations,
    targets: (agentId) => (agentId === "lead" ? targets : []),
    run: async (request) => {
      helperRuns.push({ agentId: request.agentId, sessionKey: request.sessionKey, task: request.task });
      return `${request.agentId} did: ${request.task}`;
    },
    log: () => undefined,
    now,
  });
  service = new ChannelService({
    platforms: [
      {
        id: "fake",
        accounts: () => [
          {
            accountId: "default",
            policy: accountPolicy(options.policy ?? { dmPolicy: "allowlist", allowFrom: ["42"] }, undefined),
            preview: false,
            fingerprint: "1",
            secrets: [],
            create: () => account,
          },
        ],
        target: (raw) => ({ peer: { kind: "direct", id: raw } }),
      },
    ],
    inbox: storage.channelInbox as ChannelInboxStore<InboundMessage>,
    pairing: storage.channelPairing,
    context: { credential: () => undefined, secretFile: () => "", log: () => undefined },
    settings: () => ({
      channels: { fake: options.channelConfig ?? {} },
      bindings: [],
      dmScope: "per-channel-peer",
      groupScope: "per-group",
      defaultAgentId: "lead",
    }),
    conversations: createConversationHooks({ bindings, runs: () => spawner.runs(), now }),
    turns: {
      run: async (request) => {
        turns.push({ agentId: request.agentId, sessionKey: request.sessionKey, text: request.text });
        const leave = conversations.enter(request.sessionKey, request.conversation);
        try {
          const spawn = /^(spawn|spawn-run) (.+)$/.exec(request.text);
          if (!spawn) return { text: `${request.agentId}: ${request.text}` };
          try {
            const result = await spawner.spawn(
              { agentId: request.agentId, sessionKey: request.sessionKey },
              {
                agentId: "analyzer",
                task: spawn[2] as string,
                mode: spawn[1] === "spawn" ? "session" : "run",
              },
            );
            spawns.push(result);
            return { text: `spawned ${result.childSessionKey}` };
          } catch (error) {
            spawns.push(error as Error);
            return { text: `spawn failed: ${(error as Error).message}` };
          }
        } finally {
          leave();
        }
      },
    },
    retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
  });
  services.push(service);
  const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 3000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error("timed out waiting");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  await service.start();
  await until(() => account.sink !== undefined);
  const running = service;
  return {
    service: running,
    account,
    storage,
    bindings,
    spawner,
    sweeper,
    conversations,
    clock,
    turns,
    helperRuns,
    spawns,
    async say(text, sayOptions = {}) {
      await account.receive(text, sayOptions);
      await running.idle();
    },
    sentTo(peerId, threadId) {
      return account.sent
        .filter((sent) => sent.target.peer.id === peerId && sent.target.threadId === threadId)
        .map((sent) => sent.text);
    },
    until,
  };
}
