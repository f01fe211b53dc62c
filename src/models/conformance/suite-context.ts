import type { ChatMessage } from "../types.js";
import type { ProviderUnderTest } from "./provider-under-test.js";

/** The provider under test of the running case, set up fresh for each case. */
export interface SuiteContext {
  readonly target: ProviderUnderTest;
}

/** A question for a remote provider, whose answer is scripted on its server instead. */
export const HELLO: ChatMessage[] = [{ role: "user", content: "Hello there" }];

/** A tool every case that calls one uses. */
export const WEATHER_TOOL = {
  name: "get_weather",
  description: "Current weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

/**
 * Polls for an effect that follows a stream's end on its own schedule (a socket closing). The
 * bound only matters when the provider is broken; a passing case returns as soon as it holds.
 */
export async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** What a stream rejected with (or a failure when it did not). */
export async function rejectionOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error("expected the stream to fail, but it completed");
}
