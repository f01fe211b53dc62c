import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkStateDirDisk, MIN_AVAILABLE_BYTES } from "./disk-checks.js";
import type { GatewayFact, StateDiskFact } from "./facts.js";
import { measureStateDisk } from "./gather-facts.js";

const GB = 1024 * 1024 * 1024;
const disk = (availableBytes: number, extra: Partial<StateDiskFact> = {}): StateDiskFact => ({
  path: "/srv/state",
  totalBytes: 100 * GB,
  availableBytes,
  totalInodes: 1_000_000,
  freeInodes: 900_000,
  ...extra,
});
const running = (stateWrites?: Extract<GatewayFact, { state: "running" }>["stateWrites"]): GatewayFact => ({
  state: "running",
  url: "http://127.0.0.1:1",
  pid: 1,
  agents: [],
  refusals: {},
  ...(stateWrites ? { stateWrites } : {}),
});

describe("checkStateDirDisk", () => {
  it("is ok with room, and says how much", () => {
    expect(checkStateDirDisk(disk(40 * GB), { state: "stopped" })).toEqual([
      expect.objectContaining({
        id: "state-dir-space",
        status: "ok",
        summary: expect.stringContaining("40 GB free"),
      }),
    ]);
  });

  it("warns below 100 MB free, whatever the disk's size, and below a few thousand inodes", () => {
    const [low] = checkStateDirDisk(disk(MIN_AVAILABLE_BYTES - 1), { state: "stopped" });
    expect(low).toMatchObject({ status: "warn", fix: expect.stringContaining("df -h /srv/state") });
    const [inodes] = checkStateDirDisk(disk(40 * GB, { freeInodes: 12 }), { state: "stopped" });
    expect(inodes).toMatchObject({ status: "warn", summary: expect.stringContaining("12 inodes") });
  });

  it("fails while the running gateway's writes fail, naming the errno, since when and the file", () => {
    const findings = checkStateDirDisk(
      disk(0),
      running({
        writable: false,
        code: "ENOSPC",
        reason: "no space left on device",
        failingSince: "2026-11-25T10:00:00.000Z",
        writer: "transcripts",
        file: "/srv/state/sessions/a.jsonl",
      }),
    );
    expect(findings.map((finding) => [finding.id, finding.status])).toEqual([
      ["state-dir-writes", "fail"],
      ["state-dir-space", "warn"],
    ]);
    expect(findings[0]?.summary).toContain("ENOSPC");
    expect(findings[0]?.summary).toContain("/srv/state/sessions/a.jsonl");
    expect(findings[0]?.fix).toContain("without a restart");
    expect(checkStateDirDisk(disk(40 * GB), running({ writable: true }))[0]).toMatchObject({
      id: "state-dir-writes",
      status: "ok",
    });
  });

  it("measures the nearest existing parent of a state dir not created yet", async () => {
    const dir = await mkdtemp(join(tmpdir(), "disk-check-"));
    try {
      const fact = await measureStateDisk(join(dir, "state", "deeper"));
      expect(fact.path).toBe(dir);
      expect(fact.availableBytes).toBeGreaterThan(0);
      expect(checkStateDirDisk(fact, { state: "stopped" })[0]?.id).toBe("state-dir-space");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
