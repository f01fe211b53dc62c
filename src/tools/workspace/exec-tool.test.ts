import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createConfinement } from "../../confinement/index.js";
import { EXEC_OUTPUT_BYTES, execTool, MAX_EXEC_TIMEOUT_MS } from "./exec-tool.js";
import { createHostCommandRunner } from "./host-runner.js";
import {
  contextWithoutWorkspace,
  createTempWorkspace,
  refusalOf,
  type TempWorkspace,
} from "./testing/temp-workspace.js";
import type { CommandRequest, CommandRunner } from "./workspace-types.js";

let workspace: TempWorkspace;

beforeEach(async () => {
  workspace = await createTempWorkspace();
});
afterEach(() => workspace.remove());

/** The real host runner, remembering what it was asked to run. */
function recordingRunner(root: string): { runner: CommandRunner; requests: CommandRequest[] } {
  const host = createHostCommandRunner(root);
  const requests: CommandRequest[] = [];
  return {
    requests,
    runner: {
      run(request) {
        requests.push(request);
        return host.run(request);
      },
    },
  };
}

describe("exec tool", () => {
  it("runs a command in the workspace root and returns its result", async () => {
    const result = await execTool.execute({ command: "pwd; echo err >&2; exit 2" }, workspace.context());
    expect(result).toEqual({
      exitCode: 2,
      timedOut: false,
      truncated: false,
      durationMs: expect.any(Number),
      sandboxed: false,
      confined: true,
      stdout: `${workspace.root}\n`,
      stderr: "err\n",
    });
  });

  it("passes the default timeout, the output cap and the turn's signal to the runner", async () => {
    const { runner, requests } = recordingRunner(workspace.root);
    const context = workspace.context({ runner, execTimeoutMs: 4321, sandboxed: true });
    const result = await execTool.execute({ command: "true" }, context);
    expect(result).toMatchObject({ exitCode: 0, sandboxed: true });
    expect(requests).toEqual([
      { command: "true", timeoutMs: 4321, maxOutputBytes: EXEC_OUTPUT_BYTES, signal: context.signal },
    ]);
  });

  it("caps the requested timeout at ten minutes", async () => {
    const { runner, requests } = recordingRunner(workspace.root);
    await execTool.execute({ command: "true", timeoutMs: 3_600_000 }, workspace.context({ runner }));
    await execTool.execute({ command: "true", timeoutMs: 1500 }, workspace.context({ runner }));
    expect(requests.map((request) => request.timeoutMs)).toEqual([MAX_EXEC_TIMEOUT_MS, 1500]);
  });

  it("reports a timed-out command", async () => {
    const result = await execTool.execute({ command: "sleep 30", timeoutMs: 300 }, workspace.context());
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
  });

  it("reports truncated output", async () => {
    const result = (await execTool.execute(
      { command: `head -c ${EXEC_OUTPUT_BYTES + 10} /dev/zero | tr '\\0' x` },
      workspace.context(),
    )) as { stdout: string; truncated: boolean };
    expect(result.truncated).toBe(true);
    expect(result.stdout).toHaveLength(EXEC_OUTPUT_BYTES);
  });

  it("validates its input and needs a workspace", async () => {
    await refusalOf(execTool.execute({}, workspace.context()));
    await refusalOf(execTool.execute({ command: "" }, workspace.context()));
    await refusalOf(execTool.execute({ command: "true", timeoutMs: -5 }, workspace.context()));
    await refusalOf(execTool.execute({ command: "true", timeoutMs: "60s" }, workspace.context()));
    const noWorkspace = await refusalOf(execTool.execute({ command: "true" }, contextWithoutWorkspace()));
    expect(noWorkspace).toBe("this agent has no workspace");
  });

  it("is a tool error with the fix when the command cannot be confined here", async () => {
    const runner = createHostCommandRunner(workspace.root, {
      bubblewrap: createConfinement({ bwrapPath: join(workspace.root, "missing-bwrap") }),
    });
    const message = await refusalOf(execTool.execute({ command: "true" }, workspace.context({ runner })));
    expect(message).toContain("host commands cannot be confined");
    expect(message).toContain("apt-get install bubblewrap");
    expect(message).toContain('confinement to "unconfined"');
  });

  it("reports an unconfined host runner as such", async () => {
    const runner = createHostCommandRunner(workspace.root, { confinement: "unconfined" });
    const result = await execTool.execute(
      { command: "true" },
      workspace.context({ runner, confined: false }),
    );
    expect(result).toMatchObject({ exitCode: 0, sandboxed: false, confined: false });
  });
});
