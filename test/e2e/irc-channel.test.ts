import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectUser, type IrcUser } from "../../src/channels/irc/testing/irc-user.js";
import { type NgircdServer, startNgircd } from "../../src/channels/irc/testing/ngircd-server.js";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
import {
  type RunningGateway,
  startGateway,
  type TempHome,
  tempHome,
  waitFor,
  withTestAuth,
} from "./harness.js";
import { userTexts } from "./telegram-setup.js";

const SERVER_PASSWORD = "irc-canary-7f3a9c1e5b2d4086";
const LONG_WORDS = Array.from({ length: 260 }, (_, index) => `mot${index}-é😀漢`);
const LONG_REPLY = LONG_WORDS.join(" ");

/**
 * The IRC channel against a real IRC server (Debian's ngircd on loopback) and a real gateway
 * process: a person DMs the bot and talks to it in a channel; a long reply is split under the
 * 512-byte line limit; the server restarts and the bot comes back by itself.
 */
describe("IRC channel (real ngircd)", () => {
  let server: NgircdServer;
  let provider: FakeOpenAIServer;
  let home: TempHome;
  let gateway: RunningGateway;
  let alice: IrcUser;

  beforeAll(async () => {
    server = await startNgircd({ password: SERVER_PASSWORD });
    provider = new FakeOpenAIServer({
      respond: (request) => {
        const text = userTexts(request.body).at(-1) ?? "";
        return { type: "text", text: text.includes("long") ? LONG_REPLY : `You said: ${text}` };
      },
    });
    const { baseUrl } = await provider.start();
    home = await tempHome();
    await writeFile(join(home.dir, "irc.pass"), `${SERVER_PASSWORD}\n`, { mode: 0o600 });
    await writeFile(
      home.configPath,
      JSON.stringify(
        withTestAuth({
          externalSecrets: { "irc-pass": { source: "file", path: join(home.dir, "irc.pass") } },
          models: { providers: { openai: { baseUrl, apiKey: "sk-test" } } },
          agents: { main: { model: "openai/gpt-4o-mini" } },
          channels: {
            irc: {
              host: "127.0.0.1",
              port: server.port,
              tls: false,
              nick: "clawbot",
              password: { $secret: "irc-pass" },
              channels: ["#ops"],
              dmPolicy: "allowlist",
              allowFrom: ["alice"],
              groups: { "#ops": {} },
            },
          },
        }),
      ),
    );
    gateway = await startGateway(home);
    alice = await connectUser({
      port: server.port,
      nick: "alice",
      channels: ["#ops"],
      password: SERVER_PASSWORD,
    });
    await waitFor(async () => (await account())?.state === "ready", 15_000);
  }, 60_000);

  afterAll(async () => {
    await alice?.quit().catch(() => undefined);
    await gateway?.stop();
    await provider?.close();
    await server?.stop();
    await home?.cleanup();
  });

  const account = async () => {
    const response = await fetch(`${gateway.url}/__openclaw__/channels`, { headers: gateway.headers });
    const { channels } = (await response.json()) as { channels: { state: string; restarts: number }[] };
    return channels[0];
  };
  const repliesTo = (target: string) =>
    alice.messages().filter((message) => message.from === "clawbot" && message.target === target);

  it("answers a DM from an allowed nick", async () => {
    alice.say("clawbot", "hello there");
    await alice.waitFor(
      () => repliesTo("alice").some((message) => message.text === "You said: hello there"),
      15_000,
    );
  });

  it("answers in a channel only when mentioned", async () => {
    alice.say("#ops", "just chatting, no bot here");
    alice.say("#ops", "clawbot: ping");
    await alice.waitFor(() => repliesTo("#ops").some((message) => message.text.includes("ping")), 15_000);
    expect(repliesTo("#ops").map((message) => message.text)).toEqual(["You said: alice: ping"]);
  });

  it("splits a long reply into lines under 512 bytes without breaking UTF-8", async () => {
    const before = alice.rawLineBytes().length;
    alice.say("clawbot", "give me the long one");
    await alice.waitFor(
      () =>
        repliesTo("alice")
          .map((message) => message.text)
          .join(" ")
          .includes("mot259"),
      20_000,
    );
    const lines = alice
      .rawLineBytes()
      .slice(before)
      .filter((bytes) => bytes.toString("utf8").includes("PRIVMSG alice"));
    expect(lines.length).toBeGreaterThan(1);
    const decoder = new TextDecoder("utf-8", { fatal: true });
    for (const bytes of lines) {
      expect(bytes.length).toBeLessThanOrEqual(512);
      decoder.decode(bytes);
    }
    const words = repliesTo("alice")
      .map((message) => message.text)
      .join(" ")
      .split(/\s+/)
      .filter((word) => word.startsWith("mot"));
    expect(words).toEqual(LONG_WORDS);
  });

  it("reconnects by itself after the server restarts, and answers again", async () => {
    await server.restart();
    await alice.quit().catch(() => undefined);
    alice = await connectUser({
      port: server.port,
      nick: "alice",
      channels: ["#ops"],
      password: SERVER_PASSWORD,
    });
    await waitFor(async () => {
      const status = await account();
      return status?.state === "ready" && status.restarts >= 1;
    }, 30_000);
    alice.say("clawbot", "are you back?");
    await alice.waitFor(
      () => repliesTo("alice").some((message) => message.text === "You said: are you back?"),
      15_000,
    );
  });

  it("keeps the server password out of logs and status", async () => {
    const status = await (
      await fetch(`${gateway.url}/__openclaw__/status`, { headers: gateway.headers })
    ).text();
    expect(status).not.toContain(SERVER_PASSWORD);
    expect(gateway.output()).not.toContain(SERVER_PASSWORD);
  });
});
