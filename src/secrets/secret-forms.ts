/** Lines shorter than this (after trimming) would mask ordinary text: `{`, `},`, a blank line. */
export const MIN_SECRET_LINE_LENGTH = 8;

/** How a string is written inside a JSON string literal (quotes, backslashes, newlines escaped). */
export function jsonEscaped(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** A lone surrogate (binary output of an exec source) has no URL encoding: encodeURIComponent throws. */
function urlEncodedOrUndefined(value: string): string | undefined {
  try {
    return encodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * Every spelling of a secret that output may carry: the value itself, base64 (Basic auth headers,
 * encoded configs), URL-encoded, and JSON-escaped (a PEM key or a service-account file inside a
 * JSON answer or log line, where `"`, `\` and newlines are escaped). A multi-line secret also
 * gives each of its lines, raw and JSON-escaped: a tool that prints a key file line by line, or a
 * model that quotes a few lines of it, leaks the key without ever writing it whole.
 */
export function secretForms(value: string): string[] {
  const forms = new Set([value, Buffer.from(value).toString("base64"), jsonEscaped(value)]);
  const urlEncoded = urlEncodedOrUndefined(value);
  if (urlEncoded !== undefined) forms.add(urlEncoded);
  const lines = value.split(/\r\n|\n|\r/);
  if (lines.length > 1) {
    for (const line of lines) {
      const trimmed = line.trim();
      if (trimmed.length < MIN_SECRET_LINE_LENGTH) continue;
      forms.add(trimmed);
      forms.add(jsonEscaped(trimmed));
    }
  }
  return [...forms];
}
