import { describe, expect, it } from "vitest";
import { AccountStartGuard } from "./account-start-guard.js";

describe("AccountStartGuard", () => {
  it("says a start is in flight until it ends, and hands back its result", async () => {
    const guard = new AccountStartGuard();
    let finish: (value: string) => void = () => {};
    const started = guard.start(() => new Promise<string>((resolve) => (finish = resolve)));
    expect(guard.starting).toBe(true);
    finish("identity");
    await expect(started).resolves.toBe("identity");
    expect(guard.starting).toBe(false);
  });

  it("lets a stop wait for a start in flight, even one that fails", async () => {
    const guard = new AccountStartGuard();
    let fail: (error: Error) => void = () => {};
    const started = guard.start(() => new Promise<never>((_, reject) => (fail = reject)));
    let settled = false;
    const stopping = guard.settled().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    fail(new Error("refused"));
    await expect(started).rejects.toThrow("refused");
    await stopping;
    expect([settled, guard.starting]).toEqual([true, false]);
  });

  it("settles at once when nothing is starting", async () => {
    await expect(new AccountStartGuard().settled()).resolves.toBeUndefined();
  });
});
