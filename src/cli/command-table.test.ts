import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { COMMAND_TABLE, requestedCommandName } from "./command-table.js";

describe("the CLI's command table", () => {
  it.each(COMMAND_TABLE.map((entry) => [entry.name, entry]))(
    "%s: its module registers exactly that command, with the description --help lists",
    async (_name, entry) => {
      const program = new Command("openclaw");
      await entry.register(program, () => {});
      expect(program.commands.map((command) => [command.name(), command.description()])).toEqual([
        [entry.name, entry.description],
      ]);
    },
  );

  it("names each command once", () => {
    const names = COMMAND_TABLE.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("finds the requested command past global options and through `help`", () => {
    expect(requestedCommandName([])).toBeUndefined();
    expect(requestedCommandName(["--help"])).toBeUndefined();
    expect(requestedCommandName(["status"])).toBe("status");
    expect(requestedCommandName(["--config", "status", "gateway", "run"])).toBe("gateway");
    expect(requestedCommandName(["--config=x.json", "config", "validate"])).toBe("config");
    expect(requestedCommandName(["help", "secrets"])).toBe("secrets");
    expect(requestedCommandName(["help"])).toBeUndefined();
  });
});
