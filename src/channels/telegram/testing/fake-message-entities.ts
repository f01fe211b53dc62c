import type { Message } from "grammy/types";

/** `mention` entities for each `@name` and a `bot_command` for a leading `/command`, as Telegram adds them. */
export function mentionEntitiesOf(text: string): NonNullable<Message["entities"]> {
  const entities: NonNullable<Message["entities"]> = [];
  const command = /^\/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?/.exec(text);
  if (command) entities.push({ type: "bot_command", offset: 0, length: command[0].length });
  for (const match of text.matchAll(/(?<![\w@/])@[A-Za-z0-9_]{3,32}/g)) {
    entities.push({ type: "mention", offset: match.index, length: match[0].length });
  }
  return entities;
}
