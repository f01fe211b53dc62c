import type { APIMessage } from "@discordjs/core";
import { checkContent, type RestAnswer, type RestRequest } from "./fake-discord-rest.js";
import { DiscordRefusal, type FakeDiscordState, type FakeDispatch } from "./fake-discord-state.js";

/** What the routes need of the gateway side: where it listens, and how to dispatch an event. */
export interface RouteContext {
  state: FakeDiscordState;
  gatewayUrl(): string;
  dispatch(event: FakeDispatch): void;
}

/**
 * The REST routes the bot uses, with Discord's JSON shapes and error codes. Undefined: no such
 * route (404 like Discord's `{ message: "404: Not Found", code: 0 }`).
 */
export function answerRoute(request: RestRequest, context: RouteContext): RestAnswer | undefined {
  const { state } = context;
  const { method, parts, body } = request;
  const [root, id, sub, subId, subSub] = parts;
  if (method === "GET" && root === "gateway" && id === "bot" && parts.length === 2) {
    return {
      status: 200,
      body: {
        url: context.gatewayUrl(),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      },
    };
  }
  if (root === "users" && id === "@me") {
    if (method === "GET" && parts.length === 2)
      return { status: 200, body: { ...state.userPayload(state.bot), bot: true, verified: true, flags: 0 } };
    if (method === "POST" && sub === "channels" && parts.length === 3)
      return { status: 200, body: state.dmChannel(String(body.recipient_id ?? "")) };
    return undefined;
  }
  if (root !== "channels" || id === undefined) return undefined;
  if (method === "GET" && parts.length === 2) return { status: 200, body: state.channel(id) };
  if (sub === "typing" && method === "POST" && parts.length === 3) {
    state.channel(id);
    state.typing.push({ channelId: id, at: Date.now() });
    state.changed();
    return { status: 204 };
  }
  if (sub === "threads" && method === "POST" && parts.length === 3) {
    const thread = state.createThread(id, String(body.name ?? ""), "bot");
    context.dispatch({ t: "THREAD_CREATE", d: { ...thread, newly_created: true } });
    state.changed();
    return { status: 201, body: thread };
  }
  if (sub !== "messages") return undefined;
  if (method === "POST" && parts.length === 3) return createMessage(id, body, context);
  if (subId === undefined) return undefined;
  if (method === "PATCH" && parts.length === 4) return editMessage(id, subId, body, state);
  if (method === "POST" && subSub === "threads" && parts.length === 5) {
    const from = state.messages.get(subId);
    if (!from || from.channel_id !== id)
      throw new DiscordRefusal(404, { code: 10008, message: "Unknown Message" });
    const thread = state.createThread(id, String(body.name ?? ""), "bot", subId);
    context.dispatch({ t: "THREAD_CREATE", d: { ...thread, newly_created: true } });
    state.changed();
    return { status: 201, body: thread };
  }
  return undefined;
}

function createMessage(channelId: string, body: Record<string, unknown>, context: RouteContext): RestAnswer {
  const { state } = context;
  const channel = state.channel(channelId);
  const content = checkContent(body);
  const reference = body.message_reference as
    | { message_id?: string; fail_if_not_exists?: boolean }
    | undefined;
  let replyTo: string | undefined;
  if (reference?.message_id !== undefined) {
    const referenced = state.messages.get(reference.message_id);
    if (referenced && referenced.channel_id === channelId) replyTo = referenced.id;
    else if (reference.fail_if_not_exists !== false)
      throw new DiscordRefusal(400, {
        code: 50035,
        message: "Invalid Form Body",
        errors: {
          message_reference: {
            _errors: [{ code: "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", message: "Unknown message" }],
          },
        },
      });
  }
  const message = state.message({
    channelId,
    author: state.bot,
    content,
    ...(replyTo !== undefined ? { replyTo } : {}),
  }) as APIMessage & { guild_id?: string };
  if (typeof body.flags === "number") (message as { flags: number }).flags = body.flags;
  state.sent.push({
    method: "create",
    channelId,
    messageId: message.id,
    content,
    ...(replyTo !== undefined ? { replyTo } : {}),
    ...(typeof body.flags === "number" ? { flags: body.flags } : {}),
    ...(body.allowed_mentions !== undefined ? { allowedMentions: body.allowed_mentions } : {}),
    at: Date.now(),
  });
  // The bot sees its own message come back on the gateway, as on Discord.
  context.dispatch({
    t: "MESSAGE_CREATE",
    d: {
      ...message,
      channel_type: channel.type,
      ...(channel.guild_id ? { guild_id: channel.guild_id } : {}),
    },
  });
  state.changed();
  return { status: 200, body: message };
}

function editMessage(
  channelId: string,
  messageId: string,
  body: Record<string, unknown>,
  state: FakeDiscordState,
): RestAnswer {
  state.channel(channelId);
  const message = state.messages.get(messageId);
  if (!message || message.channel_id !== channelId)
    throw new DiscordRefusal(404, { code: 10008, message: "Unknown Message" });
  if (message.author.id !== state.bot.id)
    throw new DiscordRefusal(403, { code: 50005, message: "Cannot edit a message authored by another user" });
  const content = checkContent(body);
  message.content = content;
  message.edited_timestamp = new Date().toISOString();
  state.sent.push({ method: "edit", channelId, messageId, content, at: Date.now() });
  state.changed();
  return { status: 200, body: message };
}
