/**
 * IRC compares nicks and channel names case-insensitively, under the casemapping the server
 * announces (`CASEMAPPING` in RPL_ISUPPORT). `rfc1459`, the historical default, also folds
 * `[]\~` onto `{}|^` (Scandinavian letters in the 7-bit charset it grew up with). Only ASCII
 * is folded, so a folded string keeps the length of the original and offsets carry over.
 */
export type IrcCasemapping = "ascii" | "rfc1459" | "strict-rfc1459";

const RFC1459_EXTRA: Readonly<Record<string, string>> = { "[": "{", "]": "}", "\\": "|", "~": "^" };
const STRICT_RFC1459_EXTRA: Readonly<Record<string, string>> = { "[": "{", "]": "}", "\\": "|" };

export function parseCasemapping(value: unknown): IrcCasemapping {
  if (value === "ascii" || value === "strict-rfc1459") return value;
  return "rfc1459";
}

export function ircFoldCase(text: string, casemapping: IrcCasemapping): string {
  const extra =
    casemapping === "ascii" ? undefined : casemapping === "rfc1459" ? RFC1459_EXTRA : STRICT_RFC1459_EXTRA;
  let folded = "";
  for (const character of text) {
    if (character >= "A" && character <= "Z") folded += character.toLowerCase();
    else folded += extra?.[character] ?? character;
  }
  return folded;
}
