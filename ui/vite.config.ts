import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const uiRoot = fileURLToPath(new URL(".", import.meta.url));
const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

/**
 * The Control UI: one HTML page and hashed assets in dist/ui, served by the gateway at `/`.
 * Everything is bundled (no CDN, no web fonts) so the page runs under `default-src 'self'`.
 */
export default defineConfig({
  root: uiRoot,
  base: "./",
  publicDir: false,
  // Sent as `client.version` in `connect`, so the gateway's logs say which UI build talked to it.
  define: { __CONTROL_UI_VERSION__: JSON.stringify(packageJson.version) },
  build: {
    outDir: fileURLToPath(new URL("../dist/ui", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    // The preload polyfill is for old browsers; every browser that runs Lit 3 has modulepreload.
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: true,
  },
});
