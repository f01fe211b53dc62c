import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";

/** One envelope sent over Socket Mode and whether (and when) the client acked it. */
export interface EnvelopeRecord {
  envelopeId: string;
  type: string;
  payload: unknown;
  retryAttempt: number;
  ackedAt: number | undefined;
}

/**
 * Slack's Socket Mode end: a WebSocket server at the URL `apps.connections.open` hands out.
 * It greets with `hello`, sends `events_api` envelopes, records acks (`{ envelope_id }`), and
 * redelivers an envelope left unacked (with `retry_attempt` + 1) when told to or on reconnect.
 */
export class FakeSocketMode {
  readonly envelopes: EnvelopeRecord[] = [];
  /** How many connections were opened, over the fake's life. */
  connectionsOpened = 0;
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #sockets = new Set<WebSocket>();
  readonly #tickets = new Set<string>();
  readonly #onChange: () => void;
  #ticketCounter = 0;
  #envelopeCounter = 0;

  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  /** A fresh one-use ticket for the URL `apps.connections.open` answers with. */
  issueTicket(): string {
    this.#ticketCounter += 1;
    const ticket = `ticket-${this.#ticketCounter}`;
    this.#tickets.add(ticket);
    return ticket;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ticket = new URL(request.url ?? "/", "http://fake").searchParams.get("ticket") ?? "";
    if (!this.#tickets.delete(ticket)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nconnection: close\r\n\r\n");
      return;
    }
    this.#server.handleUpgrade(request, socket, head, (ws) => this.#accept(ws));
  }

  connected(): number {
    return [...this.#sockets].filter((socket) => socket.readyState === socket.OPEN).length;
  }

  /** Sends an `events_api` envelope to every open connection (Slack picks one; tests have one). */
  sendEvent(payload: unknown): EnvelopeRecord {
    this.#envelopeCounter += 1;
    const record: EnvelopeRecord = {
      envelopeId: `env-${this.#envelopeCounter}`,
      type: "events_api",
      payload,
      retryAttempt: 0,
      ackedAt: undefined,
    };
    this.envelopes.push(record);
    this.#transmit(record);
    return record;
  }

  /** Sends again every envelope not acked yet, as Slack does after its ack timeout. */
  redeliverUnacked(): void {
    for (const record of this.envelopes) {
      if (record.ackedAt !== undefined) continue;
      record.retryAttempt += 1;
      this.#transmit(record);
    }
  }

  /** Slack's `disconnect` message (a connection being recycled): the client should reconnect. */
  sendDisconnect(reason = "refresh_requested"): void {
    for (const socket of this.#sockets)
      socket.send(JSON.stringify({ type: "disconnect", reason, debug_info: { host: "fake" } }));
  }

  /** Drops every connection without a close frame, as a network failure would. */
  dropConnections(): void {
    for (const socket of this.#sockets) socket.terminate();
  }

  close(): void {
    for (const socket of this.#sockets) socket.terminate();
    this.#server.close();
  }

  #accept(socket: WebSocket): void {
    this.#sockets.add(socket);
    this.connectionsOpened += 1;
    socket.on("close", () => {
      this.#sockets.delete(socket);
      this.#onChange();
    });
    socket.on("message", (data) => this.#onMessage(data.toString()));
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.#sockets.size,
        debug_info: { host: "fake-socket-mode", approximate_connection_time: 18060 },
        connection_info: { app_id: "A0FAKEAPP" },
      }),
    );
    this.#onChange();
    // A reconnected client gets what it left unacked before this connection.
    const pending = this.envelopes.filter((envelope) => envelope.ackedAt === undefined);
    setTimeout(() => {
      for (const record of pending) {
        if (record.ackedAt !== undefined) continue;
        record.retryAttempt += 1;
        this.#transmit(record);
      }
    }, 50).unref();
  }

  #onMessage(text: string): void {
    let message: { envelope_id?: unknown };
    try {
      message = JSON.parse(text) as { envelope_id?: unknown };
    } catch {
      return;
    }
    const record = this.envelopes.find((envelope) => envelope.envelopeId === message.envelope_id);
    if (record && record.ackedAt === undefined) {
      record.ackedAt = Date.now();
      this.#onChange();
    }
  }

  #transmit(record: EnvelopeRecord): void {
    const frame = JSON.stringify({
      envelope_id: record.envelopeId,
      type: record.type,
      payload: record.payload,
      accepts_response_payload: false,
      retry_attempt: record.retryAttempt,
      retry_reason: record.retryAttempt > 0 ? "timeout" : "",
    });
    for (const socket of this.#sockets) if (socket.readyState === socket.OPEN) socket.send(frame);
  }
}
