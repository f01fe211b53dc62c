import { join } from "node:path";
import { DurableSqlite, type DurableSqliteOptions, type DurableSqliteSpec } from "../sqlite/index.js";
import { CHANNEL_MIGRATIONS } from "./channel-schema.js";

export const CHANNELS_DATABASE_PATH = join("channels", "channels.sqlite");

export type ChannelDatabaseOptions = DurableSqliteOptions;

const CHANNELS: DurableSqliteSpec = {
  relativePath: CHANNELS_DATABASE_PATH,
  writer: "channels",
  label: "channel",
  migrations: CHANNEL_MIGRATIONS,
  hints: {
    closed: "the storage was closed (the gateway is stopping): open it again",
    damaged: (path) =>
      `stop the gateway and move it aside with its -wal and -shm files if present (\`mv ${path} ${path}.corrupt\`); a new one starts empty: pending pairing codes and the inbox are lost, and every DM sender must pair again`,
    newer: (path) =>
      `run the newer gateway that wrote it, or move it aside (\`mv ${path} ${path}.newer\`) to start an empty one: every DM sender must then pair again`,
    busy: "another process holds it (a stuck `openclaw pairing` command?): end it, then retry",
  },
};

/**
 * `<state>/channels/channels.sqlite`: the channel inbox, DM pairing and thread bindings, opened
 * at first use (a gateway without channels never creates it) and by the CLI while the gateway
 * runs. Pairing approvals decide who may talk to the agents, hence owner-only like the state dir.
 */
export class ChannelDatabase extends DurableSqlite {
  constructor(stateDir: string, options: ChannelDatabaseOptions = {}) {
    super(stateDir, CHANNELS, options);
  }
}
