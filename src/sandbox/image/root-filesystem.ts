import { chmod, mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runHostCommand } from "./host-command.js";

/** The unprivileged account every sandbox command runs as. */
export const SANDBOX_USER = { name: "sandbox", uid: 1000, gid: 1000, home: "/workspace" } as const;

/**
 * Directories whose owner or mode differ from the rest of the tree (everything else is root's
 * and read-only to others). They are packed apart, with these values forced, so that the image
 * does not depend on the building user or their umask.
 */
export interface SpecialDirectory {
  path: string;
  mode: number;
  uid: number;
  gid: number;
}

export const SPECIAL_DIRECTORIES: readonly SpecialDirectory[] = [
  { path: "tmp", mode: 0o1777, uid: 0, gid: 0 },
  // Traversable: the seed binds /root/.openclaw/workspace, which the sandbox user must reach.
  // Nothing lives in it; root's files in the image would be the only thing 0700 protects.
  { path: "root", mode: 0o755, uid: 0, gid: 0 },
  { path: "workspace", mode: 0o755, uid: SANDBOX_USER.uid, gid: SANDBOX_USER.gid },
];

const CA_BUNDLE_PATH = "etc/ssl/certs/ca-certificates.crt";

async function makeDirectory(rootDir: string, path: string): Promise<void> {
  await mkdir(join(rootDir, path), { recursive: true });
  await chmod(join(rootDir, path), 0o755);
}

/**
 * One symlink per applet the binary says it has, all in /bin (PATH is just /bin). The list
 * comes from running the extracted static binary on the host, so it always matches the build.
 */
export async function linkBusyboxApplets(rootDir: string): Promise<string[]> {
  const listing = await runHostCommand(join(rootDir, "bin/busybox"), ["--list"], {
    doing: "listing busybox applets",
    // The static binary runs on the host to list itself: a noexec temp dir stops that.
    hint: "pass a workDir on a file system that allows running programs (not mounted noexec)",
    missingHint: "busybox-static did not unpack to /bin/busybox: retry the build",
  });
  const applets = listing
    .split("\n")
    .map((line) => line.trim())
    .filter((applet) => applet !== "" && applet !== "busybox" && !applet.includes("/"));
  for (const applet of applets) {
    await rm(join(rootDir, "bin", applet), { force: true });
    await symlink("busybox", join(rootDir, "bin", applet));
  }
  return applets;
}

/** Scripts written for a full system (`#!/usr/bin/env sh`) find the same applets. */
async function linkUsualBinDirectories(rootDir: string): Promise<void> {
  await makeDirectory(rootDir, "usr");
  for (const [path, target] of [
    ["usr/bin", "../bin"],
    ["usr/sbin", "../bin"],
    ["sbin", "bin"],
  ] as const) {
    await rm(join(rootDir, path), { recursive: true, force: true });
    await symlink(target, join(rootDir, path));
  }
}

/**
 * The bundle update-ca-certificates would have made (its maintainer script never runs here):
 * every certificate the package ships, concatenated. The script itself is dropped, as it needs
 * openssl, which the image lacks.
 */
export async function bundleCaCertificates(rootDir: string): Promise<number> {
  const sourceDir = join(rootDir, "usr/share/ca-certificates");
  const certificates = (await readdir(sourceDir, { recursive: true }))
    .filter((path) => path.endsWith(".crt"))
    .sort();
  const contents = await Promise.all(certificates.map((path) => readFile(join(sourceDir, path), "utf8")));
  await makeDirectory(rootDir, "etc/ssl/certs");
  await writeFile(
    join(rootDir, CA_BUNDLE_PATH),
    contents.map((text) => (text.endsWith("\n") ? text : `${text}\n`)).join(""),
  );
  await rm(join(rootDir, "usr/sbin/update-ca-certificates"), { force: true });
  return certificates.length;
}

function osRelease(versionId: string, busyboxVersion: string): string {
  return [
    'NAME="OpenClaw sandbox"',
    "ID=openclaw-sandbox",
    `VERSION_ID="${versionId}"`,
    `PRETTY_NAME="OpenClaw sandbox ${versionId} (Debian busybox-static ${busyboxVersion})"`,
    "",
  ].join("\n");
}

export interface SystemFilesOptions {
  /** The image tag's version part, e.g. 0.1.0. */
  versionId: string;
  busyboxVersion: string;
}

/** Accounts, hostname, hosts, os-release and the empty directories of a minimal system. */
export async function writeSystemFiles(rootDir: string, options: SystemFilesOptions): Promise<void> {
  for (const path of ["etc", "bin", "dev", "proc", "sys", "var"]) await makeDirectory(rootDir, path);
  for (const directory of SPECIAL_DIRECTORIES) await makeDirectory(rootDir, directory.path);
  await linkUsualBinDirectories(rootDir);
  const { name, uid, gid, home } = SANDBOX_USER;
  const files: Record<string, string> = {
    "etc/passwd": [
      "root:x:0:0:root:/root:/bin/sh",
      `${name}:x:${uid}:${gid}:OpenClaw sandbox:${home}:/bin/sh`,
      "nobody:x:65534:65534:nobody:/nonexistent:/bin/false",
      "",
    ].join("\n"),
    "etc/group": ["root:x:0:", `${name}:x:${gid}:`, "nogroup:x:65534:", ""].join("\n"),
    "etc/hostname": "sandbox\n",
    "etc/hosts": "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n",
    "etc/os-release": osRelease(options.versionId, options.busyboxVersion),
  };
  for (const [path, text] of Object.entries(files)) {
    await writeFile(join(rootDir, path), text);
    await chmod(join(rootDir, path), 0o644);
  }
}
