import type { InboundMessage } from "../core/channel-account.js";
import { bindingExpiry, formatDuration, formatHours } from "../thread-bindings/binding-expiry.js";
import { parentAgentOf, placeOfMessage, type ThreadBindings } from "../thread-bindings/thread-bindings.js";
import { type ChatCommand, parseChatCommand } from "./parse-chat-command.js";

/** A helper run started by sessions_spawn and not finished yet, as `/agents` lists it. */
export interface SpawnedRunView {
  agentId: string;
  sessionKey: string;
  parentSessionKey: string;
  mode: "session" | "run";
  startedAt: number;
}

export interface ChatCommandContext {
  message: InboundMessage;
  bindings: ThreadBindings;
  runs(): readonly SpawnedRunView[];
  now(): number;
}

type Handler = (command: ChatCommand, context: ChatCommandContext) => Promise<string>;

/** What `/help` and an unknown command answer with; one line per command. */
export const CHAT_COMMANDS: readonly { usage: string; summary: string }[] = [
  { usage: "/session unbind", summary: "stop routing this conversation to its helper session" },
  { usage: "/session idle [hours|off]", summary: "show or set how long the binding lasts without messages" },
  { usage: "/session max-age [hours|off]", summary: "show or set the binding's maximum age" },
  { usage: "/agents", summary: "list thread bindings and helper runs" },
  { usage: "/help", summary: "this list" },
  { usage: "/tool <name> <json>", summary: "goes to the agent (the offline dev model calls that tool)" },
];

/**
 * Slash commands that are the agent's input, not the gateway's: the dev model's documented
 * `/tool` form must reach the model from a chat as it does over HTTP.
 */
const FOR_THE_AGENT = new Set(["tool"]);

function commandList(): string {
  return CHAT_COMMANDS.map((command) => `${command.usage} — ${command.summary}`).join("\n");
}

const HANDLERS: Record<string, Handler> = {
  session: sessionCommand,
  agents: agentsCommand,
  help: async () => `Commands:\n${commandList()}`,
};

/**
 * Answers a slash command without a model turn; undefined when the text is not a command.
 * Called only for senders the access decision let through: a stranger's `/agents` never gets here.
 */
export async function answerChatCommand(
  text: string,
  context: ChatCommandContext,
): Promise<string | undefined> {
  const command = parseChatCommand(text);
  if (!command || FOR_THE_AGENT.has(command.name)) return undefined;
  const handler = HANDLERS[command.name];
  if (!handler) return `Unknown command /${command.name}. Commands:\n${commandList()}`;
  return handler(command, context);
}

async function sessionCommand(command: ChatCommand, context: ChatCommandContext): Promise<string> {
  const [sub, value] = command.args;
  const place = placeOfMessage(context.message);
  const binding = await context.bindings.get(place);
  if (sub === "unbind") {
    if (!binding) return "This conversation is not bound to a helper session.";
    await context.bindings.unbind(place);
    return `🔓 Unbound from ${binding.agentId} (session ${binding.sessionKey} is kept); messages go to ${parentAgentOf(binding)} again.`;
  }
  if (sub === "idle" || sub === "max-age") {
    if (!binding) return "This conversation is not bound to a helper session.";
    const field = sub === "idle" ? "idleHours" : "maxAgeHours";
    const label = sub === "idle" ? "Idle limit" : "Maximum age";
    if (value === undefined) {
      const expiry = bindingExpiry(binding);
      const left =
        expiry.at === Infinity
          ? "never expires"
          : `expires in ${formatDuration(expiry.at - context.now())} (${expiry.reason})`;
      return `${label}: ${formatHours(binding[field])}; the binding to ${binding.agentId} ${left}.`;
    }
    const hours = value.toLowerCase() === "off" ? 0 : Number(value);
    if (!Number.isFinite(hours) || hours < 0) {
      return `"${value}" is not a number of hours. Use /session ${sub} <hours>, e.g. /session ${sub} 2, or /session ${sub} off.`;
    }
    await context.bindings.setLimits(place, { [field]: hours });
    return `⏱️ ${label} of the binding to ${binding.agentId} set to ${formatHours(hours)}.`;
  }
  return `Usage:\n${commandList()}`;
}

async function agentsCommand(_command: ChatCommand, context: ChatCommandContext): Promise<string> {
  const { message } = context;
  const here = await context.bindings.get(placeOfMessage(message));
  const availability = context.bindings.availability(message.channel, message.accountId);
  const state = here
    ? `binding:${here.agentId}`
    : availability === "available"
      ? "unbound"
      : "bindings unavailable";
  const lines = [`This conversation: ${state}`];
  const bindings = await context.bindings.list();
  lines.push(bindings.length > 0 ? "Bindings:" : "Bindings: none");
  for (const binding of bindings) {
    const expiry = bindingExpiry(binding);
    const where = `${binding.channel} ${binding.peer.kind}:${binding.peer.id}${binding.threadId !== undefined ? ` thread ${binding.threadId}` : ""}`;
    const ends =
      expiry.at === Infinity ? "no expiry" : `ends in ${formatDuration(expiry.at - context.now())}`;
    lines.push(`- ${where} → ${binding.agentId} (${binding.sessionKey}, ${binding.mode}, ${ends})`);
  }
  const runs = context.runs();
  lines.push(runs.length > 0 ? "Runs:" : "Runs: none");
  for (const run of runs) {
    lines.push(
      `- ${run.agentId} (${run.sessionKey}) running for ${formatDuration(context.now() - run.startedAt)}`,
    );
  }
  return lines.join("\n");
}
