import { cliPaths, type GlobalOptions } from "./cli-context.js";
import { reportError } from "./output.js";

/**
 * The local read-only commands scripts and people run most, recognised without commander: loading
 * it costs ≈ 10-25 ms (it loads node:child_process, and with it net, dgram and streams, for
 * executable subcommands we do not have), a fifth of what `gateway status` takes. Only argv of an
 * exact shape is taken here, one commander would parse the same way with nothing to judge (no
 * help, no unknown option, no excess argument); anything else goes to commander as before, so
 * errors and help stay commander's. The actions are the ones commander runs (gateway-status.ts,
 * gateway-token.ts, config-get.ts).
 */
export type FastCommand =
  | { verb: "gateway status"; json: boolean; options: GlobalOptions }
  | { verb: "gateway token"; options: GlobalOptions }
  | { verb: "config get"; path: string | undefined; options: GlobalOptions };

const isPlainArgument = (arg: string | undefined): arg is string => arg !== undefined && !arg.startsWith("-");

/** The fast command `args` (argv without node and script) asks for, else undefined (commander's). */
export function parseFastCommand(args: readonly string[]): FastCommand | undefined {
  let rest = args;
  const options: GlobalOptions = {};
  // `--config <path>` before the command, the form help shows; other placements go to commander.
  if (rest[0] === "--config") {
    if (!isPlainArgument(rest[1])) return undefined;
    options.config = rest[1];
    rest = rest.slice(2);
  }
  const [first, second, ...more] = rest;
  if (first === "gateway" && second === "status") {
    if (more.length === 0) return { verb: "gateway status", json: false, options };
    if (more.length === 1 && more[0] === "--json") return { verb: "gateway status", json: true, options };
    return undefined;
  }
  if (first === "gateway" && second === "token" && more.length === 0)
    return { verb: "gateway token", options };
  if (first === "config" && second === "get") {
    if (more.length === 0) return { verb: "config get", path: undefined, options };
    if (more.length === 1 && isPlainArgument(more[0])) return { verb: "config get", path: more[0], options };
  }
  return undefined;
}

/** Runs `command` as its commander action would; returns the exit code main() would. */
export async function runFastCommand(command: FastCommand): Promise<number> {
  try {
    switch (command.verb) {
      case "gateway status": {
        const { printStatus } = await import("./gateway-status.js");
        return await printStatus(cliPaths(command.options), command.json);
      }
      case "gateway token": {
        const { gatewayToken } = await import("./gateway-token.js");
        process.stdout.write(`${await gatewayToken(cliPaths(command.options))}\n`);
        return 0;
      }
      case "config get": {
        const { printConfigValue } = await import("./config-get.js");
        await printConfigValue(command.options, command.path);
        return 0;
      }
    }
  } catch (error) {
    return reportError(error);
  }
}
