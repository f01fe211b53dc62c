import { defineConfig } from "vitest/config";

/**
 * `npm run test:compat`: OpenClaw's published clients against the built gateway. Kept out of the
 * main `vitest run` (files are *.compat.ts): it needs the compat cache, and may download it.
 */
export default defineConfig({
  test: {
    include: ["test/compat/**/*.compat.ts"],
    testTimeout: 60_000,
    hookTimeout: 15 * 60_000,
    pool: "forks",
    maxWorkers: 1,
    reporters: ["default"],
  },
});
