import { describe, expect, it } from "vitest";
import { configuredAccounts, secretNamesOf, settingsFingerprint } from "./channel-platform.js";

interface Account {
  enabled?: boolean;
  botToken?: string;
}
interface Root extends Account {
  dmPolicy?: string;
  accounts?: Record<string, Account>;
}

describe("configuredAccounts", () => {
  const hasToken = (root: { botToken?: unknown }) => root.botToken !== undefined;
  const accountsOf = (root: Root) => configuredAccounts<Account, Root>(root, hasToken);

  it("makes the root the default account when it has its own credential, plus each named one", () => {
    const accounts = accountsOf({
      botToken: "a",
      dmPolicy: "open",
      accounts: { work: { botToken: "b" }, off: { botToken: "c", enabled: false } },
    });
    expect(accounts.map((entry) => entry.accountId)).toEqual(["default", "work"]);
    expect(accounts[1]?.root).toEqual({ botToken: "a", dmPolicy: "open" });
  });

  it("lets accounts.default stand for the root, and a disabled channel ask for none", () => {
    expect(
      accountsOf({ botToken: "a", accounts: { default: { botToken: "b" } } }).map((entry) => entry.account),
    ).toEqual([{ botToken: "b" }]);
    expect(accountsOf({ enabled: false, botToken: "a" })).toEqual([]);
    expect(accountsOf({ dmPolicy: "open" })).toEqual([]);
  });
});

describe("settingsFingerprint", () => {
  it("changes with a setting or an inline token, not with a policy, and never holds the token", () => {
    const base = { botToken: "123:secret-token-value", apiRoot: "https://a", allowFrom: ["1"] };
    const fingerprint = settingsFingerprint(base, ["botToken"]);
    expect(fingerprint).not.toContain("secret-token-value");
    expect(settingsFingerprint({ ...base, allowFrom: ["2"], groups: { "*": {} } }, ["botToken"])).toBe(
      fingerprint,
    );
    expect(settingsFingerprint({ ...base, apiRoot: "https://b" }, ["botToken"])).not.toBe(fingerprint);
    expect(settingsFingerprint({ ...base, botToken: "123:other" }, ["botToken"])).not.toBe(fingerprint);
    const nested = settingsFingerprint({ sasl: { account: "bot", password: "hunter2" } }, ["sasl.password"]);
    expect(nested).not.toContain("hunter2");
    expect(nested).toContain('"account":"bot"');
  });

  it("names the secrets credential fields reference", () => {
    expect(secretNamesOf({ $secret: "tg" }, "inline", undefined, { $secret: "wh" })).toEqual(["tg", "wh"]);
  });
});
