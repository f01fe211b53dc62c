import { describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { collectStream } from "../testing/collect-stream.js";
import type { RemoteProvider } from "./provider-under-test.js";
import { HELLO, rejectionOf, type SuiteContext } from "./suite-context.js";

/**
 * The provider's failures as the gateway reports them: a typed code (a refused key is the
 * operator's to fix, anything else is the provider's), HTTP 502 whatever the provider said
 * (its 401 passed on as ours would tell a client that its gateway token is wrong), the
 * provider's message without the key in it, and no retry (retrying is the runtime's decision).
 */
export function errorCases(context: SuiteContext): void {
  const remoteOf = (test: { skip(): void }): RemoteProvider => {
    const remote = context.target.remote;
    if (!remote) test.skip();
    return remote as RemoteProvider;
  };
  const failureOf = async (apiKey?: string) =>
    (await rejectionOf(
      collectStream(context.target.create(apiKey ? { apiKey } : {}).stream({ messages: HELLO, tools: [] })),
    )) as OpenClawError;

  /** What holds for every failure: the status, the code's registry entry, and no key anywhere. */
  const expectGatewayFailure = (error: OpenClawError, key: string) => {
    expect(error).toBeInstanceOf(OpenClawError);
    expect(error.spec.status).toBe(502);
    expect(error.details?.status).toBeUndefined();
    const everything = JSON.stringify({ ...error, message: error.message, hint: error.hint });
    expect(everything).not.toContain(key);
  };

  describe("when the provider refuses the key", () => {
    it.for([401, 403])(
      "turns its %i into OC_ERR_PROVIDER_AUTH, naming the key to check",
      async (status, test) => {
        const remote = remoteOf(test);
        remote.scriptHttpError(status, `key ${remote.apiKey} is not allowed here`);
        const error = await failureOf();

        expectGatewayFailure(error, remote.apiKey);
        const name = context.target.providerName;
        expect(error.code).toBe("OC_ERR_PROVIDER_AUTH");
        expect(error.message).toBe(
          `${name} refused the gateway's key for it (${status}): key [redacted] is not allowed here`,
        );
        expect(error.hint).toContain(`models.providers.${name}.apiKey`);
        expect(error.details?.providerStatus).toBe(status);
        expect(remote.requests()).toHaveLength(1);
      },
    );

    it("reports a wrong key as OC_ERR_PROVIDER_AUTH without the key", async (test) => {
      const remote = remoteOf(test);
      const wrongKey = "sk-wrong-key-0000111122223333";
      const error = await failureOf(wrongKey);

      expectGatewayFailure(error, wrongKey);
      expect(error.code).toBe("OC_ERR_PROVIDER_AUTH");
      expect(remote.requests()).toHaveLength(1);
    });
  });

  describe("when the provider fails otherwise", () => {
    it.for([400, 404, 429, 500, 503])("turns its %i into OC_ERR_MODEL_PROVIDER", async (status, test) => {
      const remote = remoteOf(test);
      remote.scriptHttpError(status, `failed for ${remote.apiKey}, try later`);
      const error = await failureOf();

      expectGatewayFailure(error, remote.apiKey);
      expect(error.code).toBe("OC_ERR_MODEL_PROVIDER");
      expect(error.message).toBe(
        `${context.target.providerName} answered ${status}: failed for [redacted], try later`,
      );
      expect(error.details?.providerStatus).toBe(status);
      expect(remote.requests()).toHaveLength(1);
    });

    it("turns an error event in the middle of the stream into OC_ERR_MODEL_PROVIDER", async (test) => {
      const remote = remoteOf(test);
      remote.scriptStreamError("Partial answer", `overloaded while serving ${remote.apiKey}`);
      const error = await failureOf();

      expectGatewayFailure(error, remote.apiKey);
      expect(error.code).toBe("OC_ERR_MODEL_PROVIDER");
      expect(error.message).toContain("overloaded while serving [redacted]");
    });

    it("says the provider could not be reached when nothing listens at its baseUrl", async (test) => {
      const remote = remoteOf(test);
      await remote.stopServer();
      const error = await failureOf();

      expectGatewayFailure(error, remote.apiKey);
      expect(error.code).toBe("OC_ERR_MODEL_PROVIDER");
      expect(error.message).toMatch(new RegExp(`^${context.target.providerName} could not be reached: `));
      expect(error.hint).toContain(remote.baseUrl);
    });
  });
}
