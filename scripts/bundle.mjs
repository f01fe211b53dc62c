// `npm run build`, after tsc: bundles tsc's output (dist/) into dist/bundle/, the code
// `openclaw` runs (bin/cli-entry.mjs picks it). Why: loading ~1 200 ES modules one by one (resolve,
// stat, read, link each) was about a third of the gateway's start-up, and an agent thread's own
// modules most of its boot; a bundle with code splitting loads a few large files instead, and the
// lazily imported parts (channels, MCP, model SDKs, tools) stay separate chunks, still loaded on
// first use. dist/ itself is kept as tsc wrote it: tests and TypeScript runners import it.
//
// Every output file sits directly in dist/bundle/, one level below dist/, so a module's own
// location can be given back to it: its `import.meta.url` is rewritten to the URL of the file tsc
// wrote for it (`new URL("../<path in dist>", import.meta.url)`), and what it finds relative to
// itself (package.json, the UI, the compiled worker files, createRequire) is found as before.
// entry-points.js alone keeps the real URL: it is how code learns that it runs from the bundle.
import { createRequire } from "node:module";
import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import MagicString from "magic-string";
import { rolldown } from "rolldown";

const root = fileURLToPath(new URL("..", import.meta.url));
const dist = `${root}dist`;
const out = `${dist}/bundle`;

// Left to Node at run time: packages that load native code or worker files by a path relative to
// their own files (sqlite-vec's extension, pino's transport threads, Docker's ssh2 and
// cpu-features, playwright's driver, @discordjs/ws's shard workers: the bundled packages were
// scanned for import.meta.url, __dirname and new Worker, and commander's use of __dirname is for
// executable subcommands, which the CLI has none of), undici (bundled, every request of Qdrant's
// client through it failed with ERR_ASSERTION), and optional peers tried in a try/catch.
const EXTERNAL =
  /^(sqlite-vec|undici|@discordjs\/ws|pino|thread-stream|pino-[a-z-]+|sonic-boom|playwright-core|dockerode|docker-modem|ssh2|cpu-features|zlib-sync|bufferutil|utf-8-validate)(\/|$)/;

const metaUrl = {
  name: "own-import-meta-url",
  transform(code, id) {
    if (!id.startsWith(`${dist}${sep}`) || !code.includes("import.meta.url")) return null;
    const path = relative(dist, id).split(sep).join("/");
    if (path === "entry-points.js") return null;
    const own = `new URL(${JSON.stringify(`../${path}`)}, import.meta.url).href`;
    const edited = new MagicString(code);
    edited.replaceAll("import.meta.url", own);
    return { code: edited.toString(), map: edited.generateMap({ hires: "boundary", source: id }) };
  },
};

// An ES import of node:http or node:https makes Node build the module's ES facade, which reads
// every export, among them the lazy WebSocket, CloseEvent and MessageEvent getters: that loads
// all of undici (≈ 10 ms of start-up here) for nothing. Bundled code gets the same objects
// through process.getBuiltinModule, which builds no facade; the getters stay unread.
const builtinRequire = createRequire(import.meta.url);
const FACADE_FREE = new Set(["http", "https"]);
const VIRTUAL = "\0builtin:";
const facadeFree = {
  name: "builtins-without-facade",
  resolveId(id) {
    const name = id.replace(/^node:/, "");
    return FACADE_FREE.has(name) ? `${VIRTUAL}${name}` : null;
  },
  load(id) {
    if (!id.startsWith(VIRTUAL)) return null;
    const builtin = `node:${id.slice(VIRTUAL.length)}`;
    const exports = builtinRequire(builtin);
    const names = Object.keys(exports).filter(
      (key) => /^[A-Za-z_$][\w$]*$/.test(key) && !Object.getOwnPropertyDescriptor(exports, key)?.get,
    );
    return [
      `const builtin = process.getBuiltinModule(${JSON.stringify(builtin)});`,
      "export default builtin;",
      `export const { ${names.join(", ")} } = builtin;`,
    ].join("\n");
  },
};

const startedAt = performance.now();
const bundle = await rolldown({
  input: {
    main: `${dist}/cli/main.js`,
    "agent-worker-boot": `${dist}/agents/worker/agent-worker-boot.js`,
  },
  platform: "node",
  external: (id) => (id.startsWith("node:") && !FACADE_FREE.has(id.slice(5))) || EXTERNAL.test(id),
  plugins: [facadeFree, metaUrl],
  onLog(level, log, report) {
    // An optional peer a package tries in a try/catch (zlib-sync, bufferutil) stays unresolved.
    if (log.code === "UNRESOLVED_IMPORT" && EXTERNAL.test(log.exporter ?? "")) return;
    if (log.code === "UNRESOLVED_IMPORT" && /'(zlib-sync|bufferutil|utf-8-validate)'/.test(log.message))
      return;
    report(level, log);
  },
});
await bundle.write({
  dir: out,
  format: "esm",
  entryFileNames: "[name].js",
  chunkFileNames: "[name]-[hash].js",
  sourcemap: true,
  cleanDir: true,
});
await bundle.close();
if (process.argv.includes("--verbose"))
  console.log(`bundled dist/ into ${relative(root, out)} in ${Math.round(performance.now() - startedAt)} ms`);
