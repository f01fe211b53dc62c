import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Docker from "dockerode";
import { afterAll, describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { buildSandboxImage, parseImageTag, SANDBOX_IMAGE_LABEL } from "./index.js";

const docker = new Docker();
const engineReachable = await docker.ping().then(
  () => true,
  () => false,
);
if (!engineReachable) console.log("skipped: no Docker engine (the image build test needs a running dockerd)");

/** Non-TTY container logs: frames of an 8-byte header (stream, 0, 0, 0, length) and a payload. */
function demultiplex(logs: Buffer): { stdout: string; stderr: string } {
  const output = { stdout: "", stderr: "" };
  let offset = 0;
  while (offset + 8 <= logs.length) {
    const length = logs.readUInt32BE(offset + 4);
    const payload = logs.subarray(offset + 8, offset + 8 + length).toString("utf8");
    if (logs[offset] === 2) output.stderr += payload;
    else output.stdout += payload;
    offset += 8 + length;
  }
  return output;
}

describe("parseImageTag", () => {
  it("splits repository and tag, defaulting to latest", () => {
    expect(parseImageTag("openclaw-sandbox:0.1.0")).toEqual({ repo: "openclaw-sandbox", tag: "0.1.0" });
    expect(parseImageTag("openclaw-sandbox")).toEqual({ repo: "openclaw-sandbox", tag: "latest" });
    expect(parseImageTag("localhost:5000/team/sandbox")).toEqual({
      repo: "localhost:5000/team/sandbox",
      tag: "latest",
    });
  });

  it("refuses tags Docker would refuse, as a usage error", () => {
    for (const reference of ["OpenClaw:1", "sandbox:", "sandbox:-x", "sandbox:a b", ""]) {
      expect(() => parseImageTag(reference)).toThrow(expect.objectContaining({ code: "OC_ERR_USAGE" }));
    }
  });
});

describe("buildSandboxImage", () => {
  it("says to start dockerd when the engine is unreachable, leaving no build directory", async () => {
    const workDir = await mkdtemp(join(tmpdir(), "openclaw-image-test-"));
    try {
      const absent = new Docker({ socketPath: join(workDir, "no-docker.sock") });
      const failure = await buildSandboxImage({ docker: absent, tag: "openclaw-sandbox:x", workDir }).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(OpenClawError);
      expect((failure as OpenClawError).hint).toMatch(/start the Docker engine \(dockerd\)/);
      expect(await readdir(workDir)).toEqual([]);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  describe.skipIf(!engineReachable)("with a Docker engine", () => {
    const tag = `openclaw-sandbox-test:${process.pid}-${Date.now()}`;
    const containers: Docker.Container[] = [];

    afterAll(async () => {
      for (const container of containers) await container.remove({ force: true }).catch(() => {});
      await docker
        .getImage(tag)
        .remove({ force: true })
        .catch(() => {});
    });

    it("builds an image whose containers run busybox as uid 1000 in /workspace", async () => {
      const workDir = await mkdtemp(join(tmpdir(), "openclaw-image-test-"));
      const lines: string[] = [];
      const build = await buildSandboxImage({ docker, tag, workDir, log: (line) => lines.push(line) });
      console.log(
        `built ${build.tag} in ${build.durationMs} ms, ${(build.sizeBytes / 1_000_000).toFixed(2)} MB`,
      );
      expect(await readdir(workDir)).toEqual([]);
      await rm(workDir, { recursive: true, force: true });
      expect(build.tag).toBe(tag);
      expect(build.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(build.sizeBytes).toBeGreaterThan(1_000_000);
      expect(build.packages.some((entry) => entry.startsWith("busybox-static="))).toBe(true);
      expect(lines.length).toBeGreaterThan(0);

      const image = await docker.getImage(tag).inspect();
      expect(image.Config.User).toBe("1000:1000");
      expect(image.Config.WorkingDir).toBe("/workspace");
      expect(image.Config.Cmd).toEqual(["/bin/sh"]);
      expect(image.Config.Labels?.[SANDBOX_IMAGE_LABEL]).toBe("1");

      const container = await docker.createContainer({
        Image: tag,
        Cmd: [
          "sh",
          "-c",
          "id -u; echo hello; ls /bin | wc -l; pwd; touch /workspace/probe && echo workspace-writable; " +
            "touch /etc/probe 2>/dev/null && echo etc-writable || echo etc-read-only; " +
            ". /etc/os-release; echo $NAME",
        ],
        HostConfig: { NetworkMode: "none" },
      });
      containers.push(container);
      await container.start();
      const exit = await container.wait();
      const { stdout, stderr } = demultiplex(await container.logs({ stdout: true, stderr: true }));
      expect(exit.StatusCode, stderr).toBe(0);
      const [uid, hello, appletCount, workingDir, workspace, etc, osName] = stdout.trim().split("\n");
      expect(uid).toBe("1000");
      expect(hello).toBe("hello");
      expect(Number(appletCount)).toBeGreaterThan(50);
      expect(workingDir).toBe("/workspace");
      expect(workspace).toBe("workspace-writable");
      expect(etc).toBe("etc-read-only");
      expect(osName).toBe("OpenClaw sandbox");
    }, 60_000);
  });
});
