import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Dockerode from "dockerode";
import { isOpenClawError, type OpenClawError } from "../../errors.js";
import {
  describeDebianPackage,
  downloadDebianPackages,
  extractDebianPackage,
  hostDebianArchitecture,
  SANDBOX_DEBIAN_PACKAGES,
} from "./debian-packages.js";
import { dockerUnreachable, imageBuildFailed, invalidImageTag } from "./image-build-errors.js";
import { importRootFilesystem, packRootFilesystem } from "./image-import.js";
import {
  bundleCaCertificates,
  linkBusyboxApplets,
  SANDBOX_USER,
  SPECIAL_DIRECTORIES,
  writeSystemFiles,
} from "./root-filesystem.js";

export const DEFAULT_SANDBOX_IMAGE_REPO = "openclaw-sandbox";
/** Every image this builds carries it, so that `openclaw sandbox` can tell its own images apart. */
export const SANDBOX_IMAGE_LABEL = "org.openclaw.sandbox";

export interface BuildSandboxImageOptions {
  docker: Dockerode;
  /** repository:tag, e.g. openclaw-sandbox:0.1.0; the tag defaults to latest. */
  tag: string;
  /** Where the temporary build directory is made; the system's temp dir by default. */
  workDir?: string;
  log?: (line: string) => void;
}

export interface SandboxImageBuild {
  tag: string;
  imageId: string;
  sizeBytes: number;
  durationMs: number;
  /** The Debian packages inside, as `name=version`. */
  packages: string[];
}

const REPOSITORY_PATTERN =
  /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Splits `repo:tag` the way Docker does: a colon before the last slash belongs to a registry port. */
export function parseImageTag(reference: string): { repo: string; tag: string } {
  const colon = reference.lastIndexOf(":");
  const hasTag = colon > reference.lastIndexOf("/");
  const repo = hasTag ? reference.slice(0, colon) : reference;
  const tag = hasTag ? reference.slice(colon + 1) : "latest";
  if (!REPOSITORY_PATTERN.test(repo) || !TAG_PATTERN.test(tag)) throw invalidImageTag(reference);
  return { repo, tag };
}

/** Docker reports Go architecture names; apt uses Debian's. */
const DEBIAN_ARCHITECTURE_OF_GO: Record<string, string> = {
  amd64: "amd64",
  arm64: "arm64",
  arm: "armhf",
  "386": "i386",
  ppc64le: "ppc64el",
  s390x: "s390x",
  riscv64: "riscv64",
};

/**
 * Asked first, before anything is downloaded: a dead engine is the commonest failure, and the
 * packages apt fetches are for this host, so the engine must run the same architecture.
 */
async function checkDockerEngine(docker: Dockerode): Promise<void> {
  let version: Dockerode.DockerVersion;
  try {
    version = await docker.version();
  } catch (error) {
    throw dockerUnreachable(error);
  }
  const hostArchitecture = await hostDebianArchitecture();
  const engineArchitecture = DEBIAN_ARCHITECTURE_OF_GO[version.Arch] ?? version.Arch;
  if (version.Os !== "linux" || engineArchitecture !== hostArchitecture) {
    throw imageBuildFailed(
      `the Docker engine runs ${version.Os}/${version.Arch} but this host fetches ${hostArchitecture} packages`,
      "build the sandbox image on the engine's own host (or one of the same architecture), with Linux containers",
      { engine: `${version.Os}/${version.Arch}`, host: hostArchitecture },
    );
  }
}

function imageConfigChanges(): string[] {
  return [
    'CMD ["/bin/sh"]',
    `USER ${SANDBOX_USER.uid}:${SANDBOX_USER.gid}`,
    `WORKDIR ${SANDBOX_USER.home}`,
    "ENV PATH=/bin",
    `LABEL ${SANDBOX_IMAGE_LABEL}=1`,
  ];
}

/** A file-system or engine error that no step turned into an OpenClawError itself. */
function asBuildFailure(error: unknown, parentDir: string): OpenClawError {
  if (isOpenClawError(error)) return error;
  return imageBuildFailed(
    error instanceof Error ? error.message : String(error),
    `check that ${parentDir} is writable and has free space, and that the Docker engine is running, then retry`,
    { workDir: parentDir },
    error,
  );
}

/**
 * Builds the default sandbox image with no registry: a busybox root filesystem assembled from
 * Debian packages, packed with tar and imported into the engine as one layer.
 */
export async function buildSandboxImage(options: BuildSandboxImageOptions): Promise<SandboxImageBuild> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const { repo, tag } = parseImageTag(options.tag);
  const reference = `${repo}:${tag}`;
  await checkDockerEngine(options.docker);

  const parentDir = options.workDir ?? tmpdir();
  const buildDir = await mkdir(parentDir, { recursive: true })
    .then(() => mkdtemp(join(parentDir, "openclaw-sandbox-")))
    .catch((error: unknown) => {
      throw asBuildFailure(error, parentDir);
    });
  try {
    const downloadDir = join(buildDir, "debs");
    const rootDir = join(buildDir, "rootfs");
    await mkdir(downloadDir);
    await mkdir(rootDir);

    log(`downloading ${SANDBOX_DEBIAN_PACKAGES.join(", ")} from the Debian mirrors`);
    const debPaths = await downloadDebianPackages(SANDBOX_DEBIAN_PACKAGES, downloadDir);
    const packages = [];
    for (const debPath of debPaths) packages.push(await extractDebianPackage(debPath, rootDir));
    const busybox = packages.find((entry) => entry.name === "busybox-static");
    if (busybox === undefined) {
      throw imageBuildFailed(
        "apt-get did not download busybox-static",
        "check that `apt-get download busybox-static` works on this host",
      );
    }
    log(`unpacked ${packages.map(describeDebianPackage).join(", ")}`);

    await writeSystemFiles(rootDir, { versionId: tag, busyboxVersion: busybox.version });
    const applets = await linkBusyboxApplets(rootDir);
    const certificates = await bundleCaCertificates(rootDir);
    log(`linked ${applets.length} busybox applets, bundled ${certificates} CA certificates`);

    const tarPath = join(buildDir, "rootfs.tar");
    await packRootFilesystem(rootDir, tarPath, SPECIAL_DIRECTORIES);
    const tarBytes = (await stat(tarPath)).size;
    log(`importing ${reference} (${(tarBytes / 1_000_000).toFixed(1)} MB root filesystem)`);
    await importRootFilesystem(options.docker, tarPath, {
      repo,
      tag,
      changes: imageConfigChanges(),
      message: `openclaw sandbox build: ${packages.map(describeDebianPackage).join(", ")}`,
    });

    const image = await options.docker.getImage(reference).inspect();
    const durationMs = Math.round(performance.now() - started);
    log(`built ${reference} ${image.Id} in ${(durationMs / 1000).toFixed(1)}s`);
    return {
      tag: reference,
      imageId: image.Id,
      sizeBytes: image.Size,
      durationMs,
      packages: packages.map(describeDebianPackage),
    };
  } catch (error) {
    throw asBuildFailure(error, parentDir);
  } finally {
    await rm(buildDir, { recursive: true, force: true });
  }
}
