import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_SIGNATURE_AGE_SECONDS, slackSignature, verifySlackSignature } from "./slack-signature.js";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const NOW_MS = 1_531_420_618_000;

describe("verifySlackSignature", () => {
  it("accepts Slack's documented example", () => {
    // docs.slack.dev "Verifying requests from Slack": this secret, timestamp and body sign to this.
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(slackSignature(SECRET, "1531420618", body)).toBe(
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    );
    expect(
      verifySlackSignature({
        signingSecret: SECRET,
        timestamp: "1531420618",
        signature: "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        rawBody: Buffer.from(body),
        nowMs: NOW_MS,
      }),
    ).toEqual({ ok: true });
  });

  it("refuses missing headers, stale or malformed timestamps, and wrong signatures", () => {
    const body = Buffer.from('{"type":"event_callback"}');
    const ts = String(NOW_MS / 1000);
    const good = slackSignature(SECRET, ts, body);
    const verify = (timestamp: string | undefined, signature: string | undefined, nowMs = NOW_MS) =>
      verifySlackSignature({ signingSecret: SECRET, timestamp, signature, rawBody: body, nowMs });
    expect(verify(ts, good)).toEqual({ ok: true });
    expect(verify(undefined, good)).toEqual({ ok: false, reason: "missing headers" });
    expect(verify(ts, undefined)).toEqual({ ok: false, reason: "missing headers" });
    expect(verify(ts, "")).toEqual({ ok: false, reason: "missing headers" });
    expect(verify(ts, good, NOW_MS + (MAX_SIGNATURE_AGE_SECONDS + 1) * 1000)).toEqual({
      ok: false,
      reason: "stale timestamp",
    });
    expect(verify(ts, good, NOW_MS - (MAX_SIGNATURE_AGE_SECONDS + 1) * 1000)).toEqual({
      ok: false,
      reason: "stale timestamp",
    });
    expect(verify(ts, good, NOW_MS + MAX_SIGNATURE_AGE_SECONDS * 1000).ok).toBe(true);
    expect(verify(`${ts}.5`, good).ok).toBe(false);
    expect(verify("-1", good).ok).toBe(false);
    for (const signature of [
      good.toUpperCase(),
      good.slice(0, -1),
      `${good}0`,
      good.replace("v0=", "v1="),
      "v0=",
    ])
      expect(verify(ts, signature), signature).toEqual({ ok: false, reason: "bad signature" });
  });

  it("property: the signature of (secret, ts, body) verifies, and any change to body, ts or signature is refused", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 0, max: MAX_SIGNATURE_AGE_SECONDS }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (secret, bytes, skew, position, flip) => {
          const rawBody = Buffer.from(bytes);
          const timestamp = String(NOW_MS / 1000 - skew);
          const signature = slackSignature(secret, timestamp, rawBody);
          const verify = (changes: { body?: Buffer; ts?: string; signature?: string }) =>
            verifySlackSignature({
              signingSecret: secret,
              timestamp: changes.ts ?? timestamp,
              signature: changes.signature ?? signature,
              rawBody: changes.body ?? rawBody,
              nowMs: NOW_MS,
            }).ok;
          expect(verify({})).toBe(true);
          // One byte of the body changed, or one more byte.
          const changed = Buffer.from(rawBody);
          if (changed.length > 0) {
            const at = position % changed.length;
            changed[at] = (changed[at]! ^ flip) & 0xff;
            expect(verify({ body: changed })).toBe(false);
          }
          expect(verify({ body: Buffer.concat([rawBody, Buffer.from([flip])]) })).toBe(false);
          // Another timestamp, even one inside the window.
          expect(verify({ ts: String(Number(timestamp) - 1) })).toBe(false);
          // One hex digit of the signature changed.
          const at = 3 + (position % 64);
          const digit = signature[at] === "0" ? "1" : "0";
          expect(verify({ signature: `${signature.slice(0, at)}${digit}${signature.slice(at + 1)}` })).toBe(
            false,
          );
          // Signed with another secret.
          expect(
            verifySlackSignature({
              signingSecret: `${secret}x`,
              timestamp,
              signature,
              rawBody,
              nowMs: NOW_MS,
            }).ok,
          ).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("property: an arbitrary presented signature of any length is refused, never thrown on", () => {
    const rawBody = Buffer.from("{}");
    const timestamp = String(NOW_MS / 1000);
    const real = slackSignature(SECRET, timestamp, rawBody);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (presented) => {
        fc.pre(presented !== real);
        const verdict = verifySlackSignature({
          signingSecret: SECRET,
          timestamp,
          signature: presented,
          rawBody,
          nowMs: NOW_MS,
        });
        expect(verdict.ok).toBe(false);
      }),
    );
  });
});
