import { chmod, chown, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isOpenClawError, type OpenClawError } from "../errors.js";
import { readFileSecret } from "./file-source.js";
import { MAX_SECRET_BYTES } from "./secret-value.js";

const VALUE = "sk-file-secret-value-0123456789";

async function failure(promise: Promise<unknown>): Promise<OpenClawError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isOpenClawError(error)) throw new Error(`expected an OpenClawError, got ${String(error)}`);
  // Whatever went wrong, the value must not be in what gets logged or printed.
  expect(error.describe()).not.toContain(VALUE);
  expect(JSON.stringify(error.details)).not.toContain(VALUE);
  return error;
}

describe("readFileSecret", () => {
  let dir: string;
  let path: string;
  const read = (file: string, allowSymlinkOutside = false) =>
    readFileSecret("anthropic-key", { source: "file", path: file }, { configDir: dir, allowSymlinkOutside });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-file-secret-"));
    path = join(dir, "anthropic.key");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads a 0600 file, trimming exactly one trailing newline, relative to the config dir", async () => {
    await writeFile(path, `${VALUE}\n`, { mode: 0o600 });
    await expect(read("anthropic.key")).resolves.toBe(VALUE);
    await writeFile(path, `${VALUE}\r\n`);
    await expect(read(path)).resolves.toBe(VALUE);
    await writeFile(path, `${VALUE} \n\n`);
    await expect(read(path)).resolves.toBe(`${VALUE} \n`);
  });

  it("refuses a file other users can read, and prints the chmod that fixes it", async () => {
    await writeFile(path, VALUE, { mode: 0o600 });
    await chmod(path, 0o644);
    const error = await failure(read(path));
    expect(error.code).toBe("OC_ERR_SECRET_INSECURE");
    expect(error.message).toContain('secret "anthropic-key"');
    expect(error.message).toContain("0644");
    expect(error.hint).toBe(`chmod 600 ${path}`);

    await chmod(path, 0o640);
    expect((await failure(read(path))).hint).toBe(`chmod 600 ${path}`);
    await chmod(path, 0o700);
    await expect(read(path)).resolves.toBe(VALUE);
  });

  // Only root can give a file away; elsewhere this case cannot be set up.
  it.skipIf(process.getuid?.() !== 0)(
    "refuses a file owned by another user, with the chown that fixes it",
    async () => {
      await writeFile(path, VALUE, { mode: 0o600 });
      await chown(path, 4242, 4242);
      const error = await failure(read(path));
      expect(error.code).toBe("OC_ERR_SECRET_INSECURE");
      expect(error.message).toContain("uid 4242");
      expect(error.hint).toMatch(new RegExp(`^chown \\S+ ${path}$`));

      await chmod(path, 0o604);
      expect((await failure(read(path))).hint).toMatch(
        new RegExp(`^chown \\S+ ${path} && chmod 600 ${path}$`),
      );
    },
  );

  it("does not follow a symlink that leaves the configured directory", async () => {
    const link = join(dir, "stolen.key");
    await symlink("/etc/passwd", link);
    const error = await failure(read(link));
    expect(error.code).toBe("OC_ERR_SECRET_INSECURE");
    expect(error.message).toContain("outside");
    expect(error.hint).toContain('set externalSecrets.anthropic-key.path to "/etc/passwd"');

    const relativeEscape = join(dir, "escape.key");
    await symlink(relative(dir, "/etc/passwd"), relativeEscape);
    expect((await failure(read(relativeEscape))).code).toBe("OC_ERR_SECRET_INSECURE");
  });

  it("follows a symlink inside the directory, and one outside only when allowed", async () => {
    await mkdir(join(dir, "versions"));
    await writeFile(join(dir, "versions", "v2"), VALUE, { mode: 0o600 });
    await symlink("versions/v2", path);
    await expect(read(path)).resolves.toBe(VALUE);

    const elsewhere = await mkdtemp(join(tmpdir(), "openclaw-file-secret-elsewhere-"));
    try {
      await writeFile(join(elsewhere, "key"), VALUE, { mode: 0o600 });
      const link = join(dir, "outside.key");
      await symlink(join(elsewhere, "key"), link);
      expect((await failure(read(link))).code).toBe("OC_ERR_SECRET_INSECURE");
      await expect(read(link, true)).resolves.toBe(VALUE);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it("applies the mode check to a symlink's target", async () => {
    await writeFile(join(dir, "target"), VALUE, { mode: 0o600 });
    await chmod(join(dir, "target"), 0o644);
    await symlink("target", path);
    expect((await failure(read(path))).hint).toBe(`chmod 600 ${path}`);
  });

  it("refuses a missing, empty, oversized or non-regular file with a hint", async () => {
    const missing = await failure(read(path));
    expect(missing.code).toBe("OC_ERR_SECRET_UNAVAILABLE");
    expect(missing.message).toContain(`file ${path} does not exist`);
    expect(missing.hint).toContain(`chmod 600 ${path}`);

    await writeFile(path, "\n", { mode: 0o600 });
    expect((await failure(read(path))).message).toContain("is empty");

    await writeFile(path, "a".repeat(MAX_SECRET_BYTES + 1));
    expect((await failure(read(path))).message).toContain("larger than 64 KiB");
    await writeFile(path, "a".repeat(MAX_SECRET_BYTES));
    await expect(read(path)).resolves.toHaveLength(MAX_SECRET_BYTES);

    await mkdir(join(dir, "directory"), { mode: 0o700 });
    expect((await failure(read(join(dir, "directory")))).message).toContain("not a regular file");
  });
});
