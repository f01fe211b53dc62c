import { readdir, readFile } from "node:fs/promises";

/** Host processes whose argv has `argument`, zombies aside: what a confined call left running. */
export async function hostProcessesWith(argument: string): Promise<number> {
  let count = 0;
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, "utf8").catch(() => "");
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    if (cmdline.split("\0").includes(argument) && stat !== "" && !/\) Z /.test(stat)) count += 1;
  }
  return count;
}
