import { getPriority } from "node:os";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { CpuGovernor } from "./cpu-governor.js";

/** A real worker thread that reports its kernel TID and then idles. */
async function startThread(): Promise<{ worker: Worker; tid: number }> {
  const worker = new Worker(
    `const { parentPort } = require("node:worker_threads");
     const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").at(-1));
     parentPort.postMessage(tid);
     setInterval(() => {}, 1000);`,
    { eval: true },
  );
  const tid = await new Promise<number>((resolve) => worker.once("message", resolve));
  return { worker, tid };
}

const until = async (check: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe("CpuGovernor", () => {
  let worker: Worker | undefined;
  afterEach(() => worker?.terminate());

  it.runIf(process.platform === "linux")(
    "lowers a busy thread's priority, only that thread's, and restores it once idle",
    async () => {
      const started = await startThread();
      worker = started.worker;
      let utilization = 0.95;
      const changes: boolean[] = [];
      const governor = new CpuGovernor(
        started.tid,
        10,
        () => utilization,
        (demoted) => changes.push(demoted),
        10,
      );
      governor.start();
      await until(() => governor.demoted);
      expect(governor.demoted).toBe(true);
      expect(getPriority(started.tid)).toBe(10);
      expect(getPriority(process.pid)).toBe(0);

      utilization = 0.1;
      await until(() => !governor.demoted);
      governor.stop();
      expect(changes).toEqual([true, false]);
      // Raising a priority back needs CAP_SYS_NICE: as root (the test machines) it is restored.
      if (process.getuid?.() === 0) expect(getPriority(started.tid)).toBe(0);
    },
  );

  it.runIf(process.platform === "linux")("leaves a thread alone while its load is mixed", async () => {
    const started = await startThread();
    worker = started.worker;
    const values = [0.95, 0.6, 0.95, 0.6, 0.95, 0.6, 0.95, 0.6];
    const governor = new CpuGovernor(
      started.tid,
      10,
      () => values.shift(),
      () => {},
      5,
    );
    governor.start();
    await new Promise((resolve) => setTimeout(resolve, 80));
    governor.stop();
    expect(governor.demoted).toBe(false);
    expect(getPriority(started.tid)).toBe(0);
  });
});
