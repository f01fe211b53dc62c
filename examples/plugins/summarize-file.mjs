// Example plugin: `summarize_file` gives an agent a cheap overview of a local text file (size,
// markdown headings, first lines, most frequent words) without pasting the whole file into the
// model's context. Plain ES module, no dependencies: copy it and list it in an agent's `plugins`.
import { open } from "node:fs/promises";
import { resolve } from "node:path";

// Larger files are rarely prose worth summarising and would be read whole into memory.
const MAX_BYTES = 5 * 1024 * 1024;
const MAX_HEADINGS = 20;
const MAX_FIRST_LINES = 200;
const TOP_WORDS = 10;

export default {
  name: "summarize_file",
  description:
    "Summarises a local UTF-8 text file: size in bytes, line and word counts, markdown headings, " +
    "the first lines and the most frequent words. Relative paths resolve against the gateway's " +
    "working directory. Refuses directories and files over 5 MB.",
  parameters: {
    type: "object",
    properties: {
      path: { type: "string", description: "Path of the text file." },
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
  async execute(input) {
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
    const absolute = resolve(process.cwd(), path);
    const text = await readSmallTextFile(absolute);
    const lines = text === "" ? [] : text.split(/\r?\n/);
    if (lines.at(-1) === "") lines.pop();
    return {
      path: absolute,
      bytes: Buffer.byteLength(text, "utf8"),
      lines: lines.length,
      words: text.split(/\s+/).filter(Boolean).length,
      headings: lines.filter((line) => /^#{1,6}\s/.test(line)).slice(0, MAX_HEADINGS),
      firstLines: lines.slice(0, maxLines),
      topWords: topWords(text),
    };
  },
};

async function readSmallTextFile(path) {
  // Stat and read through one handle, so the file checked is the file read.
  const handle = await open(path, "r");
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new Error(`summarize_file: ${path} is a directory, not a file`);
    if (!info.isFile()) throw new Error(`summarize_file: ${path} is not a regular file`);
    if (info.size > MAX_BYTES) {
      throw new Error(`summarize_file: ${path} is ${info.size} bytes; the limit is ${MAX_BYTES} (5 MB)`);
    }
    return await handle.readFile({ encoding: "utf8" });
  } finally {
    await handle.close();
  }
}

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
