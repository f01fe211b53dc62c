import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import type { FakeDiscordState, FakeDispatch } from "./fake-discord-state.js";

const INTENT_GUILDS = 1 << 0;
const INTENT_GUILD_MESSAGES = 1 << 9;
const INTENT_DIRECT_MESSAGES = 1 << 12;
const INTENT_MESSAGE_CONTENT = 1 << 15;
/** The bits Discord's intents use (0–25): anything else is 4013. */
const KNOWN_INTENTS = (1 << 26) - 1;
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | INTENT_MESSAGE_CONTENT;

/** Events a session keeps for a RESUME to replay (Discord keeps a few minutes' worth). */
const REPLAY_LIMIT = 1000;

interface Session {
  id: string;
  intents: number;
  seq: number;
  /** Sent dispatches by sequence, for replay. */
  sent: { s: number; payload: string }[];
  socket: WebSocket | undefined;
}

/** One gateway connection, as a test sees it. */
export interface ConnectionEntry {
  /** `/` for the gateway URL, `/resume` for the resume URL READY gave. */
  path: string;
  query: Record<string, string>;
  /** The ops the client sent, in order. */
  ops: number[];
  identify?: { intents: number; shard?: unknown };
  resume?: { sessionId: string; seq: number };
  closedWith?: number;
}

export interface FakeGatewayOptions {
  token(): string;
  heartbeatIntervalMs: number;
  /** Whether the bot may have Message Content (the Developer Portal switch); else IDENTIFY with it gets 4014. */
  messageContentAllowed: boolean;
}

/**
 * Discord's gateway on a WebSocket (the `ws` package), JSON encoding, no compression: HELLO
 * (op 10), IDENTIFY (op 2: token and intents checked) → READY with `session_id` and
 * `resume_gateway_url`, heartbeats (op 1) answered with ACK (op 11), dispatches (op 0) with
 * increasing sequence numbers and filtered by intent, RESUME (op 6) → the missed events
 * replayed then RESUMED, or INVALID_SESSION (op 9) when the session is gone.
 */
export class FakeDiscordGateway {
  readonly #state: FakeDiscordState;
  readonly #options: FakeGatewayOptions;
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #sessions = new Map<string, Session>();
  readonly connections: ConnectionEntry[] = [];
  #baseUrl = "";
  #acking = true;
  #refusing = false;

  constructor(state: FakeDiscordState, options: FakeGatewayOptions) {
    this.#state = state;
    this.#options = options;
  }

  set baseUrl(url: string) {
    this.#baseUrl = url;
  }

  get url(): string {
    return this.#baseUrl;
  }

  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.#refusing) {
      socket.destroy();
      return;
    }
    this.#server.handleUpgrade(request, socket, head, (ws) => this.#accept(ws, request));
  }

  /** Sends an event to every session (dropped ones keep it for their RESUME), filtered by intent. */
  dispatch(event: FakeDispatch): void {
    for (const session of this.#sessions.values()) {
      const data = visibleData(event, session.intents, this.#state.bot.id);
      if (data !== undefined) this.#send(session, event.t, data);
    }
  }

  /** Closes every connection abnormally (no close frame, code 1006 at the client); sessions stay resumable. */
  dropConnections(): void {
    for (const client of this.#server.clients) client.terminate();
    for (const session of this.#sessions.values()) session.socket = undefined;
  }

  /** Closes every connection with `code` (4004 after a token reset) and forgets the sessions. */
  closeAll(code: number, reason: string): void {
    for (const client of this.#server.clients) client.close(code, reason);
    this.#sessions.clear();
  }

  /** Forgets the sessions: the next RESUME gets INVALID_SESSION and must IDENTIFY again. */
  invalidateSessions(): void {
    this.#sessions.clear();
  }

  /** Stops answering heartbeats, so the client sees a zombie connection. */
  setAcking(acking: boolean): void {
    this.#acking = acking;
  }

  /** Refuses new connections (the socket is cut before the WebSocket handshake), as an outage would. */
  setRefusing(refusing: boolean): void {
    this.#refusing = refusing;
  }

  openSockets(): number {
    return [...this.#sessions.values()].filter((session) => session.socket !== undefined).length;
  }

  async close(): Promise<void> {
    for (const client of this.#server.clients) client.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(ws: WebSocket, request: IncomingMessage): void {
    const url = new URL(request.url ?? "/", "ws://fake");
    const entry: ConnectionEntry = {
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ops: [],
    };
    this.connections.push(entry);
    this.#state.changed();
    ws.on("close", (code) => {
      entry.closedWith = code;
      for (const session of this.#sessions.values()) if (session.socket === ws) session.socket = undefined;
      this.#state.changed();
    });
    if (entry.query.v !== "10" || (entry.query.encoding ?? "json") !== "json" || entry.query.compress) {
      ws.close(4012, "Invalid API version (the fake speaks v10 JSON, uncompressed)");
      return;
    }
    let session: Session | undefined;
    ws.send(
      JSON.stringify({
        op: 10,
        d: { heartbeat_interval: this.#options.heartbeatIntervalMs },
        s: null,
        t: null,
      }),
    );
    ws.on("message", (raw: RawData) => {
      let payload: { op?: number; d?: Record<string, unknown> | number | null };
      try {
        payload = JSON.parse(raw.toString()) as typeof payload;
      } catch {
        ws.close(4002, "Error while decoding payload.");
        return;
      }
      entry.ops.push(payload.op ?? -1);
      this.#state.changed();
      switch (payload.op) {
        case 1:
          if (this.#acking) ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
          return;
        case 2: {
          if (session) return ws.close(4005, "Already authenticated.");
          const d = (payload.d ?? {}) as { token?: string; intents?: number; shard?: unknown };
          entry.identify = { intents: Number(d.intents), shard: d.shard };
          if (d.token !== this.#options.token()) return ws.close(4004, "Authentication failed.");
          const intents = Number(d.intents);
          if (!Number.isInteger(intents) || (intents & ~KNOWN_INTENTS) !== 0)
            return ws.close(4013, "Invalid intent(s).");
          if (
            (intents &
              PRIVILEGED_INTENTS &
              ~(this.#options.messageContentAllowed ? INTENT_MESSAGE_CONTENT : 0)) !==
            0
          )
            return ws.close(4014, "Disallowed intent(s).");
          session = { id: randomBytes(16).toString("hex"), intents, seq: 0, sent: [], socket: ws };
          this.#sessions.set(session.id, session);
          this.#ready(session);
          return;
        }
        case 6: {
          const d = (payload.d ?? {}) as { token?: string; session_id?: string; seq?: number };
          entry.resume = { sessionId: String(d.session_id), seq: Number(d.seq) };
          if (d.token !== this.#options.token()) return ws.close(4004, "Authentication failed.");
          const resumed = this.#sessions.get(String(d.session_id));
          if (!resumed) {
            ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
            return;
          }
          resumed.socket?.terminate();
          resumed.socket = ws;
          session = resumed;
          for (const missed of resumed.sent) if (missed.s > Number(d.seq)) ws.send(missed.payload);
          this.#send(resumed, "RESUMED", {});
          return;
        }
        default:
          if (!session) ws.close(4003, "Not authenticated.");
          else ws.close(4001, "Unknown opcode.");
      }
    });
  }

  #ready(session: Session): void {
    const state = this.#state;
    this.#send(session, "READY", {
      v: 10,
      user: { ...state.userPayload(state.bot), bot: true, verified: true },
      guilds: [...state.guilds.values()].map((guild) => ({ id: guild.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: `${this.#baseUrl}/resume`,
      shard: [0, 1],
      application: { id: state.bot.id, flags: 0 },
      private_channels: [],
      user_settings: {},
      session_type: "normal",
    });
    if ((session.intents & INTENT_GUILDS) !== 0)
      for (const guild of state.guilds.values())
        this.#send(session, "GUILD_CREATE", state.guildCreatePayload(guild));
  }

  #send(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const payload = JSON.stringify({ op: 0, s: session.seq, t, d });
    session.sent.push({ s: session.seq, payload });
    if (session.sent.length > REPLAY_LIMIT) session.sent.shift();
    session.socket?.send(payload);
  }
}

/**
 * An event as a session with `intents` gets it, or undefined when it gets none: guild messages
 * need GUILD_MESSAGES, DMs DIRECT_MESSAGES, guild and thread events GUILDS; without
 * MESSAGE_CONTENT a guild message that does not mention the bot comes with its content emptied.
 */
function visibleData(event: FakeDispatch, intents: number, botId: string): unknown {
  if (event.t.startsWith("GUILD_") || event.t.startsWith("THREAD_"))
    return (intents & INTENT_GUILDS) !== 0 ? event.d : undefined;
  if (event.t !== "MESSAGE_CREATE") return event.d;
  const message = event.d as { guild_id?: string; author: { id: string }; mentions?: { id: string }[] };
  if (message.guild_id === undefined) return (intents & INTENT_DIRECT_MESSAGES) !== 0 ? event.d : undefined;
  if ((intents & INTENT_GUILD_MESSAGES) === 0) return undefined;
  const addressed = message.author.id === botId || (message.mentions ?? []).some((user) => user.id === botId);
  if ((intents & INTENT_MESSAGE_CONTENT) !== 0 || addressed) return event.d;
  return { ...message, content: "", embeds: [], attachments: [], components: [] };
}
