import { describe, expect, it } from "vitest";
import { formatClusterStatus } from "./cluster-command.js";

describe("openclaw cluster status", () => {
  it("prints each replica with its url, version, age, last seen and leases, then the event lag", () => {
    const text = formatClusterStatus({
      storage: "postgres",
      reachable: true,
      clustered: true,
      replica: "r1",
      eventLagMs: 1500,
      replicas: [
        {
          id: "r1",
          internalUrl: "http://10.0.0.1:18789",
          version: "1.2.3",
          self: true,
          ageMs: 120_000,
          lastSeenMsAgo: 1000,
          sessionLeases: 4,
        },
        {
          id: "r2",
          internalUrl: "http://10.0.0.2:18789",
          version: "1.2.3",
          self: false,
          ageMs: 60_000,
          lastSeenMsAgo: 2000,
          sessionLeases: null,
        },
      ],
    });
    expect(text).toMatch(/postgres, 2 replica\(s\)/);
    expect(text).toMatch(/r1 \(this\)\s+http:\/\/10\.0\.0\.1:18789\s+1\.2\.3/);
    expect(text).toMatch(/r2\s+http:\/\/10\.0\.0\.2:18789.*\?/);
    expect(text).toMatch(/event lag/);
  });

  it("says so when the storage is not shared", () => {
    expect(
      formatClusterStatus({
        storage: "files",
        reachable: true,
        clustered: false,
        replicas: [],
        eventLagMs: null,
      }),
    ).toMatch(/not part of a cluster/);
  });
});
