import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** The UI's pure modules (transcript, A2UI model, token handling): `npx vitest run --config ui/vitest.config.ts`. */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  // Keep Vite's cache in the repo's node_modules, not in a stray ui/node_modules.
  cacheDir: fileURLToPath(new URL("../node_modules/.vite/ui", import.meta.url)),
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
