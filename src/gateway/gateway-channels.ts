import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { RunService } from "../agents/index.js";
import {
  type ChannelPlatformContext,
  ChannelService,
  type ChannelSettings,
  type InboundMessage,
} from "../channels/index.js";
import type { OpenClawConfig } from "../config/index.js";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import type { GatewayMetrics } from "../metrics/index.js";
import type { Redactor } from "../secrets/index.js";
import type { ChannelInboxStore } from "../storage/channel-inbox-store.js";
import type { Storage } from "../storage/index.js";
import { lazyChannelPlatforms } from "./channel-platforms.js";
import type { GatewayCredentials } from "./gateway-credentials.js";
import { createGatewayThreadBindings, type GatewayThreadBindings } from "./gateway-thread-bindings.js";
import type { GatewayPart } from "./lifecycle/part-group.js";

export type { GatewayThreadBindings } from "./gateway-thread-bindings.js";

const MAX_TOKEN_FILE_BYTES = 64 * 1024;

/** What the channels use of the gateway (the Gateway itself fits). */
export interface GatewayChannelsOptions {
  readonly storage: Storage;
  readonly runs: RunService;
  readonly credentials: GatewayCredentials;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly configPath: string;
  readonly supervisor: { agentIds(): string[] };
  config(): OpenClawConfig;
}

/** The channels of the gateway, as a part: started after the agents, stopped before them. */
export function createGatewayChannels(options: GatewayChannelsOptions): {
  service: ChannelService;
  part: GatewayPart;
  /** Chat commands and thread-bound sessions: asked by the dispatcher, served to agents' tools. */
  threads: GatewayThreadBindings;
} {
  const context = platformContext(options);
  // The bindings post through the service, read when they post: it exists by then.
  let service: ChannelService | undefined;
  const threads = createGatewayThreadBindings({
    storage: options.storage,
    runs: options.runs,
    logger: options.logger,
    config: () => options.config(),
    get channels() {
      return service as ChannelService;
    },
  });
  const platforms = lazyChannelPlatforms();
  const loadPlatforms = () => platforms.load(options.config().channels as Record<string, unknown>);
  service = new ChannelService({
    platforms: platforms.platforms,
    // The inbox stores messages as given (JSON) and returns them so: these are InboundMessages.
    inbox: options.storage.channelInbox as ChannelInboxStore<InboundMessage>,
    pairing: options.storage.channelPairing,
    context,
    settings: () => channelSettings(options.config(), options.supervisor.agentIds()[0] ?? "main"),
    turns: {
      run: async (request) => {
        // A tool of this turn (sessions_spawn thread: true) binds the conversation it came from.
        const leave = threads.conversations.enter(request.sessionKey, request.conversation);
        const result = await options.runs
          .run({
            agentId: request.agentId,
            sessionKey: request.sessionKey,
            runId: request.runId,
            input: { kind: "message", text: request.text },
            origin: { transport: "channel", route: request.sessionKey },
            onEvent: (event) => {
              if (event.type === "text-delta") request.onTextDelta(event.text);
            },
          })
          .finally(() => leave?.());
        return { text: result.outcome.text };
      },
    },
    conversations: threads.hooks,
    onInbound: (channel, account, count) => options.metrics.channels.recordInbound(channel, account, count),
    onOutbound: (channel, account) => options.metrics.channels.recordOutbound(channel, account),
    onSendFailure: (channel, account, error) =>
      options.metrics.channels.recordSendFailure(channel, account, error.code),
    // A cluster's gateways share the storage: each polling account gets one leader among them.
    ...(options.storage.shared ? { leadership: { lock: options.storage.runLock } } : {}),
  });
  options.credentials.onRotate((name) => void service.secretRotated(name));
  return {
    service,
    threads,
    part: {
      name: "channels",
      start: async () => {
        await loadPlatforms();
        await service.start();
        threads.sweeper.start();
      },
      apply: async () => {
        await loadPlatforms();
        await service.apply();
      },
      stop: async () => {
        threads.sweeper.stop();
        await service.stop();
      },
    },
  };
}

export function channelSettings(config: OpenClawConfig, defaultAgentId: string): ChannelSettings {
  return {
    channels: config.channels as Record<string, unknown>,
    bindings: config.bindings,
    dmScope: config.session.dmScope,
    groupScope: config.session.groupScope,
    defaultAgentId,
  };
}

function platformContext(options: GatewayChannelsOptions): ChannelPlatformContext {
  const { credentials, redactor, logger } = options;
  return {
    credential(value, path) {
      if (value === undefined) return undefined;
      if (typeof value === "string") {
        redactor.add(value);
        return value;
      }
      const secret = credentials.store.get(value.$secret);
      if (secret === undefined) {
        const status = credentials.store.status(value.$secret);
        throw new OpenClawError(
          "OC_ERR_SECRET_UNAVAILABLE",
          `${path} needs secret "${value.$secret}", which has no value${status?.error ? `: ${status.error}` : ""}`,
          { hint: status?.hint ?? `declare externalSecrets.${value.$secret}` },
        );
      }
      return secret;
    },
    secretFile(path) {
      const value = readTokenFile(resolve(dirname(options.configPath), path));
      redactor.add(value);
      return value;
    },
    log(level, message, details) {
      logger[level](details, message);
    },
  };
}

/**
 * A `tokenFile`: a regular file (a symlink is refused, as OpenClaw does), owned by nobody else's
 * eyes (no group or other permission bits), small. Read with O_NOFOLLOW so that a link swapped
 * in after the check is not followed.
 */
function readTokenFile(path: string): string {
  const fail = (detail: string, code: "OC_ERR_SECRET_UNAVAILABLE" | "OC_ERR_SECRET_INSECURE") =>
    new OpenClawError(code, `token file ${path} ${detail}`, {
      hint:
        code === "OC_ERR_SECRET_INSECURE"
          ? `chmod 600 ${path}`
          : "write the token into that file (one line), or reference an external secret instead",
    });
  let stats: ReturnType<typeof lstatSync>;
  try {
    stats = lstatSync(path);
  } catch (error) {
    throw fail(
      `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      "OC_ERR_SECRET_UNAVAILABLE",
    );
  }
  if (stats.isSymbolicLink())
    throw fail("is a symlink; point tokenFile at the file itself", "OC_ERR_SECRET_INSECURE");
  if (!stats.isFile()) throw fail("is not a regular file", "OC_ERR_SECRET_UNAVAILABLE");
  if ((stats.mode & 0o077) !== 0)
    throw fail(`is readable by others (mode 0${(stats.mode & 0o777).toString(8)})`, "OC_ERR_SECRET_INSECURE");
  const descriptor = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const size = fstatSync(descriptor).size;
    if (size > MAX_TOKEN_FILE_BYTES) throw fail("is larger than 64 KiB", "OC_ERR_SECRET_UNAVAILABLE");
    const buffer = Buffer.alloc(size);
    readSync(descriptor, buffer, 0, size, 0);
    const value = buffer.toString("utf8").trim();
    if (value === "") throw fail("is empty", "OC_ERR_SECRET_UNAVAILABLE");
    return value;
  } finally {
    closeSync(descriptor);
  }
}
