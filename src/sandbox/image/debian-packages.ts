import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { type HostCommandFailure, runHostCommand } from "./host-command.js";

/**
 * The sandbox's whole userland comes from Debian packages fetched by the host's apt, unpacked
 * with dpkg-deb: no registry, no debootstrap, no maintainer scripts run.
 */

/** busybox-static is one statically linked binary, so the image needs no libc. */
export const SANDBOX_DEBIAN_PACKAGES: readonly string[] = ["busybox-static", "ca-certificates"];

export interface DebianPackage {
  name: string;
  version: string;
  architecture: string;
}

const NOT_DEBIAN_HINT =
  "build the sandbox image on a Debian or Ubuntu host: it needs apt-get and dpkg-deb to fetch packages";

const DOWNLOAD_FAILURE: HostCommandFailure = {
  doing: "downloading Debian packages",
  hint: "check network access to the Debian mirrors, and run `apt-get update` if a package is unknown",
  missingHint: NOT_DEBIAN_HINT,
};

/** `name=version`, as apt writes a pinned package: what the build reports it contains. */
export function describeDebianPackage(debianPackage: DebianPackage): string {
  return `${debianPackage.name}=${debianPackage.version}`;
}

/** The architecture apt fetches for, e.g. amd64, arm64. */
export async function hostDebianArchitecture(): Promise<string> {
  const output = await runHostCommand("dpkg", ["--print-architecture"], {
    doing: "reading the host's Debian architecture",
    hint: NOT_DEBIAN_HINT,
    missingHint: NOT_DEBIAN_HINT,
  });
  return output.trim();
}

/** Downloads the packages' .deb files into an empty directory; returns their paths. */
export async function downloadDebianPackages(
  names: readonly string[],
  downloadDir: string,
): Promise<string[]> {
  await runHostCommand("apt-get", ["download", "--quiet", ...names], DOWNLOAD_FAILURE, downloadDir);
  const files = (await readdir(downloadDir)).filter((file) => file.endsWith(".deb")).sort();
  return files.map((file) => join(downloadDir, file));
}

/** Unpacks one .deb into the root filesystem and says what it was. */
export async function extractDebianPackage(debPath: string, rootDir: string): Promise<DebianPackage> {
  const failure: HostCommandFailure = {
    doing: `unpacking ${debPath}`,
    hint: "the download may be truncated: retry the build",
    missingHint: NOT_DEBIAN_HINT,
  };
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's field syntax, not JavaScript's.
  const showFormat = "--showformat=${Package}\\n${Version}\\n${Architecture}\\n";
  const fields = await runHostCommand("dpkg-deb", [showFormat, "--show", debPath], failure);
  const [name = "", version = "", architecture = ""] = fields.split("\n");
  await runHostCommand("dpkg-deb", ["--extract", debPath, rootDir], failure);
  return { name, version, architecture };
}
