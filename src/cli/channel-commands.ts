import type { Command } from "commander";
import type { ChannelAccountReport, ChannelPairingRequest } from "../channels/index.js";
import type { ThreadBindingView } from "../channels/thread-bindings/index.js";
import { OpenClawError } from "../errors.js";
import { createFileStorage } from "../storage/index.js";
import { cliPaths, type GlobalOptions } from "./cli-context.js";
import { callGateway, runningGatewayUrl } from "./gateway-api.js";
import { formatTable, printJson } from "./output.js";

function age(at: number): string {
  const seconds = Math.max(0, Math.round((Date.now() - at) / 1000));
  return seconds < 120
    ? `${seconds}s`
    : seconds < 7200
      ? `${Math.round(seconds / 60)}m`
      : `${Math.round(seconds / 3600)}h`;
}

function printChannels(reports: ChannelAccountReport[], detailed: boolean): void {
  if (reports.length === 0) {
    process.stdout.write(
      "no channel accounts configured (channels.telegram, channels.irc, channels.discord, channels.slack in openclaw.json)\n",
    );
    return;
  }
  const rows = [
    ["CHANNEL", "ACCOUNT", "STATE", "IDENTITY", ...(detailed ? ["INBOX", "RESTARTS", "SINCE"] : [])],
  ];
  for (const report of reports) {
    rows.push([
      report.channel,
      report.accountId,
      report.state,
      report.identity?.username ?? report.identity?.id ?? "-",
      ...(detailed ? [String(report.inboxDepth), String(report.restarts), age(report.since)] : []),
    ]);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  for (const report of reports) {
    if (report.state === "degraded" && report.detail)
      process.stdout.write(`  ${report.channel}:${report.accountId}: ${report.detail}\n`);
  }
}

function printPending(pending: ChannelPairingRequest[]): void {
  if (pending.length === 0) {
    process.stdout.write("no pending pairing requests\n");
    return;
  }
  const rows = [["CHANNEL", "ACCOUNT", "CODE", "SENDER", "NAME", "AGE", "EXPIRES IN"]];
  for (const request of pending) {
    rows.push([
      request.channel,
      request.accountId,
      request.code,
      request.senderId,
      request.senderUsername ? `@${request.senderUsername}` : (request.senderName ?? "-"),
      age(request.createdAt),
      `${Math.max(0, Math.round((request.expiresAt - Date.now()) / 60_000))}m`,
    ]);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
}

function printBindings(bindings: ThreadBindingView[]): void {
  if (bindings.length === 0) {
    process.stdout.write("no thread bindings\n");
    return;
  }
  const rows = [["CHANNEL", "ACCOUNT", "CONVERSATION", "THREAD", "AGENT", "SESSION", "MODE", "EXPIRES"]];
  for (const binding of bindings) {
    rows.push([
      binding.channel,
      binding.accountId,
      binding.peer,
      binding.threadId ?? "-",
      binding.agentId,
      binding.sessionKey,
      binding.mode,
      binding.expiresAt === null
        ? "never"
        : `in ${Math.max(0, Math.round((binding.expiresAt - Date.now()) / 60_000))}m (${binding.expiresBy})`,
    ]);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
}

async function threadBindings(): Promise<ThreadBindingView[]> {
  await channelReports();
  return (
    ((await callGateway("/__openclaw__/channels", "GET")) as { threadBindings?: ThreadBindingView[] })
      .threadBindings ?? []
  );
}

async function channelReports(): Promise<ChannelAccountReport[]> {
  if (!(await runningGatewayUrl())) {
    throw new OpenClawError("OC_ERR_GATEWAY_NOT_RUNNING", "no gateway is running: channels run inside it", {
      hint: "start it with `openclaw gateway start`",
    });
  }
  return ((await callGateway("/__openclaw__/channels", "GET")) as { channels: ChannelAccountReport[] })
    .channels;
}

/** `openclaw channels list | status`. */
export function registerChannelsCommands(program: Command, setExitCode: (code: number) => void): void {
  const channels = program
    .command("channels")
    .description("messaging channels (Telegram, IRC, Discord, Slack): accounts and health");
  channels
    .command("list")
    .description("the channel accounts the running gateway has")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const reports = await channelReports();
      if (options.json) printJson(reports);
      else printChannels(reports, false);
    });
  channels
    .command("status")
    .description(
      "each account's state (ready, degraded with why), inbox depth and restarts; exit 1 when one is not ready",
    )
    .option("--json", "print JSON")
    .option("--probe", "accepted for OpenClaw compatibility: the state shown is always live")
    .action(async (options: { json?: boolean }) => {
      const reports = await channelReports();
      if (options.json) printJson(reports);
      else {
        printChannels(reports, true);
        process.stdout.write("\nThread bindings (sessions_spawn thread: true):\n");
        printBindings(await threadBindings());
      }
      // A standby account is another gateway's to poll (a cluster): nothing is wrong with it here.
      if (reports.some((report) => report.state !== "ready" && report.state !== "standby")) setExitCode(1);
    });
  registerBindingsCommand(channels);
}

/** `openclaw channels bindings`: conversations bound to helper sessions. */
function registerBindingsCommand(channels: Command): void {
  channels
    .command("bindings")
    .description(
      "conversations bound to a helper agent's session (sessions_spawn thread: true) and when each expires",
    )
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const bindings = await threadBindings();
      if (options.json) printJson(bindings);
      else printBindings(bindings);
    });
}

/** `openclaw message send`. */
export function registerMessageCommands(program: Command): void {
  const message = program.command("message").description("send messages on channels as the bot");
  message
    .command("send")
    .description("send a message (Markdown) to a chat, channel or nick")
    .requiredOption("--channel <id>", "telegram, irc, discord or slack")
    .requiredOption(
      "--target <peer>",
      "a Telegram chat id, an IRC #channel or nick, a Discord or Slack channel:<id> or user:<id>",
    )
    .requiredOption("--message <text>", "the text")
    .option("--account <id>", "the channel account (default: the default one)")
    .option("--thread <id>", "a Telegram forum topic id, a Discord thread id, a Slack thread ts")
    .option("--json", "print JSON")
    .action(
      async (options: {
        channel: string;
        target: string;
        message: string;
        account?: string;
        thread?: string;
        json?: boolean;
      }) => {
        const result = (await callGateway("/__openclaw__/channels/send", "POST", {
          channel: options.channel,
          target: options.target,
          text: options.message,
          ...(options.account ? { accountId: options.account } : {}),
          ...(options.thread ? { threadId: options.thread } : {}),
        })) as { messageIds: string[]; accountId: string };
        if (options.json) printJson(result);
        else
          process.stdout.write(
            `sent ${result.messageIds.length} message(s) on ${options.channel}:${result.accountId}\n`,
          );
      },
    );
}

/** `openclaw pairing list | approve | dismiss`: through the running gateway, else the state dir. */
export function registerPairingCommands(program: Command): void {
  const pairing = program.command("pairing").description("DM pairing: approve who may message the bot");
  const globals = () => program.opts<GlobalOptions>();
  const withStore = async <T>(
    run: (store: ReturnType<typeof createFileStorage>["channelPairing"]) => Promise<T>,
  ) => {
    const storage = createFileStorage(cliPaths(globals()).stateDir);
    try {
      return await run(storage.channelPairing);
    } finally {
      await storage.close();
    }
  };
  pairing
    .command("list")
    .description("pending pairing requests (codes expire after an hour)")
    .argument("[channel]", "only this channel")
    .option("--json", "print JSON")
    .action(async (channel: string | undefined, options: { json?: boolean }) => {
      const pending = (await runningGatewayUrl())
        ? (
            (await callGateway(
              `/__openclaw__/pairing${channel ? `?channel=${encodeURIComponent(channel)}` : ""}`,
              "GET",
            )) as {
              pending: ChannelPairingRequest[];
            }
          ).pending
        : await withStore((store) => store.pending(channel));
      if (options.json) printJson(pending);
      else printPending(pending);
    });
  pairing
    .command("approve")
    .description("let the sender of a pairing code DM the bot from now on")
    .argument("<channel>", "telegram, irc, slack")
    .argument("<code>", "the 8-character code the sender got")
    .option("--account <id>", "the channel account, when several have requests")
    .option("--notify", "tell the sender on the same channel (needs the running gateway)")
    .action(async (channel: string, code: string, options: { account?: string; notify?: boolean }) => {
      let approved: ChannelPairingRequest;
      let notified = false;
      if (await runningGatewayUrl()) {
        ({ approved, notified } = (await callGateway("/__openclaw__/pairing/approve", "POST", {
          channel,
          code,
          ...(options.account ? { accountId: options.account } : {}),
          ...(options.notify ? { notify: true } : {}),
        })) as { approved: ChannelPairingRequest; notified: boolean });
      } else {
        const found = await withStore((store) => store.approve(channel, code, options.account));
        if (!found) {
          throw new OpenClawError(
            "OC_ERR_CHANNEL_UNKNOWN",
            `no pending ${channel} pairing request has code ${code}`,
            {
              hint: `codes expire after an hour; \`openclaw pairing list ${channel}\` shows the pending ones`,
            },
          );
        }
        approved = found;
        if (options.notify) process.stdout.write("not notified: no gateway is running to send it\n");
      }
      const who = approved.senderUsername
        ? `@${approved.senderUsername}`
        : (approved.senderName ?? approved.senderId);
      process.stdout.write(
        `approved ${channel} sender ${approved.senderId} (${who}) on account ${approved.accountId}${notified ? "; notified" : ""}\n`,
      );
    });
  pairing
    .command("dismiss")
    .description("remove a pending request without approving it (the sender may ask again)")
    .argument("<channel>")
    .argument("<code>")
    .option("--account <id>")
    .action(async (channel: string, code: string, options: { account?: string }) => {
      if (await runningGatewayUrl()) {
        await callGateway("/__openclaw__/pairing/dismiss", "POST", {
          channel,
          code,
          ...(options.account ? { accountId: options.account } : {}),
        });
      } else if (!(await withStore((store) => store.dismiss(channel, code, options.account)))) {
        throw new OpenClawError(
          "OC_ERR_CHANNEL_UNKNOWN",
          `no pending ${channel} pairing request has code ${code}`,
        );
      }
      process.stdout.write(`dismissed ${channel} ${code}\n`);
    });
}
