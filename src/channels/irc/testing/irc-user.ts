import { createConnection, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";

/** A PRIVMSG the user saw, as the server relayed it. */
export interface ReceivedMessage {
  /** The sender's nick. */
  from: string;
  target: string;
  text: string;
}

/** A person on the test server, on a raw socket so tests see exactly the bytes the server relays. */
export interface IrcUser {
  readonly nick: string;
  say(target: string, text: string): void;
  /** Sends one raw IRC line (CRLF added). */
  sendRaw(line: string): void;
  messages(): ReceivedMessage[];
  /** Every line the server sent, decoded (lossy: use `rawLineBytes` to check encoding). */
  rawLines(): string[];
  /** Every line the server sent, as bytes, CRLF included. */
  rawLineBytes(): Buffer[];
  /** Resolves once `predicate` holds, checked after every line the server sends. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  quit(): Promise<void>;
}

export interface ConnectUserOptions {
  port: number;
  nick: string;
  channels?: string[];
  host?: string;
  password?: string;
  /** Connect with TLS, trusting only `ca` (PEM); `port` is then the server's TLS port. */
  tls?: { ca: string };
}

const DEFAULT_WAIT_MS = 5_000;

export async function connectUser(options: ConnectUserOptions): Promise<IrcUser> {
  const address = { host: options.host ?? "127.0.0.1", port: options.port };
  const socket = options.tls ? connectTls({ ...address, ca: options.tls.ca }) : createConnection(address);
  socket.on("error", () => {});
  const lineBytes: Buffer[] = [];
  const received: ReceivedMessage[] = [];
  const waiters = new Set<() => void>();
  let pending = Buffer.alloc(0);

  socket.on("data", (data: Buffer) => {
    pending = Buffer.concat([pending, data]);
    for (let end = pending.indexOf(0x0a); end !== -1; end = pending.indexOf(0x0a)) {
      const bytes = pending.subarray(0, end + 1);
      pending = pending.subarray(end + 1);
      lineBytes.push(Buffer.from(bytes));
      handleLine(bytes.toString("utf8").replace(/\r?\n$/, ""));
    }
    for (const waiter of [...waiters]) waiter();
  });

  function handleLine(line: string): void {
    if (line.startsWith("PING ")) {
      sendRaw(`PONG ${line.slice(5)}`);
      return;
    }
    const match = /^:([^!\s]+)(?:!\S+)? PRIVMSG (\S+) :(.*)$/.exec(line);
    if (match) received.push({ from: match[1]!, target: match[2]!, text: match[3]! });
  }

  function sendRaw(line: string): void {
    if (!socket.destroyed) socket.write(`${line}\r\n`);
  }

  function waitFor(predicate: () => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        const recent = lineBytes.slice(-10).map((bytes) => bytes.toString("utf8").trimEnd());
        reject(
          new Error(
            `${options.nick}: condition not met within ${timeoutMs} ms; last lines:\n${recent.join("\n")}`,
          ),
        );
      }, timeoutMs);
      waiters.add(check);
    });
  }

  await new Promise<void>((resolve, reject) => {
    socket.once(options.tls ? "secureConnect" : "connect", resolve);
    socket.once("error", reject);
  });
  if (options.password) sendRaw(`PASS ${options.password}`);
  sendRaw(`NICK ${options.nick}`);
  sendRaw(`USER ${options.nick.toLowerCase().slice(0, 9)} 0 * :Test user ${options.nick}`);
  const lines = () => lineBytes.map((bytes) => bytes.toString("utf8").trimEnd());
  await waitFor(() => lines().some((line) => / 001 /.test(line)));
  for (const channel of options.channels ?? []) {
    sendRaw(`JOIN ${channel}`);
    await waitFor(() =>
      lines().some(
        (line) =>
          line.startsWith(`:${options.nick}!`) &&
          line.toLowerCase().endsWith(` join :${channel.toLowerCase()}`),
      ),
    );
  }

  return {
    nick: options.nick,
    say: (target, text) => sendRaw(`PRIVMSG ${target} :${text}`),
    sendRaw,
    messages: () => [...received],
    rawLines: lines,
    rawLineBytes: () => [...lineBytes],
    waitFor,
    quit: () => closeSocket(socket, sendRaw),
  };
}

function closeSocket(socket: Socket, sendRaw: (line: string) => void): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.destroy(), 500);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    sendRaw("QUIT :bye");
    socket.end();
  });
}
