import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateSelfSignedCertificate } from "../../auth/self-signed.js";
import { isOpenClawError } from "../../errors.js";
import { createIrcAccount, type IrcAccountOptions } from "./index.js";
import { connectUser, type IrcUser } from "./testing/irc-user.js";
import { type NgircdServer, startNgircd } from "./testing/ngircd-server.js";
import { recordingSink } from "./testing/recording-sink.js";

let server: NgircdServer;
let tlsPort: number;
let certificatePem: string;
const cleanups: Array<() => Promise<void>> = [];
let nickCounter = 0;

beforeAll(async () => {
  server = await startNgircd({ tls: true });
  tlsPort = server.tlsPort!;
  certificatePem = server.certificatePem!;
});
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function uniqueNick(base: string): string {
  nickCounter += 1;
  return `${base}${nickCounter}`;
}

function tlsAccount(overrides: Partial<IrcAccountOptions> = {}) {
  const account = createIrcAccount({
    accountId: "default",
    host: "127.0.0.1",
    port: tlsPort,
    tls: true,
    nick: uniqueNick("claw"),
    channels: [],
    flood: { burst: 50, intervalMs: 10 },
    connectTimeoutMs: 3_000,
    ...overrides,
  });
  cleanups.push(() => account.stop());
  return account;
}

async function tlsUser(nick: string): Promise<IrcUser> {
  const user = await connectUser({ port: tlsPort, nick: uniqueNick(nick), tls: { ca: certificatePem } });
  cleanups.push(() => user.quit());
  return user;
}

async function startError(overrides: Partial<IrcAccountOptions>): Promise<unknown> {
  return tlsAccount(overrides)
    .start(recordingSink())
    .then(
      () => undefined,
      (reason: unknown) => reason,
    );
}

/** What ngircd says in WHOIS (275) about a client on its TLS port. */
async function connectedViaTls(observer: IrcUser, nick: string): Promise<boolean> {
  observer.sendRaw(`WHOIS ${nick}`);
  const end = (line: string) => / 318 /.test(line) && line.includes(` ${nick} `);
  await observer.waitFor(() => observer.rawLines().some(end));
  const reply = observer.rawLines().slice(observer.rawLines().findLastIndex((line) => / 311 /.test(line)));
  return reply.some((line) => / 275 \S+ /.test(line) && line.includes(` ${nick} :is connected via SSL`));
}

describe("IRC account over TLS against ngircd", () => {
  it("connects when it trusts the server's certificate as its CA", async () => {
    const account = tlsAccount({ ca: certificatePem });
    const identity = await account.start(recordingSink());
    const alice = await tlsUser("alice");
    expect(await connectedViaTls(alice, identity.id)).toBe(true);
    const plain = await connectUser({ port: server.port, nick: uniqueNick("plain") });
    cleanups.push(() => plain.quit());
    expect(await connectedViaTls(alice, plain.nick)).toBe(false);
  });

  it("refuses the self-signed certificate under default verification, saying so", async () => {
    const error = await startError({});
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_CHANNEL_CONNECT");
    expect((error as Error).message).toMatch(/TLS certificate was refused/);
    expect((error as Error).message).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT/);
  });

  it("refuses the certificate when `ca` names another certificate or the host does not match", async () => {
    const other = generateSelfSignedCertificate({
      commonName: "127.0.0.1",
      altNames: ["127.0.0.1"],
      days: 1,
    });
    for (const overrides of [
      { ca: other.certPem },
      // Trusted, but issued for 127.0.0.1 only.
      { ca: certificatePem, host: "localhost" },
    ]) {
      const error = await startError(overrides);
      expect(isOpenClawError(error) && error.code).toBe("OC_ERR_CHANNEL_CONNECT");
      expect((error as Error).message).toMatch(/TLS certificate was refused/);
    }
  });

  it("connects with verification turned off", async () => {
    const account = tlsAccount({ rejectUnauthorized: false });
    const identity = await account.start(recordingSink());
    expect(await connectedViaTls(await tlsUser("alice"), identity.id)).toBe(true);
  });

  it("receives a direct message and replies, both over TLS", async () => {
    const account = tlsAccount({ ca: certificatePem });
    const sink = recordingSink();
    const { id: nick } = await account.start(sink);
    const alice = await tlsUser("alice");
    alice.say(nick, "hello over tls");
    await sink.waitFor(() => sink.messages.length === 1);
    expect(sink.messages[0]).toMatchObject({
      peer: { kind: "direct", id: alice.nick },
      text: "hello over tls",
    });

    await account.send({ peer: { kind: "direct", id: alice.nick } }, "**hi** back");
    await alice.waitFor(() => alice.messages().length === 1);
    expect(alice.messages()).toEqual([{ from: nick, target: alice.nick, text: "hi back" }]);
  });
});
