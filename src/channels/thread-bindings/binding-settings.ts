/**
 * The thread-binding settings in force for one channel account: `session.threadBindings`, then
 * `channels.<id>.threadBindings`, then the account's own (`channels.<id>.accounts.<a>.threadBindings`),
 * field by field, as OpenClaw layers them.
 */
export interface ThreadBindingSettings {
  enabled: boolean;
  idleHours: number;
  maxAgeHours: number;
  spawnSessions: boolean;
  defaultSpawnContext: string;
}

type Override = Partial<ThreadBindingSettings> | undefined;

interface ChannelBlock {
  threadBindings?: Override;
  accounts?: Record<string, { threadBindings?: Override } | undefined>;
}

export const DEFAULT_THREAD_BINDING_SETTINGS: ThreadBindingSettings = {
  enabled: true,
  idleHours: 24,
  maxAgeHours: 0,
  spawnSessions: true,
  defaultSpawnContext: "fork",
};

export function threadBindingSettings(
  session: Override,
  channels: Record<string, unknown>,
  channel: string,
  accountId: string,
): ThreadBindingSettings {
  const block = (channels[channel] ?? {}) as ChannelBlock;
  const account =
    block.accounts && Object.hasOwn(block.accounts, accountId) ? block.accounts[accountId] : undefined;
  const layers = [session, block.threadBindings, account?.threadBindings];
  const settings = { ...DEFAULT_THREAD_BINDING_SETTINGS };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) (settings as Record<string, unknown>)[key] = value;
    }
  }
  return settings;
}
