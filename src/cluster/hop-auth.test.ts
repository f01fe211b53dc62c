import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ClusterHopAuth, HOP_CLOCK_WINDOW_MS, HOP_HEADERS } from "./hop-auth.js";

const PATH = "/__openclaw__/cluster/turn";

describe("ClusterHopAuth", () => {
  const key = randomBytes(32);

  it("accepts a request signed with the cluster's key, once", () => {
    const auth = new ClusterHopAuth(key);
    const headers = new ClusterHopAuth(key).sign("replica-a", "POST", PATH, '{"a":1}');
    expect(auth.verify(headers, "POST", PATH)).toEqual({ ok: true, replica: "replica-a" });
    expect(auth.verify(headers, "POST", PATH)).toEqual({ ok: false, reason: "replayed" });
  });

  it("refuses another cluster's key, another path or method, and edited headers", () => {
    const auth = new ClusterHopAuth(key);
    const foreign = new ClusterHopAuth(randomBytes(32)).sign("replica-a", "POST", PATH, "{}");
    expect(auth.verify(foreign, "POST", PATH)).toEqual({ ok: false, reason: "bad_signature" });
    const signed = new ClusterHopAuth(key).sign("replica-a", "POST", PATH, "{}");
    expect(auth.verify(signed, "POST", "/__openclaw__/cluster/other")).toMatchObject({ ok: false });
    expect(auth.verify(signed, "GET", PATH)).toMatchObject({ ok: false });
    for (const name of Object.values(HOP_HEADERS)) {
      const edited = { ...new ClusterHopAuth(key).sign("replica-a", "POST", PATH, "{}") };
      edited[name] = `${edited[name]}0`;
      expect(auth.verify(edited, "POST", PATH), name).toMatchObject({ ok: false });
      const missing: Record<string, string> = { ...edited };
      delete missing[name];
      expect(auth.verify(missing, "POST", PATH), name).toEqual({ ok: false, reason: "unsigned" });
    }
  });

  it("refuses a request signed outside the clock window", () => {
    let now = 1_000_000;
    const signer = new ClusterHopAuth(key, () => now);
    const headers = signer.sign("replica-a", "POST", PATH, "{}");
    now += HOP_CLOCK_WINDOW_MS + 1;
    expect(new ClusterHopAuth(key, () => now).verify(headers, "POST", PATH)).toEqual({
      ok: false,
      reason: "stale",
    });
  });

  it("never accepts a plain gateway token in place of a signature", () => {
    const auth = new ClusterHopAuth(key);
    expect(auth.verify({ authorization: "Bearer secret-token" }, "POST", PATH)).toEqual({
      ok: false,
      reason: "unsigned",
    });
  });

  it("derives its own key: a raw HMAC of the shared key does not verify", async () => {
    const { createHmac } = await import("node:crypto");
    const headers = new ClusterHopAuth(key).sign("replica-a", "POST", PATH, "{}");
    const raw = createHmac("sha256", key)
      .update(
        [
          "POST",
          PATH,
          "replica-a",
          headers[HOP_HEADERS.timestamp],
          headers[HOP_HEADERS.nonce],
          headers[HOP_HEADERS.bodyDigest],
        ].join("\n"),
      )
      .digest("hex");
    expect(
      new ClusterHopAuth(key).verify({ ...headers, [HOP_HEADERS.signature]: raw }, "POST", PATH),
    ).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });
});
