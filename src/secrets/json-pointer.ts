import { secretUnavailable } from "./secret-errors.js";

/** RFC 6901: `/a/b~1c` is ["a", "b/c"]; `~0` is `~`. Only absolute pointers ("" is the whole document). */
export function pointerSegments(pointer: string): string[] | undefined {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) return undefined;
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/**
 * The string at `pointer` in a JSON secrets file (OpenClaw's file provider, `mode: "json"`).
 * Errors name the file and the pointer, never the file's contents: a parse error message can
 * quote the text around the failure, which is secret material, so it is not passed on.
 */
export function selectJsonSecret(name: string, path: string, text: string, pointer: string): string {
  const details = { source: "file", path, pointer };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw secretUnavailable(
      name,
      `file ${path} is not valid JSON`,
      `write a JSON object there (the secret is read at ${pointer}), or read the whole file as the secret (mode "singleValue")`,
      details,
    );
  }
  let current: unknown = document;
  for (const segment of pointerSegments(pointer) ?? []) {
    const found =
      typeof current === "object" && current !== null && Object.hasOwn(current, segment)
        ? (current as Record<string, unknown>)[segment]
        : undefined;
    if (found === undefined) {
      throw secretUnavailable(
        name,
        `file ${path} has nothing at ${pointer}`,
        `add the value at ${pointer} (a string), or point the reference's id at where it is`,
        details,
      );
    }
    current = found;
  }
  if (typeof current !== "string" || current === "") {
    throw secretUnavailable(
      name,
      `file ${path} has no non-empty string at ${pointer}`,
      `make the value at ${pointer} a string holding the secret`,
      details,
    );
  }
  return current;
}
