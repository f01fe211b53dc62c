import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./harness.js";

/**
 * Every ```sh / ```bash block of README.md runs as written, from the checkout, against a fresh
 * HOME and state dir, with `openclaw` on PATH as `npm link` puts it (and `npx openclaw` working
 * as in any checkout). A block is preceded by an HTML comment when it is run otherwise:
 *
 *   <!-- readme-test: skip (the reason) -->             not run; the reason is required
 *   <!-- readme-test: with a running gateway (…) -->    `openclaw gateway start` first
 *
 * Each block runs in a network namespace of its own (`unshare -rn`): it may take port 18789 as
 * the README says without meeting another test's gateway, and nothing it runs can reach beyond
 * loopback. Any gateway it starts is stopped when it ends. Every curl's HTTP status must be 2xx
 * unless its line says which it is (`# 401 …`), so a refused request cannot pass as output.
 */
interface ReadmeBlock {
  line: number;
  code: string;
  marker?: string;
}

const MARKER = /^<!-- readme-test: (.*) -->$/;
const SKIP = /^skip \((.+)\)$/;
const WITH_GATEWAY = /^with a running gateway\b/;

function readmeBlocks(): ReadmeBlock[] {
  const lines = readFileSync(join(REPO_ROOT, "README.md"), "utf8").split("\n");
  const blocks: ReadmeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const fence = /^```(\w*)/.exec(lines[index] as string);
    if (!fence) continue;
    const end = lines.indexOf("```", index + 1);
    if (["sh", "bash"].includes(fence[1] as string)) {
      const marker = MARKER.exec(lines[index - 1] ?? "")?.[1];
      blocks.push({
        line: index + 1,
        code: lines.slice(index + 1, end).join("\n"),
        ...(marker !== undefined ? { marker } : {}),
      });
    }
    index = end;
  }
  return blocks;
}

/** The status each curl of the block should get, in order: its `# NNN` comment, else 2xx. */
function expectedStatuses(code: string): string[] {
  return code
    .split("\n")
    .filter((line) => /(^|\$\(|\|\s*|&&\s*)curl\s/.test(line.trim()))
    .map((line) => /#\s*(\d{3})\b/.exec(line)?.[1] ?? "2xx");
}

function runBlock(block: ReadmeBlock): Promise<{ code: number | null; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-readme-"));
  const bin = join(dir, "bin");
  const home = join(dir, "home");
  const script = join(dir, "block.sh");
  // What `npm link` does: the package's launcher under the name `openclaw`.
  const linkBin = `mkdir -p ${bin} && ln -s ${join(REPO_ROOT, "bin/openclaw.mjs")} ${bin}/openclaw`;
  // curl as written, plus one line with the status of each response it got.
  const curlShim = `#!/bin/sh\nexec /usr/bin/curl "$@" -w '\\n[readme-test] HTTP %{http_code}\\n'\n`;
  writeFileSync(
    script,
    [
      "set -eo pipefail",
      "ip link set lo up",
      "trap 'openclaw gateway stop >/dev/null 2>&1 || true' EXIT",
      ...(block.marker && WITH_GATEWAY.test(block.marker) ? ["openclaw gateway start >/dev/null"] : []),
      block.code,
    ].join("\n"),
  );
  return new Promise((resolve) => {
    const prepare = spawn("sh", ["-c", linkBin]);
    prepare.on("exit", () => {
      writeFileSync(join(bin, "curl"), curlShim);
      chmodSync(join(bin, "curl"), 0o755);
      symlinkSync(process.execPath, join(bin, "node"));
      const child = spawn("unshare", ["-rn", "bash", script], {
        cwd: REPO_ROOT,
        env: {
          PATH: `${bin}:${process.env.PATH}`,
          HOME: home,
          OPENCLAW_STATE_DIR: join(home, ".openclaw"),
          npm_config_update_notifier: "false",
          npm_config_offline: "true",
        },
      });
      let output = "";
      child.stdout.on("data", (data) => {
        output += data;
      });
      child.stderr.on("data", (data) => {
        output += data;
      });
      child.on("close", (code) => {
        rmSync(dir, { recursive: true, force: true });
        resolve({ code, output });
      });
    });
  });
}

describe("README.md's shell blocks run as written", () => {
  const blocks = readmeBlocks();

  it("finds the blocks, and each marker is one this test knows, with its reason", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const block of blocks) {
      if (block.marker === undefined) continue;
      expect(SKIP.test(block.marker) || WITH_GATEWAY.test(block.marker), `line ${block.line}`).toBe(true);
    }
  });

  for (const block of blocks) {
    const skip = block.marker ? SKIP.exec(block.marker)?.[1] : undefined;
    const title = `README.md:${block.line}: ${block.code.split("\n")[0]}`;
    if (skip) {
      it.skip(`${title} (skipped: ${skip})`, () => {});
      continue;
    }
    it(title, async () => {
      const result = await runBlock(block);
      expect(result.code, result.output).toBe(0);
      const statuses = [...result.output.matchAll(/\[readme-test\] HTTP (\d{3})/g)].map((match) => match[1]);
      const expected = expectedStatuses(block.code);
      expect(
        statuses.map((status, index) =>
          expected[index] === "2xx" && /^2/.test(status ?? "") ? "2xx" : status,
        ),
        result.output,
      ).toEqual(expected);
    }, 180_000);
  }
});
