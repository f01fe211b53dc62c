/** A chat message that is a slash command: `/session idle 2`, `/agents@claw_bot`. */
export interface ChatCommand {
  /** Lower-cased, without the slash or a `@bot` suffix. */
  name: string;
  /** The words after it. */
  args: string[];
}

// `/name`, optionally `@botname` (Telegram appends it in groups), then arguments.
const COMMAND = /^\/([A-Za-z][A-Za-z0-9_-]*)(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/;

/** The command a message is, or undefined for ordinary text (which goes to the agent). */
export function parseChatCommand(text: string): ChatCommand | undefined {
  const match = COMMAND.exec(text.trim());
  if (!match) return undefined;
  const rest = match[2]?.trim() ?? "";
  return { name: (match[1] as string).toLowerCase(), args: rest === "" ? [] : rest.split(/\s+/) };
}
