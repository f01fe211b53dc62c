/** One line of a hunk: kept (` `), removed (`-`) or added (`+`). */
export interface HunkLine {
  kind: "context" | "remove" | "add";
  text: string;
}

/** An `@@` section of an `*** Update File:`: lines to find (context and removed) and their replacement. */
export interface Hunk {
  /** The text after `@@`: a line that comes before the change, to find it among repeats. */
  anchor?: string;
  lines: HunkLine[];
  /** Ended by `*** End of File`: the hunk's old lines must be the file's last lines. */
  endOfFile: boolean;
}

export type PatchOperation =
  | { kind: "add"; path: string; lines: string[] }
  | { kind: "delete"; path: string }
  | { kind: "update"; path: string; moveTo?: string; hunks: Hunk[] };
