import type { FakeSlackState } from "./fake-slack-state.js";

export type Fields = Record<string, string>;

/** A method's answer: Slack's JSON (ok true or false) with HTTP 200, as the Web API answers. */
export type MethodAnswer = Record<string, unknown>;

/** Which token a method takes: the bot's, or the app-level token (apps.connections.open). */
export const APP_TOKEN_METHODS = new Set(["apps.connections.open"]);

/**
 * The Web API methods the Slack channel uses, with Slack's response shapes and errors. Each
 * takes the decoded form fields and returns the JSON body.
 */
export function webApiMethods(
  state: FakeSlackState,
  socketUrl: () => string,
): Record<string, (fields: Fields) => MethodAnswer> {
  const post = (method: "chat.postMessage" | "chat.update", channel: string, ts: string, fields: Fields) => {
    state.posted.push({
      method,
      channel,
      ts,
      threadTs: fields.thread_ts,
      text: fields.text ?? "",
      fields: { ...fields },
      at: Date.now(),
    });
    state.changed();
  };
  return {
    "auth.test": () => ({
      ok: true,
      url: "https://fake-workspace.slack.com/",
      team: "Fake Workspace",
      user: state.bot.name,
      team_id: state.bot.teamId,
      user_id: state.bot.userId,
      bot_id: state.bot.botId,
      is_enterprise_install: false,
    }),
    "apps.connections.open": () => ({ ok: true, url: socketUrl() }),
    "conversations.open": (fields) => {
      const users = fields.users?.split(",").filter(Boolean) ?? [];
      if (users.length !== 1)
        return { ok: false, error: users.length === 0 ? "users_list_not_supplied" : "not_supported" };
      return { ok: true, channel: { id: state.imFor(users[0]!) } };
    },
    "chat.postMessage": (fields) => {
      const channel = fields.channel;
      if (!channel) return { ok: false, error: "channel_not_found" };
      if (!fields.text && !fields.blocks) return { ok: false, error: "no_text" };
      if ((fields.text ?? "").length > 40_000) return { ok: false, error: "msg_too_long" };
      // Posting to a user id lands in the app's DM with them, as Slack does.
      const target = /^[UW]/.test(channel) ? state.imFor(channel) : channel;
      const ts = state.nextTs();
      post("chat.postMessage", target, ts, fields);
      return {
        ok: true,
        channel: target,
        ts,
        message: {
          type: "message",
          text: fields.text,
          user: state.bot.userId,
          bot_id: state.bot.botId,
          ts,
          ...(fields.thread_ts ? { thread_ts: fields.thread_ts } : {}),
        },
      };
    },
    "chat.update": (fields) => {
      const { channel, ts } = fields;
      if (!channel || !ts) return { ok: false, error: "message_not_found" };
      const original = state.posted.find((entry) => entry.channel === channel && entry.ts === ts);
      if (!original) return { ok: false, error: "message_not_found" };
      post("chat.update", channel, ts, {
        ...fields,
        ...(original.threadTs ? { thread_ts: original.threadTs } : {}),
      });
      return { ok: true, channel, ts, text: fields.text };
    },
  };
}
