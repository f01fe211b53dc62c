import type { Command } from "commander";
import { callGateway } from "./gateway-api.js";
import { formatTable, printJson } from "./output.js";

interface SessionRow {
  key: string;
  agentId?: string;
  messageCount: number;
  updatedAt: number;
  lastMessagePreview?: string;
}

interface EntryRow {
  ts: number;
  role: string;
  content: string;
  runId: string;
  toolName?: string;
  toolCalls?: { toolName?: string; name?: string }[];
}

function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

function printEntries(entries: EntryRow[]): void {
  for (const entry of entries) {
    const who = entry.role === "tool" ? `tool ${entry.toolName ?? ""}`.trim() : entry.role;
    const calls = entry.toolCalls?.length
      ? ` [calls ${entry.toolCalls.map((call) => call.toolName ?? call.name ?? "?").join(", ")}]`
      : "";
    process.stdout.write(`${new Date(entry.ts).toISOString()}  ${who}${calls}\n`);
    if (entry.content) process.stdout.write(`${entry.content.replace(/^/gm, "  ")}\n`);
  }
}

/** `openclaw sessions list | show <key> | delete <key>`: the running gateway's transcripts. */
export function registerSessionsCommands(program: Command): void {
  const sessions = program.command("sessions").description("list, read and delete session transcripts");

  sessions
    .command("list", { isDefault: true })
    .description("every session with a transcript, most recently updated first")
    .option("--agent <id>", "only this agent's sessions")
    .option("--json", "print JSON")
    .action(async (options: { agent?: string; json?: boolean }) => {
      const query = options.agent ? `?agent=${encodeURIComponent(options.agent)}` : "";
      const { sessions: list } = (await callGateway(`/__openclaw__/sessions${query}`, "GET")) as {
        sessions: SessionRow[];
      };
      if (options.json) {
        printJson({ count: list.length, sessions: list });
        return;
      }
      if (list.length === 0) {
        process.stdout.write("no sessions\n");
        return;
      }
      const rows = [["KEY", "AGENT", "MESSAGES", "UPDATED", "LAST MESSAGE"]];
      for (const session of list) {
        rows.push([
          session.key,
          session.agentId ?? "-",
          String(session.messageCount),
          new Date(session.updatedAt).toISOString(),
          oneLine(session.lastMessagePreview ?? "", 60),
        ]);
      }
      process.stdout.write(`${formatTable(rows)}\n`);
    });

  sessions
    .command("show <key>")
    .description("one session's transcript")
    .option("--json", "print JSON")
    .action(async (key: string, options: { json?: boolean }) => {
      const answer = (await callGateway(`/__openclaw__/sessions/${encodeURIComponent(key)}`, "GET")) as {
        key: string;
        entries: EntryRow[];
      };
      if (options.json) printJson(answer);
      else printEntries(answer.entries);
    });

  sessions
    .command("delete <key>")
    .description("delete one session's transcript (the agent forgets the conversation)")
    .option("--yes", "accepted for OpenClaw's scripts: deletion never asks here")
    .action(async (key: string) => {
      await callGateway(`/__openclaw__/sessions/${encodeURIComponent(key)}`, "DELETE");
      process.stdout.write(`deleted session ${key}\n`);
    });
}
