// The floor under a thread-bound turn: what one postMessage costs the sender when the receiving
// thread sleeps (it must be woken) and when it is already running. A turn message of the size the
// gateway sends; one round trip at a time for the first figure, a burst for the second.
import { Worker } from "node:worker_threads";

const TURN = {
  type: "turn",
  turnId: "cbfcf3a4-f2e4-4cda-95a3-081042ed7acc",
  agentId: "main",
  sessionKey: "agent:main:openai:request:82f56fdd-ea35-46d0-85b3-acec90703a6b",
  messages: [{ role: "user", content: "ping" }],
  depth: 0,
  idleServices: ["mcp"],
};

const ECHO = `
const { parentPort } = require("node:worker_threads");
let count = 0;
parentPort.on("message", (message) => {
  count += 1;
  if (message.reply || count % 1000 === 0) parentPort.postMessage(count);
});`;

export async function measureThreadWake({ roundTrips = 3000, burst = 20000 } = {}) {
  const worker = new Worker(ECHO, { eval: true, env: {} });
  try {
    const next = () => new Promise((resolve) => worker.once("message", resolve));
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Round trips: the worker has gone back to sleep before each post.
    let postMs = 0;
    const cpuBefore = process.cpuUsage();
    const startedAt = performance.now();
    for (let index = 0; index < roundTrips; index++) {
      const answered = next();
      const before = performance.now();
      worker.postMessage({ ...TURN, reply: true });
      postMs += performance.now() - before;
      await answered;
    }
    const wallMs = performance.now() - startedAt;
    const cpu = process.cpuUsage(cpuBefore);
    // A burst: after the first post the worker is awake and draining.
    const drained = new Promise((resolve) => {
      const onMessage = (count) => {
        if (count >= roundTrips + burst) {
          worker.off("message", onMessage);
          resolve();
        }
      };
      worker.on("message", onMessage);
    });
    const burstStart = performance.now();
    for (let index = 0; index < burst; index++) worker.postMessage(TURN);
    const burstMs = performance.now() - burstStart;
    await drained;
    return {
      sleepingPostUs: (postMs * 1000) / roundTrips,
      roundTripUs: (wallMs * 1000) / roundTrips,
      roundTripMainCpuUs: (cpu.user + cpu.system) / roundTrips,
      awakePostUs: (burstMs * 1000) / burst,
    };
  } finally {
    await worker.terminate();
  }
}
