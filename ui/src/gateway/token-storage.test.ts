import { describe, expect, it } from "vitest";
import { GatewayRequestError } from "./gateway-client.js";
import { describeSignInFailure } from "./sign-in-failure.js";
import { adoptTokenFromFragment, readToken, tokenFromFragment } from "./token-storage.js";

function memoryStorage() {
  const values = new Map<string, string>();
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  };
}

describe("token from the URL fragment", () => {
  it("reads #token=…", () => {
    expect(tokenFromFragment("#token=abc%2Bdef")).toBe("abc+def");
    expect(tokenFromFragment("#other=1")).toBeUndefined();
    expect(tokenFromFragment("")).toBeUndefined();
  });

  it("moves it into session storage and wipes the fragment, keeping path and query", () => {
    const storage = memoryStorage();
    const replaced: string[] = [];
    adoptTokenFromFragment(
      { hash: "#token=secret-1", pathname: "/", search: "?x=1" },
      { replaceState: (_data, _unused, url) => void replaced.push(String(url)) },
      storage,
    );
    expect(readToken(storage)).toBe("secret-1");
    expect(replaced).toEqual(["/?x=1"]);
  });

  it("leaves an unrelated fragment alone", () => {
    const storage = memoryStorage();
    const replaced: string[] = [];
    adoptTokenFromFragment(
      { hash: "#agents", pathname: "/", search: "" },
      { replaceState: (_data, _unused, url) => void replaced.push(String(url)) },
      storage,
    );
    expect(replaced).toEqual([]);
    expect(readToken(storage)).toBeUndefined();
  });
});

describe("sign-in failure wording", () => {
  it("says a refused token was not accepted", () => {
    const error = new GatewayRequestError({
      code: "UNAUTHORIZED",
      message: "invalid token",
      details: { code: "INVALID_TOKEN" },
    });
    expect(describeSignInFailure(error)).toMatch(/^That token was not accepted/);
  });

  it("says when to try again after too many failures", () => {
    const error = new GatewayRequestError({
      code: "UNAVAILABLE",
      message: "rate limited",
      retryAfterMs: 300_000,
    });
    expect(describeSignInFailure(error)).toContain("Try again in 5 minutes");
  });
});
