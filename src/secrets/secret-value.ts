/**
 * Real credentials (API keys, tokens, even PEM private keys) are a few KiB at most; a larger
 * file or output is a misconfiguration (the wrong file, a command printing a whole document).
 */
export const MAX_SECRET_BYTES = 64 * 1024;

/**
 * Removes exactly one trailing "\n" or "\r\n": what `echo` and editors add. Anything else is kept,
 * because trailing spaces can be part of a password.
 */
export function trimTrailingNewline(text: string): string {
  if (text.endsWith("\r\n")) return text.slice(0, -2);
  if (text.endsWith("\n")) return text.slice(0, -1);
  return text;
}
