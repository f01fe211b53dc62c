import { BotApiRefusal, badRequest, type FakeBotState } from "./fake-bot-state.js";
import { checkTelegramHtml } from "./telegram-html-checker.js";

/** A method's parameters as decoded from JSON, a form or the query string. */
export type Parameters = Record<string, unknown>;

/** What a method answers: `result`, and the `description` some successes carry ("Webhook was set"). */
export interface MethodAnswer {
  result: unknown;
  description?: string;
}

export type MethodHandler = (state: FakeBotState, parameters: Parameters) => MethodAnswer;

const MESSAGE_LIMIT = 4096;
const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

/** The methods besides `getUpdates`, whose long poll the server handles itself. Keys are lower case: Telegram ignores a method name's case. */
export const METHOD_HANDLERS: Record<string, MethodHandler> = {
  getme: (state) => ({ result: state.bot }),
  sendmessage: sendMessage,
  editmessagetext: editMessageText,
  sendchataction: (state, parameters) => {
    const chatId = chatIdOf(parameters);
    const action = String(parameters.action ?? "");
    if (!CHAT_ACTIONS.has(action)) throw badRequest("wrong parameter action in request");
    const threadId = optionalInteger(parameters, "message_thread_id");
    state.chatActions.push({
      chatId,
      action,
      ...(threadId !== undefined ? { threadId } : {}),
      at: Date.now(),
    });
    state.changed();
    return { result: true };
  },
  setwebhook: (state, parameters) => {
    const url = String(parameters.url ?? "");
    if (url === "") return deleteWebhook(state, parameters);
    // Telegram wants HTTPS; the fake takes http too, since tests run without TLS.
    if (!/^https?:\/\/[^/\s]+/.test(url)) throw badRequest("bad webhook: invalid webhook URL specified");
    const secretToken = parameters.secret_token === undefined ? undefined : String(parameters.secret_token);
    if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
      throw badRequest("bad webhook: secret token contains unallowed characters");
    }
    const allowedUpdates = optionalStringList(parameters, "allowed_updates");
    if (parameters.drop_pending_updates === true || parameters.drop_pending_updates === "true") {
      state.removeUpdates(() => true);
    }
    state.webhook = { url, secretToken, allowedUpdates: allowedUpdates ?? state.allowedUpdates };
    if (allowedUpdates) state.allowedUpdates = allowedUpdates;
    state.lastWebhookError = undefined;
    state.changed();
    return { result: true, description: "Webhook was set" };
  },
  deletewebhook: deleteWebhook,
  getwebhookinfo: (state) => ({
    result: {
      url: state.webhook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: state.updates.length,
      ...(state.webhook ? { max_connections: 40 } : {}),
      ...(state.webhook?.allowedUpdates ? { allowed_updates: state.webhook.allowedUpdates } : {}),
      ...(state.lastWebhookError
        ? { last_error_date: state.lastWebhookError.date, last_error_message: state.lastWebhookError.message }
        : {}),
    },
  }),
};

function deleteWebhook(state: FakeBotState, parameters: Parameters): MethodAnswer {
  const had = state.webhook !== undefined;
  state.webhook = undefined;
  if (parameters.drop_pending_updates === true || parameters.drop_pending_updates === "true") {
    state.removeUpdates(() => true);
  }
  state.changed();
  return { result: true, description: had ? "Webhook was deleted" : "Webhook is already deleted" };
}

function sendMessage(state: FakeBotState, parameters: Parameters): MethodAnswer {
  const chatId = chatIdOf(parameters);
  const sentText = String(parameters.text ?? "");
  const parseMode = parameters.parse_mode === undefined ? undefined : String(parameters.parse_mode);
  const shownText = shownTextOf(sentText, parseMode);
  const threadId = optionalInteger(parameters, "message_thread_id");
  if (threadId === 1) throw badRequest("message thread not found");
  const replyTo = replyParametersOf(parameters);
  if (replyTo && !state.message(chatId, replyTo.messageId) && !replyTo.allowWithoutReply) {
    throw badRequest("message to be replied not found");
  }
  const messageId = state.nextMessageId(chatId);
  state.rememberMessage(chatId, messageId, { fromBot: true, shownText, sentText });
  state.sent.push({
    method: "sendMessage",
    chatId,
    text: sentText,
    ...(parseMode !== undefined ? { parseMode } : {}),
    messageId,
    ...(threadId !== undefined ? { threadId } : {}),
    ...(replyTo ? { replyToMessageId: replyTo.messageId } : {}),
    at: Date.now(),
  });
  state.changed();
  return {
    result: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: state.chat(chatId),
      from: state.bot,
      text: shownText,
      ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true } : {}),
    },
  };
}

function editMessageText(state: FakeBotState, parameters: Parameters): MethodAnswer {
  if (parameters.inline_message_id !== undefined)
    throw badRequest("inline messages are not supported by the fake");
  const chatId = chatIdOf(parameters);
  const messageId = optionalInteger(parameters, "message_id");
  if (messageId === undefined) throw badRequest("message identifier is not specified");
  const sentText = String(parameters.text ?? "");
  const parseMode = parameters.parse_mode === undefined ? undefined : String(parameters.parse_mode);
  const shownText = shownTextOf(sentText, parseMode);
  const current = state.message(chatId, messageId);
  if (!current) throw badRequest("message to edit not found");
  if (!current.fromBot) throw badRequest("message can't be edited");
  if (current.shownText === shownText && current.sentText === sentText) {
    throw badRequest(
      "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
    );
  }
  state.rememberMessage(chatId, messageId, { fromBot: true, shownText, sentText });
  state.sent.push({
    method: "editMessageText",
    chatId,
    text: sentText,
    ...(parseMode !== undefined ? { parseMode } : {}),
    messageId,
    at: Date.now(),
  });
  state.changed();
  const now = Math.floor(Date.now() / 1000);
  return {
    result: {
      message_id: messageId,
      date: now,
      edit_date: now,
      chat: state.chat(chatId),
      from: state.bot,
      text: shownText,
    },
  };
}

/** The text as Telegram shows it, after its entity parser; refuses what that parser would. */
function shownTextOf(text: string, parseMode: string | undefined): string {
  let shown = text;
  if (parseMode?.toLowerCase() === "html") {
    const check = checkTelegramHtml(text);
    if (!check.ok) throw badRequest(check.error);
    shown = check.text;
  } else if (parseMode !== undefined && !/^(markdown|markdownv2)$/i.test(parseMode)) {
    throw badRequest(`unsupported parse_mode`);
  }
  if (shown.trim().length === 0) throw badRequest("message text is empty");
  // Telegram's limit is on the text shown, in UTF-16 code units, entities parsed out.
  if (shown.length > MESSAGE_LIMIT) throw badRequest("message is too long");
  return shown;
}

function chatIdOf(parameters: Parameters): string {
  const value = parameters.chat_id;
  if (value === undefined || value === "") throw badRequest("chat_id is empty");
  const text = String(value);
  if (!/^-?\d+$/.test(text)) throw badRequest("chat not found");
  return text;
}

function optionalInteger(parameters: Parameters, name: string): number | undefined {
  const value = parameters[name];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number)) throw badRequest(`wrong parameter ${name} specified`);
  return number;
}

function optionalStringList(parameters: Parameters, name: string): string[] | undefined {
  const value = parameters[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    throw new BotApiRefusal({ error_code: 400, description: `Bad Request: can't parse ${name} JSON array` });
  return value.map(String);
}

function replyParametersOf(
  parameters: Parameters,
): { messageId: number; allowWithoutReply: boolean } | undefined {
  const value = parameters.reply_parameters;
  if (value !== undefined) {
    if (typeof value !== "object" || value === null)
      throw badRequest("can't parse reply parameters JSON object");
    const { message_id: messageId, allow_sending_without_reply: allow } = value as Record<string, unknown>;
    if (!Number.isInteger(messageId)) throw badRequest("message to be replied not found");
    return { messageId: messageId as number, allowWithoutReply: allow === true };
  }
  const legacy = optionalInteger(parameters, "reply_to_message_id");
  return legacy === undefined ? undefined : { messageId: legacy, allowWithoutReply: false };
}
