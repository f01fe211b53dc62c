import { describe, expect, it } from "vitest";
import { isOpenClawError } from "../../errors.js";
import { resolveDiscordTarget } from "./discord-target.js";

describe("discord targets", () => {
  it("reads OpenClaw's channel:, user: and mention forms", () => {
    expect(resolveDiscordTarget("channel:123")).toEqual({ peer: { kind: "channel", id: "123" } });
    expect(resolveDiscordTarget("user:456")).toEqual({ peer: { kind: "direct", id: "456" } });
    expect(resolveDiscordTarget("<#123>")).toEqual({ peer: { kind: "channel", id: "123" } });
    expect(resolveDiscordTarget("<@!456>")).toEqual({ peer: { kind: "direct", id: "456" } });
    expect(resolveDiscordTarget("discord:channel:123", "789")).toEqual({
      peer: { kind: "channel", id: "123" },
      threadId: "789",
    });
  });

  it("takes a bare id as a user (how an approved pairing is told)", () => {
    expect(resolveDiscordTarget(" 456 ")).toEqual({ peer: { kind: "direct", id: "456" } });
  });

  it("refuses what is not a snowflake, with the forms in the hint", () => {
    for (const raw of ["#general", "channel:", "user:bob", ""]) {
      let error: unknown;
      try {
        resolveDiscordTarget(raw);
      } catch (thrown) {
        error = thrown;
      }
      expect(isOpenClawError(error) && error.code).toBe("OC_ERR_BAD_REQUEST");
      expect(isOpenClawError(error) && error.hint).toContain("channel:<channel id>");
    }
  });
});
