import { type IrcCasemapping, ircFoldCase } from "./irc-casemapping.js";

export interface IrcMention {
  mentioned: boolean;
  /** The text without a leading address (`bot: hi` → `hi`). */
  text: string;
}

/** Characters a nick may hold (RFC 2812 letters, digits, specials, `-`): what a "whole word" is bounded by. */
const NICK_CHARACTER = "[A-Za-z0-9\\[\\]\\\\`^{}|_-]";

/**
 * Whether a channel line addresses `nick`: IRC users address someone by starting with
 * `nick:`, `nick,` or `@nick`, or name them anywhere in the line. Compared under the server's
 * casemapping, so `Bot`, `bot` and, under rfc1459, `b[t`/`b{t` are the same nick.
 */
export function detectIrcMention(text: string, nick: string, casemapping: IrcCasemapping): IrcMention {
  const foldedText = ircFoldCase(text, casemapping);
  const foldedNick = escapeRegExp(ircFoldCase(nick, casemapping));
  const address = new RegExp(`^\\s*(?:@${foldedNick}(?![^:,\\s])[:,]?|${foldedNick}[:,])\\s*`).exec(
    foldedText,
  );
  if (address) return { mentioned: true, text: text.slice(address[0].length) };
  const word = new RegExp(`(?<!${NICK_CHARACTER})@?${foldedNick}(?!${NICK_CHARACTER})`);
  return { mentioned: word.test(foldedText), text };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
}
