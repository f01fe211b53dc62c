export {
  type AppendHandle,
  AppendOnlyFile,
  type AppendOnlyFileOptions,
  type OpenAppendHandle,
} from "./append-only-file.js";
export {
  type DamagedLine,
  type DamageKind,
  type DamageReport,
  damageReport,
  type JsonLines,
  parseJsonLines,
} from "./jsonl-lines.js";
export { lastLineEnd, repairTornTail, repairTornTailSync, type TailHandle } from "./torn-tail.js";
