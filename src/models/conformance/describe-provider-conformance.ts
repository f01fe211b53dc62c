import { afterEach, beforeEach, describe } from "vitest";
import { abortAndTimeoutCases } from "./abort-and-timeout-cases.js";
import { errorCases } from "./error-cases.js";
import type { ProviderUnderTest } from "./provider-under-test.js";
import { streamingCases } from "./streaming-cases.js";
import type { SuiteContext } from "./suite-context.js";

/**
 * Declares the conformance cases for one adapter: every case gets a fresh provider under test
 * from `start` (a fake server of its own, for a remote one). Cases that need what an adapter
 * does not have (a server, a length limit) are reported as skipped, not left out.
 */
export function describeProviderConformance(name: string, start: () => Promise<ProviderUnderTest>): void {
  describe(`${name} provider conformance`, () => {
    let current: ProviderUnderTest | undefined;
    const context: SuiteContext = {
      get target() {
        if (!current) throw new Error("the provider under test is not started (used outside a case?)");
        return current;
      },
    };
    beforeEach(async () => {
      current = await start();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    streamingCases(context);
    errorCases(context);
    abortAndTimeoutCases(context);
  });
}
