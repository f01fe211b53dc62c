import { describe, expect, it } from "vitest";
import { ircFoldCase } from "./irc-casemapping.js";
import { detectIrcMention } from "./irc-mention.js";

describe("detectIrcMention", () => {
  it.each([
    ["openclaw: status?", true, "status?"],
    ["OpenClaw, status?", true, "status?"],
    ["@openclaw status?", true, "status?"],
    ["  @OPENCLAW: status?", true, "status?"],
    ["hey openclaw what's up", true, "hey openclaw what's up"],
    ["ask @openclaw later", true, "ask @openclaw later"],
    ["openclawbot is someone else", false, "openclawbot is someone else"],
    ["myopenclaw: no", false, "myopenclaw: no"],
    ["nothing to see", false, "nothing to see"],
  ])("%j → mentioned %s", (text, mentioned, stripped) => {
    expect(detectIrcMention(text, "openclaw", "ascii")).toEqual({ mentioned, text: stripped });
  });

  it("folds case under rfc1459, where [ and { are the same letter", () => {
    expect(detectIrcMention("{bot}: hi", "[Bot]", "rfc1459")).toEqual({ mentioned: true, text: "hi" });
    expect(detectIrcMention("{bot}: hi", "[Bot]", "ascii").mentioned).toBe(false);
  });

  it("treats nick specials literally, not as a pattern", () => {
    expect(detectIrcMention("a|b hello", "a|b", "ascii").mentioned).toBe(true);
    expect(detectIrcMention("a hello", "a|b", "ascii").mentioned).toBe(false);
  });
});

describe("ircFoldCase", () => {
  it("folds only ASCII, so lengths never change", () => {
    expect(ircFoldCase("#Ops[Ü]~", "rfc1459")).toBe("#ops{Ü}^");
    expect(ircFoldCase("İ", "ascii")).toBe("İ");
  });
});
