import { describe, expect, it } from "vitest";
import { checkSessionRetention } from "./retention-checks.js";

const sweep = {
  at: "2026-03-15T12:00:00.000Z",
  removedFiles: 3,
  removedMb: 12.5,
  keptFiles: 7,
  keptMb: 2.1,
  skippedBusy: 0,
  overLimit: [] as string[],
};

describe("checkSessionRetention", () => {
  it("says what the last sweep removed", () => {
    expect(checkSessionRetention(sweep)).toEqual([
      expect.objectContaining({
        status: "ok",
        summary: expect.stringMatching(/removed 3 transcript\(s\) \(12\.5 MB\); 7 kept \(2\.1 MB\)/),
      }),
    ]);
  });

  it("warns when transcripts stay above their size bound, or the sweep failed", () => {
    expect(checkSessionRetention({ ...sweep, overLimit: ["requests"] })[0]).toMatchObject({
      status: "warn",
      fix: expect.stringContaining("sessions.retention.requests.maxTotalMb"),
    });
    expect(checkSessionRetention({ ...sweep, error: "EACCES" })[0]?.status).toBe("warn");
  });

  it("is silent for a gateway that does not report it", () => {
    expect(checkSessionRetention(undefined)).toEqual([]);
  });
});
