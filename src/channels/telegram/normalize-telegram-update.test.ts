import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { normalizeTelegramUpdate } from "./normalize-telegram-update.js";

const bot = { id: 777, username: "Claw_Bot" };
const context = { accountId: "default", bot };
const group = { id: -100500, type: "supergroup", title: "Team" };
const alice = { id: 42, is_bot: false, first_name: "Alice" };

const normalize = (update: object) => normalizeTelegramUpdate(update as Update, context);
const groupMessage = (fields: object) => ({
  update_id: 1,
  message: { message_id: 10, date: 1_700_000_000, chat: group, from: alice, ...fields },
});

describe("normalizeTelegramUpdate", () => {
  it("ignores edits and other update kinds", () => {
    expect(
      normalize({ update_id: 1, edited_message: { message_id: 1, date: 1, chat: group, text: "x" } }),
    ).toBeUndefined();
    expect(normalize({ update_id: 2, callback_query: { id: "q" } })).toBeUndefined();
  });

  it("detects mentions by entity (any case), text_mention, command and reply to the bot", () => {
    const mention = (text: string, offset: number, length: number) =>
      normalize(groupMessage({ text, entities: [{ type: "mention", offset, length }] }))!.mentioned;
    expect(mention("hi @claw_bot", 3, 9)).toBe(true);
    expect(mention("hi @CLAW_BOT!", 3, 9)).toBe(true);
    expect(mention("hi @claw_bot2", 3, 10)).toBe(false);
    // Offsets count UTF-16 units: the emoji before the mention takes two.
    expect(mention("😀 @claw_bot", 3, 9)).toBe(true);
    expect(
      normalize(
        groupMessage({
          text: "Claw",
          entities: [{ type: "text_mention", offset: 0, length: 4, user: { id: 777 } }],
        }),
      )!.mentioned,
    ).toBe(true);
    expect(
      normalize(
        groupMessage({ text: "/help@claw_bot", entities: [{ type: "bot_command", offset: 0, length: 14 }] }),
      )!.mentioned,
    ).toBe(true);
    expect(
      normalize(groupMessage({ text: "ok", reply_to_message: { message_id: 3, from: { id: 777 } } }))!
        .mentioned,
    ).toBe(true);
    expect(
      normalize(groupMessage({ text: "ok", reply_to_message: { message_id: 3, from: { id: 9 } } }))!
        .mentioned,
    ).toBe(false);
    expect(normalize(groupMessage({ text: "@claw_bot without entities" }))!.mentioned).toBe(false);
  });

  it("does not count the implicit reply to a topic's first message as a mention", () => {
    const inTopic = normalize(
      groupMessage({
        text: "hello topic",
        message_thread_id: 3,
        is_topic_message: true,
        reply_to_message: { message_id: 3, from: { id: 777 } },
      }),
    )!;
    expect(inTopic).toMatchObject({ threadId: "3", mentioned: false });
  });

  it("takes a channel post's sender from the channel, and a caption as text", () => {
    const post = normalize({
      update_id: 5,
      channel_post: {
        message_id: 8,
        date: 1_700_000_001,
        chat: { id: -100900, type: "channel", title: "News", username: "news" },
        caption: "look",
        photo: [
          { file_id: "small", file_unique_id: "s", width: 90, height: 60, file_size: 1000 },
          { file_id: "large", file_unique_id: "l", width: 1280, height: 853, file_size: 90_000 },
          { file_id: "medium", file_unique_id: "m", width: 320, height: 213, file_size: 9000 },
        ],
      },
    })!;
    expect(post).toMatchObject({
      messageId: "-100900:8",
      peer: { kind: "channel", id: "-100900" },
      sender: { id: "-100900", name: "News", username: "news" },
      text: "look",
      sentAt: 1_700_000_001_000,
      attachments: [{ kind: "photo", sizeBytes: 90_000, platformId: "large" }],
    });
  });

  it("describes documents, audio, voice, video and stickers without downloading them", () => {
    const message = normalize(
      groupMessage({
        chat: { id: 42, type: "private", first_name: "Alice" },
        document: {
          file_id: "d",
          file_unique_id: "d",
          file_name: "report.pdf",
          mime_type: "application/pdf",
          file_size: 5,
        },
        audio: { file_id: "a", file_unique_id: "a", duration: 1, mime_type: "audio/mpeg", file_size: 6 },
        voice: { file_id: "v", file_unique_id: "v", duration: 1, mime_type: "audio/ogg", file_size: 7 },
        video: { file_id: "m", file_unique_id: "m", width: 1, height: 1, duration: 1, file_name: "clip.mp4" },
        sticker: {
          file_id: "s",
          file_unique_id: "s",
          type: "regular",
          width: 1,
          height: 1,
          is_animated: false,
          is_video: true,
        },
      }),
    )!;
    expect(message.peer.kind).toBe("direct");
    expect(message.mentioned).toBe(true);
    expect(message.text).toBe("");
    expect(message.attachments).toEqual([
      { kind: "document", name: "report.pdf", mimeType: "application/pdf", sizeBytes: 5, platformId: "d" },
      { kind: "audio", mimeType: "audio/mpeg", sizeBytes: 6, platformId: "a" },
      { kind: "voice", mimeType: "audio/ogg", sizeBytes: 7, platformId: "v" },
      { kind: "video", name: "clip.mp4", platformId: "m" },
      { kind: "sticker", mimeType: "video/webm", platformId: "s" },
    ]);
  });
});
