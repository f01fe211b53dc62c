import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RecordingSink } from "../telegram/testing/recording-sink.js";
import { createSlackAccount, type SlackAccount } from "./index.js";
import { slackSignature, verifySlackSignature } from "./slack-signature.js";
import { FakeSlack } from "./testing/fake-slack.js";

vi.mock("./slack-signature.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./slack-signature.js")>();
  return { ...actual, verifySlackSignature: vi.fn(actual.verifySlackSignature) };
});

const BOT_TOKEN = "xoxb-events-bot-token-0123456789";
const SIGNING_SECRET = "events-signing-secret-0123456789abcdef";

let fake: FakeSlack;
let account: SlackAccount;
let sink: RecordingSink;
let url: string;

beforeEach(async () => {
  fake = new FakeSlack({ botToken: BOT_TOKEN });
  const { apiUrl } = await fake.start();
  account = createSlackAccount({
    accountId: "default",
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    mode: "http",
    apiUrl,
    events: { port: 0 },
  });
  sink = new RecordingSink();
  await account.start(sink);
  const { host, port } = account.eventsAddress()!;
  url = `http://${host}:${port}/slack/events`;
  fake.routeEventsTo(url, SIGNING_SECRET);
});
afterEach(async () => {
  await account.stop();
  await fake.stop();
});

const input = { channel: "C1", channelType: "channel" as const, user: "U1", text: "<@U0BOTUSER> hello" };

/** A POST signed (or not) as given, for the cases the pusher does not make. */
const post = (body: string, headers: Record<string, string>, path = "/slack/events") =>
  fetch(url.replace("/slack/events", path), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
const signed = (body: string, timestamp = String(Math.floor(Date.now() / 1000))) => ({
  "x-slack-request-timestamp": timestamp,
  "x-slack-signature": slackSignature(SIGNING_SECRET, timestamp, body),
});

describe("slack Events API listener", () => {
  it("listens on loopback and delivers a signed event before answering 200", async () => {
    expect(account.eventsAddress()?.host).toBe("127.0.0.1");
    const { statuses } = await fake.userSends(input);
    expect(statuses).toEqual([200]);
    expect(sink.messages()).toMatchObject([{ peer: { kind: "channel", id: "C1" }, mentioned: true }]);
    expect(vi.mocked(verifySlackSignature)).toHaveBeenCalled();
  });

  it("refuses a bad signature, an old timestamp, missing headers or a changed body with 401, storing nothing", async () => {
    const flaws = [
      { badSignature: true },
      { ageSeconds: 301 },
      { ageSeconds: -301 },
      { omit: ["signature" as const] },
      { omit: ["timestamp" as const] },
      { omit: ["signature" as const, "timestamp" as const] },
      { tamperBody: (body: string) => body.replace("hello", "HELLO") },
    ];
    for (const flaw of flaws)
      expect((await fake.userSends(input, flaw)).statuses, JSON.stringify(flaw)).toEqual([401]);
    expect(sink.attempts).toEqual([]);
  });

  it("answers url_verification with its challenge only when signed", async () => {
    const body = JSON.stringify({
      type: "url_verification",
      token: "t",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
    });
    const unsigned = await post(body, {});
    expect(unsigned.status).toBe(401);
    expect(await unsigned.text()).toBe("");
    const forged = await post(body, { ...signed(body), "x-slack-signature": `v0=${"0".repeat(64)}` });
    expect(forged.status).toBe(401);
    const good = await post(body, signed(body));
    expect(good.status).toBe(200);
    expect(await good.text()).toBe("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
  });

  it("answers 500 when the sink refuses, so Slack retries; a retry of a stored event is not stored twice", async () => {
    sink.refuseNext(1);
    const { statuses } = await fake.userSends(input);
    expect(statuses).toEqual([200]);
    expect(fake.events.deliveries.map((delivery) => [delivery.status, delivery.retryNum])).toEqual([
      [500, 0],
      [200, 1],
    ]);
    expect(sink.delivered).toHaveLength(1);
    const body = fake.messageCallback(input);
    const raw = JSON.stringify(body);
    expect((await post(raw, signed(raw))).status).toBe(200);
    expect((await post(raw, { ...signed(raw), "x-slack-retry-num": "1" })).status).toBe(200);
    expect(sink.delivered).toHaveLength(2);
  });

  it("serves only POST on its path and GET /healthz; refuses large bodies and non-JSON", async () => {
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(url.replace("/slack/events", "/healthz"))).status).toBe(200);
    expect((await post("{}", signed("{}"), "/other")).status).toBe(404);
    expect((await post("not json", signed("not json"))).status).toBe(400);
    const huge = JSON.stringify({ type: "event_callback", pad: "x".repeat(600 * 1024) });
    expect((await post(huge, signed(huge))).status).toBe(413);
    // A signed event the gateway does not answer (a reaction) is still 200, or Slack retries it.
    const reaction = JSON.stringify({
      type: "event_callback",
      event_id: "Ev9",
      event: { type: "reaction_added" },
    });
    expect((await post(reaction, signed(reaction))).status).toBe(200);
    expect(sink.attempts).toEqual([]);
  });

  it("closes the listener on stop", async () => {
    await account.stop();
    await expect(post("{}", signed("{}"))).rejects.toThrow();
  });
});
