import type Dockerode from "dockerode";
import { runHostCommand } from "./host-command.js";
import { dockerUnreachable, imageBuildFailed } from "./image-build-errors.js";
import type { SpecialDirectory } from "./root-filesystem.js";

const TAR_FAILURE = {
  doing: "packing the root filesystem",
  hint: "check free space in the temporary directory (or pass another workDir) and retry",
  missingHint: "install GNU tar (apt-get install tar)",
};

/**
 * Packs the tree as root's and read-only to others whatever the building user and umask, then
 * appends the special directories with their forced owner and mode. GNU tar: --sort and
 * --owner/--mode on append are not in busybox or BSD tar.
 */
export async function packRootFilesystem(
  rootDir: string,
  tarPath: string,
  specialDirectories: readonly SpecialDirectory[],
): Promise<void> {
  const common = ["--file", tarPath, "--directory", rootDir, "--numeric-owner", "--sort=name"];
  const excludes = specialDirectories.map((directory) => `--exclude=./${directory.path}`);
  await runHostCommand(
    "tar",
    ["--create", ...common, "--owner=0", "--group=0", "--mode=a+rX,go-w", "--anchored", ...excludes, "."],
    TAR_FAILURE,
  );
  for (const directory of specialDirectories) {
    await runHostCommand(
      "tar",
      [
        "--append",
        ...common,
        `--owner=${directory.uid}`,
        `--group=${directory.gid}`,
        `--mode=${directory.mode.toString(8)}`,
        "--no-recursion",
        `./${directory.path}`,
      ],
      TAR_FAILURE,
    );
  }
}

export interface ImportOptions {
  repo: string;
  tag: string;
  /** Dockerfile instructions applied to the image config: CMD, USER, WORKDIR, ENV, LABEL. */
  changes: readonly string[];
  /** Shown by `docker history` as the layer's comment. */
  message: string;
}

/** Engine API `POST /images/create?fromSrc=-`: a tarball becomes a one-layer image. */
export async function importRootFilesystem(
  docker: Dockerode,
  tarPath: string,
  options: ImportOptions,
): Promise<void> {
  let progress: NodeJS.ReadableStream;
  try {
    progress = await docker.importImage(tarPath, {
      repo: options.repo,
      tag: options.tag,
      changes: [...options.changes],
      message: options.message,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) throw dockerUnreachable(error);
    throw importFailed(error);
  }
  // The engine answers 200 at once and reports a failed import inside the progress stream.
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(progress, (error: Error | null) =>
      error ? reject(importFailed(error)) : resolve(),
    );
  });
}

function importFailed(cause: unknown) {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return imageBuildFailed(
    `the Docker engine refused the image import (${reason})`,
    "check the engine's log (journalctl -u docker) and its free disk space, then retry",
    {},
    cause,
  );
}
