// Example plugin: `summarize_file` gives an agent a cheap overview of a text file of its workspace
// (size, markdown headings, first lines, most frequent words) without pasting the whole file into
// the model's context. Plain ES module, no dependencies: copy it and list it in an agent's `plugins`.
//
// It reads through `context.files`, which resolves paths against the agent's workspace with the
// built-in file tools' rules (no `..` or symlink out, nothing hidden from the agent). A plugin runs
// with the gateway user's rights, so opening the model's path itself would let the model read any
// file that user can: the gateway's token, its config, a key file.

// Larger files are rarely prose worth summarising and would be read whole into memory.
const MAX_BYTES = 5 * 1024 * 1024;
const MAX_HEADINGS = 20;
const MAX_FIRST_LINES = 200;
const TOP_WORDS = 10;

export default {
  name: "summarize_file",
  description:
    "Summarises a UTF-8 text file of the workspace: size in bytes, line and word counts, markdown " +
    "headings, the first lines and the most frequent words. Paths are relative to the workspace " +
    "root. Refuses directories, files outside the workspace and files over 5 MB.",
  parameters: {
    type: "object",
    properties: {
      path: { type: "string", description: "Path of the text file, relative to the workspace root." },
      maxLines: {
        type: "integer",
        minimum: 0,
        maximum: MAX_FIRST_LINES,
        default: 10,
        description: "How many first lines to return.",
      },
    },
    required: ["path"],
    additionalProperties: false,
  },
  async execute(input, context) {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      throw new Error("summarize_file expects a JSON object as input");
    }
    const { path, maxLines = 10 } = input;
    if (typeof path !== "string" || path === "") {
      throw new Error("summarize_file needs a non-empty string field `path`");
    }
    // A NUL byte would be rejected by the OS anyway; refuse it with a clear message instead.
    if (path.includes("\0")) throw new Error("summarize_file: `path` must not contain NUL characters");
    if (!Number.isInteger(maxLines) || maxLines < 0 || maxLines > MAX_FIRST_LINES) {
      throw new Error(`summarize_file: \`maxLines\` must be an integer from 0 to ${MAX_FIRST_LINES}`);
    }
    if (!context?.files) throw new Error("summarize_file needs an agent with a workspace");
    const text = await context.files.readText(path, { maxBytes: MAX_BYTES });
    const lines = text === "" ? [] : text.split(/\r?\n/);
    if (lines.at(-1) === "") lines.pop();
    return {
      path,
      bytes: Buffer.byteLength(text, "utf8"),
      lines: lines.length,
      words: text.split(/\s+/).filter(Boolean).length,
      headings: lines.filter((line) => /^#{1,6}\s/.test(line)).slice(0, MAX_HEADINGS),
      firstLines: lines.slice(0, maxLines),
      topWords: topWords(text),
    };
  },
};

function topWords(text) {
  const counts = new Map();
  for (const match of text.toLowerCase().matchAll(/\p{L}{4,}/gu)) {
    counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, TOP_WORDS)
    .map(([word, count]) => ({ word, count }));
}
