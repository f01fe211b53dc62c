import { getPriority } from "node:os";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { BUSY_SAMPLES, CpuGovernor, IDLE_SAMPLES, type SampleSchedule } from "./cpu-governor.js";

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

/** A schedule the test runs by hand: `samples(n)` takes n samples at once, no timer involved. */
function manualSchedule(): { schedule: SampleSchedule; samples: (count: number) => void } {
  let sample: (() => void) | undefined;
  return {
    schedule: (next) => {
      sample = next;
      return () => {
        sample = undefined;
      };
    },
    samples: (count) => {
      for (let index = 0; index < count; index++) sample?.();
    },
  };
}

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
      const { schedule, samples } = manualSchedule();
      const governor = new CpuGovernor({
        tid: started.tid,
        nice: 10,
        utilization: () => utilization,
        onChange: (demoted) => changes.push(demoted),
        schedule,
      });
      governor.start();
      samples(BUSY_SAMPLES - 1);
      expect(governor.demoted).toBe(false);
      samples(1);
      expect(governor.demoted).toBe(true);
      expect(getPriority(started.tid)).toBe(10);
      expect(getPriority(process.pid)).toBe(0);

      utilization = 0.1;
      samples(IDLE_SAMPLES - 1);
      expect(governor.demoted).toBe(true);
      samples(1);
      expect(governor.demoted).toBe(false);
      governor.stop();
      expect(changes).toEqual([true, false]);
      // Raising a priority back needs CAP_SYS_NICE: as root (the test machines) it is restored.
      if (process.getuid?.() === 0) expect(getPriority(started.tid)).toBe(0);
    },
  );

  it.runIf(process.platform === "linux")("leaves a thread alone while its load is mixed", async () => {
    const started = await startThread();
    worker = started.worker;
    const values = [0.95, 0.95, 0.95, 0.6, 0.95, 0.95, 0.95, 0.6, 0.95, 0.95, 0.95];
    const { schedule, samples } = manualSchedule();
    const governor = new CpuGovernor({
      tid: started.tid,
      nice: 10,
      utilization: () => values.shift(),
      onChange: () => {},
      schedule,
    });
    governor.start();
    samples(values.length);
    expect(governor.demoted).toBe(false);
    expect(getPriority(started.tid)).toBe(0);
  });

  it("stops sampling when stopped", () => {
    let sampled = 0;
    const { schedule, samples } = manualSchedule();
    const governor = new CpuGovernor({
      tid: process.pid,
      nice: 10,
      utilization: () => {
        sampled += 1;
        return undefined;
      },
      onChange: () => {},
      schedule,
    });
    governor.start();
    samples(2);
    governor.stop();
    samples(2);
    expect(sampled).toBe(2);
  });
});
