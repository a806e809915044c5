import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type FilesToolInput, filesTool } from "../../../src/agents/tools/files.js";
import { ToolExecutionError, ToolSafetyError } from "../../../src/spec/errors.js";

const base = mkdtempSync(join(tmpdir(), "weft-files-"));
const root = join(base, "workspace");
const outside = join(base, "outside");
mkdirSync(join(root, "docs", "nested"), { recursive: true });
mkdirSync(join(root, "node_modules", "pkg"), { recursive: true });
mkdirSync(join(root, "%2e%2e"), { recursive: true });
mkdirSync(outside, { recursive: true });

const hello = `${Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join("\n")}\n`;
const guide = "# Guide\n\nRead me.\n";
writeFileSync(join(root, "hello.txt"), hello);
writeFileSync(join(root, "docs", "guide.md"), guide);
writeFileSync(join(root, "docs", "nested", "deep.md"), "deep\n");
writeFileSync(join(root, "node_modules", "pkg", "index.md"), "skipped\n");
writeFileSync(join(root, "big.txt"), "x".repeat(5000));
writeFileSync(join(root, "accents.txt"), "é".repeat(3000)); // 2 bytes each
writeFileSync(join(root, "image.bin"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
writeFileSync(join(root, "latin1.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0xfe]));
writeFileSync(join(root, "%2e%2e", "file.txt"), "literal name\n");
writeFileSync(join(outside, "secret.txt"), "TOP SECRET\n");
symlinkSync("/etc", join(root, "link-etc"));
symlinkSync("/etc/passwd", join(root, "link-passwd"));
symlinkSync(outside, join(root, "dir-link"));
symlinkSync(join(root, "b-link"), join(root, "a-link"));
symlinkSync(outside, join(root, "b-link"));
symlinkSync("docs", join(root, "inner-link"));
symlinkSync("/proc/self", join(root, "proc-link"));
symlinkSync(join(outside, "missing.txt"), join(root, "dangling"));

let hasFifo = false;
try {
  execFileSync("mkfifo", [join(root, "pipe")]);
  hasFifo = true;
} catch {
  console.warn("[files.test] skipping the FIFO case: mkfifo is not available.");
}

afterAll(() => rmSync(base, { recursive: true, force: true }));

const files = filesTool({ root, maxBytes: 1000, maxEntries: 50 });
const ctx = { toolCallId: "f", abortSignal: new AbortController().signal };
const call = (input: FilesToolInput) => files.execute(input, ctx);

async function failure(input: FilesToolInput): Promise<Error> {
  try {
    const result = await call(input);
    throw new Error(`expected a failure, got ${JSON.stringify(result).slice(0, 200)}`);
  } catch (error) {
    return error as Error;
  }
}

async function refused(input: FilesToolInput): Promise<ToolSafetyError> {
  const error = await failure(input);
  expect(error).toBeInstanceOf(ToolSafetyError);
  expect(error.message).not.toContain("TOP SECRET");
  expect(error.message).not.toContain("root:x:0:0");
  return error as ToolSafetyError;
}

describe("files: reading inside the workspace", () => {
  it("is a read-only tool", () => {
    expect(files.sideEffect).toBe(false);
    expect(files.name).toBe("files");
  });

  it("lists the root with types and sizes, without following links", async () => {
    const r = await call({ operation: "list" });
    if (r.operation !== "list") throw new Error("wrong operation");
    expect(r.path).toBe(".");
    const byName = Object.fromEntries(r.entries.map((e) => [e.name, e]));
    expect(byName["hello.txt"]).toEqual({ name: "hello.txt", type: "file", size: Buffer.byteLength(hello) });
    expect(byName.docs).toEqual({ name: "docs", type: "directory" });
    expect(byName["link-etc"]?.type).toBe("symlink");
    expect(r.entries.map((e) => e.name)).toEqual([...r.entries.map((e) => e.name)].sort());
    expect(r.truncated).toBe(false);
  });

  it("accepts '.', '', './' and trailing slashes", async () => {
    for (const p of [".", "", "./", "docs/", "docs//nested/"]) {
      const r = await call({ operation: "list", path: p });
      expect(r.operation).toBe("list");
    }
  });

  it("reads a text file", async () => {
    const r = await call({ operation: "read", path: "docs/guide.md" });
    expect(r).toEqual({
      operation: "read",
      path: "docs/guide.md",
      size: guide.length,
      binary: false,
      content: guide,
      truncated: false,
    });
  });

  it("reads a line range", async () => {
    const r = await call({ operation: "read", path: "hello.txt", startLine: 10, endLine: 12 });
    if (r.operation !== "read" || r.binary) throw new Error("expected text");
    expect(r.content).toBe("line 10\nline 11\nline 12");
    expect(r.startLine).toBe(10);
    expect(r.endLine).toBe(12);
    expect(r.truncated).toBe(true);
    const tail = await call({ operation: "read", path: "hello.txt", startLine: 49 });
    if (tail.operation !== "read" || tail.binary) throw new Error("expected text");
    expect(tail.content).toBe("line 49\nline 50");
    expect(tail.truncated).toBe(false);
  });

  it("caps what one read returns", async () => {
    const r = await call({ operation: "read", path: "big.txt" });
    if (r.operation !== "read" || r.binary) throw new Error("expected text");
    expect(r.content.length).toBe(1000);
    expect(r.size).toBe(5000);
    expect(r.truncated).toBe(true);
  });

  it("does not cut a multi-byte character in half at the cap", async () => {
    const limited = filesTool({ root, maxBytes: 999 });
    const r = await limited.execute({ operation: "read", path: "accents.txt" }, ctx);
    if (r.operation !== "read" || r.binary) throw new Error("expected text");
    expect(r.content).toBe("é".repeat(499));
  });

  it("reports binary files instead of dumping them", async () => {
    expect(await call({ operation: "read", path: "image.bin" })).toEqual({
      operation: "read",
      path: "image.bin",
      size: 7,
      binary: true,
    });
    const latin1 = await call({ operation: "read", path: "latin1.txt" });
    expect(latin1).toMatchObject({ binary: true });
  });

  it("follows links that stay inside the workspace", async () => {
    const r = await call({ operation: "read", path: "inner-link/guide.md" });
    expect(r).toMatchObject({ binary: false, content: guide });
  });

  it("accepts an absolute path inside the workspace", async () => {
    const r = await call({ operation: "read", path: join(root, "docs", "nested", "deep.md") });
    expect(r).toMatchObject({ content: "deep\n" });
  });

  it("normalises harmless dot segments", async () => {
    const r = await call({ operation: "read", path: "docs/./nested/../guide.md" });
    expect(r).toMatchObject({ path: "docs/guide.md" });
  });

  it("treats URL-encoded dots as a literal file name", async () => {
    const r = await call({ operation: "read", path: "%2e%2e/file.txt" });
    expect(r).toMatchObject({ content: "literal name\n" });
    const error = await failure({ operation: "read", path: "%2e%2e/%2e%2e/etc/passwd" });
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error.message).toContain("does not exist");
  });

  it("explains wrong operations and missing files", async () => {
    expect((await failure({ operation: "read", path: "docs" })).message).toContain("is a directory");
    expect((await failure({ operation: "list", path: "hello.txt" })).message).toContain("not a directory");
    expect((await failure({ operation: "read", path: "nope.txt" })).message).toContain("'nope.txt' does not exist");
    expect((await failure({ operation: "read", path: "hello.txt", startLine: 5, endLine: 2 })).message).toContain(
      "before startLine",
    );
    expect((await failure({ operation: "search" })).message).toContain("needs a pattern");
    expect((await failure({ operation: "read", path: "~/.ssh/id_rsa" })).message).toContain("does not exist");
  });

  it("does not reveal where a dangling link points", async () => {
    const error = await failure({ operation: "read", path: "dangling" });
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect(error.message).toContain("symbolic link to something that does not exist");
    expect(error.message).not.toContain(outside);
  });

  it("refuses a missing workspace with a clear message", async () => {
    const missing = filesTool({ root: join(base, "no-such-folder") });
    const error = await missing.execute({ operation: "list" }, ctx).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ToolExecutionError);
    expect((error as Error).message).toContain("does not exist");
  });
});

describe("files: search", () => {
  it("finds files by glob, not descending into node_modules", async () => {
    const r = await call({ operation: "search", pattern: "**/*.md" });
    if (r.operation !== "search") throw new Error("wrong operation");
    expect(r.matches.map((m) => m.path).sort()).toEqual(["docs/guide.md", "docs/nested/deep.md"]);
  });

  it("finds files by substring below a folder, with root-relative results", async () => {
    const r = await call({ operation: "search", path: "docs", pattern: "DEEP" });
    expect(r).toMatchObject({ matches: [{ path: "docs/nested/deep.md", type: "file" }], truncated: false });
  });

  it("matches a bare glob against file names at any depth", async () => {
    const r = await call({ operation: "search", pattern: "*.md" });
    if (r.operation !== "search") throw new Error("wrong operation");
    expect(r.matches.map((m) => m.path).sort()).toEqual(["docs/guide.md", "docs/nested/deep.md"]);
  });

  it("never walks through links to outside folders", async () => {
    const r = await call({ operation: "search", pattern: "secret" });
    expect(r).toMatchObject({ matches: [] });
  });

  it("stops at maxEntries", async () => {
    const few = filesTool({ root, maxEntries: 2 });
    const r = await few.execute({ operation: "search", pattern: "*" }, ctx);
    expect(r).toMatchObject({ truncated: true });
    if (r.operation === "search") expect(r.matches).toHaveLength(2);
  });
});

describe("files: escape attempts are refused", () => {
  it("1. ../ out of the root", async () => {
    const error = await refused({ operation: "read", path: "../outside/secret.txt" });
    expect(error.message).toContain("'../outside/secret.txt'");
    expect(error.message).toContain("outside the workspace");
  });

  it("2. nested ../../ climbing far above the root", async () => {
    await refused({ operation: "read", path: "../../../../../../../../etc/passwd" });
  });

  it("3. a/../../b that climbs out after going in", async () => {
    await refused({ operation: "read", path: "docs/../../outside/secret.txt" });
  });

  it("4. an absolute path such as /etc/passwd", async () => {
    const error = await refused({ operation: "read", path: "/etc/passwd" });
    expect(error.message).toContain("absolute paths must point inside the workspace");
  });

  it("5. an absolute path to a sibling folder", async () => {
    await refused({ operation: "read", path: join(outside, "secret.txt") });
  });

  it("6. the filesystem root", async () => {
    await refused({ operation: "list", path: "/" });
  });

  it("7. a symbolic link to /etc used as a folder", async () => {
    const error = await refused({ operation: "read", path: "link-etc/passwd" });
    expect(error.message).toContain("symbolic link");
    await refused({ operation: "list", path: "link-etc" });
  });

  it("8. a symbolic link to a file outside", async () => {
    await refused({ operation: "read", path: "link-passwd" });
  });

  it("9. a chain of links that ends outside", async () => {
    await refused({ operation: "read", path: "a-link/secret.txt" });
    await refused({ operation: "list", path: "a-link" });
  });

  it("10. a link to an outside folder, even for names that do not exist there", async () => {
    await refused({ operation: "read", path: "dir-link/secret.txt" });
    await refused({ operation: "read", path: "dir-link/no-such-file.txt" });
    await refused({ operation: "search", path: "dir-link", pattern: "*" });
  });

  it("11. Windows-style ..\\ separators", async () => {
    await refused({ operation: "read", path: "..\\outside\\secret.txt" });
    await refused({ operation: "read", path: "docs\\..\\..\\outside\\secret.txt" });
  });

  it("12. a NUL byte", async () => {
    const error = await refused({ operation: "read", path: "hello.txt\0.png" });
    expect(error.message).toContain("NUL byte");
  });

  it("13. a very long path", async () => {
    const error = await refused({ operation: "read", path: `${"a/".repeat(600)}x` });
    expect(error.message).toContain("longer than 1024 characters");
  });

  it("14. /proc/self, directly and through a link", async () => {
    await refused({ operation: "read", path: "/proc/self/environ" });
    await refused({ operation: "read", path: "proc-link/environ" });
  });

  it("15. device files outside the workspace, such as /dev/zero", async () => {
    await refused({ operation: "read", path: "/dev/zero" });
    await refused({ operation: "read", path: "../../../../dev/zero" });
  });

  it.skipIf(!hasFifo)("16. a FIFO inside the workspace is not opened", async () => {
    const error = await refused({ operation: "read", path: "pipe" });
    expect(error.message).toContain("only regular files");
  });

  it("17. nothing was written anywhere", () => {
    expect(existsSync(join(root, "..", "outside", "secret.txt"))).toBe(true);
    expect(existsSync(join(root, "nope.txt"))).toBe(false);
  });
});
