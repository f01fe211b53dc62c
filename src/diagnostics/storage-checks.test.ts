import { describe, expect, it } from "vitest";
import { checkStorage } from "./storage-checks.js";

describe("checkStorage", () => {
  it("fails while the storage is unreachable", () => {
    const [diagnostic] = checkStorage({ kind: "postgres", reachable: false, clustered: true, replicas: 2 });
    expect(diagnostic?.status).toBe("fail");
    expect(diagnostic?.summary).toMatch(/postgres is unreachable/);
  });

  it("names the kind and the replicas of a shared storage", () => {
    const [diagnostic] = checkStorage({ kind: "postgres", reachable: true, clustered: true, replicas: 3 });
    expect(diagnostic).toMatchObject({
      status: "ok",
      summary: "storage postgres: reachable, 3 replica(s) announced",
    });
  });

  it("warns when a shared storage lists no replica", () => {
    expect(checkStorage({ kind: "postgres", reachable: true, clustered: true, replicas: 0 })[0]?.status).toBe(
      "warn",
    );
  });

  it("says nothing of a gateway that did not tell its storage", () => {
    expect(checkStorage(undefined)).toEqual([]);
    expect(checkStorage({ kind: "files", reachable: true, clustered: false, replicas: 0 })[0]?.status).toBe(
      "ok",
    );
  });
});
