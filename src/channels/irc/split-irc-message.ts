import { chunkText, utf8Length } from "../core/chunk-text.js";

/** RFC 1459: a line is at most 512 bytes, CR LF included. */
export const IRC_LINE_BYTES = 512;
/** Hostnames servers show are capped at 63 bytes (a DNS label; HOSTLEN on most servers). */
const ASSUMED_HOST_BYTES = 63;
/** USERLEN on most servers; a server may show this much of a username whatever we sent. */
const ASSUMED_USER_BYTES = 10;
/** The smallest budget that still fits any character (4 bytes in UTF-8) whole. */
const MINIMUM_PIECE_BYTES = 4;

/**
 * Control characters are removed: CR, LF and NUL would end or corrupt the IRC line (a reply
 * could otherwise inject commands), \x01 would turn the text into a CTCP request, and the other
 * C0 codes are IRC formatting (bold, colour, reverse) that a model's text never means.
 * Tab stays: servers relay it and code uses it. A lone UTF-16 surrogate has no UTF-8 form and
 * becomes U+FFFD rather than a byte sequence no client can decode.
 */
export function stripIrcControlCharacters(text: string): string {
  return text.replace(/[\x00-\x08\x0a-\x1f\x7f]/g, "").toWellFormed();
}

/**
 * Splits text into PRIVMSG texts of at most `maxBytes` UTF-8 bytes each: one or more per line
 * (an IRC message cannot hold a line break), cut at word boundaries when possible and never
 * inside a character. Blank lines are dropped: IRC cannot send an empty message.
 */
export function splitIrcMessage(text: string, maxBytes: number): string[] {
  if (!Number.isInteger(maxBytes) || maxBytes < MINIMUM_PIECE_BYTES) {
    throw new RangeError(`an IRC message piece needs at least ${MINIMUM_PIECE_BYTES} bytes, got ${maxBytes}`);
  }
  const pieces: string[] = [];
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = stripIrcControlCharacters(rawLine).trimEnd();
    if (line.trim() === "") continue;
    // A line that fits keeps its indentation (code); chunkText trims where it cuts.
    if (utf8Length(line) <= maxBytes) pieces.push(line);
    else pieces.push(...chunkText(line, maxBytes, utf8Length));
  }
  return pieces;
}

/**
 * How many bytes of text fit in one PRIVMSG once the server relays it to others as
 * `:<nick>!<user>@<host> PRIVMSG <target> :<text>\r\n`. The server decides the user and host
 * shown, so both are budgeted at their longest: a `~` prefix (no ident), the longest of the
 * username, USERLEN and the nick (servers that cloak users show the nick as the user), and a
 * 63-byte host.
 */
export function ircTextBudget(nick: string, username: string, target: string): number {
  const user = 1 + Math.max(utf8Length(username), utf8Length(nick), ASSUMED_USER_BYTES);
  const prefix = 1 + utf8Length(nick) + 1 + user + 1 + ASSUMED_HOST_BYTES;
  const overhead = prefix + " PRIVMSG ".length + utf8Length(target) + " :".length + "\r\n".length;
  return Math.max(MINIMUM_PIECE_BYTES, IRC_LINE_BYTES - overhead);
}
