import WebSocket from "ws";

export interface Frame {
  type: string;
  id?: string;
  ok?: boolean;
  method?: string;
  event?: string;
  payload?: Record<string, unknown>;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

/** A minimal protocol client for tests: raw frames, request/response by id, event capture. */
export class TestWsClient {
  readonly frames: Frame[] = [];
  private nextId = 1;
  private waiters: { match: (frame: Frame) => boolean; resolve: (frame: Frame) => void }[] = [];
  closeInfo: { code: number; reason: string } | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      this.frames.push(frame);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(frame)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(frame);
        }
      }
    });
    socket.on("close", (code, reason) => {
      this.closeInfo = { code, reason: reason.toString() };
    });
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<TestWsClient> {
    const socket = new WebSocket(url.replace(/^http/, "ws"), { headers });
    const client = new TestWsClient(socket);
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    return client;
  }

  /** Opens, answers the challenge with `connect`, and returns the hello-ok payload. */
  static async connect(
    url: string,
    params: Record<string, unknown> = {},
  ): Promise<{ client: TestWsClient; hello: Frame }> {
    const client = await TestWsClient.open(url);
    await client.waitFor((frame) => frame.event === "connect.challenge");
    const hello = await client.request("connect", {
      minProtocol: 3,
      maxProtocol: 4,
      client: { id: "test", version: "1.0.0", platform: "linux", mode: "test" },
      ...params,
    });
    return { client, hello };
  }

  waitFor(match: (frame: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    const existing = this.frames.find(match);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for a frame")), timeoutMs);
      this.waiters.push({
        match,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
  }

  sendRaw(value: unknown): void {
    this.socket.send(typeof value === "string" ? value : JSON.stringify(value));
  }

  request(method: string, params?: unknown, timeoutMs?: number): Promise<Frame> {
    const id = String(this.nextId++);
    this.sendRaw({ type: "req", id, method, params });
    return this.waitFor((frame) => frame.type === "res" && frame.id === id, timeoutMs);
  }

  waitClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    if (this.closeInfo) return Promise.resolve(this.closeInfo);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("socket not closed")), timeoutMs);
      this.socket.once("close", (code, reason) => {
        clearTimeout(timer);
        resolve({ code, reason: reason.toString() });
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}
