import { describe, expect, it } from "vitest";
import { mapOpenClawFlags } from "./openclaw-flags.js";

describe("mapOpenClawFlags", () => {
  it("takes the inline key of the chosen provider only", () => {
    const flags = { anthropicApiKey: "sk-ant", openaiApiKey: "sk-oai" };
    expect(mapOpenClawFlags(flags, "anthropic").inlineKey).toBe("sk-ant");
    expect(mapOpenClawFlags(flags, "openai").inlineKey).toBe("sk-oai");
    expect(mapOpenClawFlags({ customApiKey: "k" }, "openai-compatible").inlineKey).toBe("k");
    expect(mapOpenClawFlags(flags, "dev").inlineKey).toBeUndefined();
  });

  it("--gateway-password chooses password mode with that password; --gateway-token keeps token mode", () => {
    expect(mapOpenClawFlags({ gatewayPassword: "pw" }, "dev")).toMatchObject({
      auth: "password",
      gatewayCredential: "pw",
    });
    expect(mapOpenClawFlags({ gatewayToken: "tok" }, "dev")).toMatchObject({
      auth: "token",
      gatewayCredential: "tok",
    });
    expect(() => mapOpenClawFlags({ gatewayToken: "t", gatewayPassword: "p" }, "dev")).toThrow(
      expect.objectContaining({ code: "OC_ERR_USAGE" }),
    );
  });

  it("starts nothing with --skip-daemon, or --skip-health without --install-daemon, as OpenClaw", () => {
    expect(mapOpenClawFlags({ skipDaemon: true }, "dev").start).toBe(false);
    expect(mapOpenClawFlags({ skipHealth: true }, "dev").start).toBe(false);
    expect(mapOpenClawFlags({ skipHealth: true, installDaemon: true }, "dev").start).toBeUndefined();
    expect(mapOpenClawFlags({}, "dev").start).toBeUndefined();
  });

  it("names each accepted flag that means nothing here, and refuses remote mode", () => {
    const { notes } = mapOpenClawFlags(
      {
        secretInputMode: "plaintext",
        skipBootstrap: true,
        skipSkills: true,
        daemonRuntime: "node",
        mode: "local",
      },
      "dev",
    );
    expect(notes).toEqual([
      expect.stringContaining("--secret-input-mode plaintext: ignored"),
      "--skip-bootstrap: not supported here; ignored",
      "--skip-skills: not supported here; ignored",
      "--daemon-runtime: not supported here; ignored",
    ]);
    expect(mapOpenClawFlags({ secretInputMode: "ref" }, "dev").notes).toEqual([]);
    expect(() => mapOpenClawFlags({ mode: "remote" }, "dev")).toThrow(
      expect.objectContaining({ code: "OC_ERR_USAGE", message: expect.stringContaining("--mode remote") }),
    );
  });
});
