/**
 * `files`: read-only access to one workspace folder — list a directory, read a text file (whole
 * or a line range), find files by name. Every path is resolved twice: lexically (so `..`,
 * absolute paths and Windows-style separators cannot leave the root) and through the file system
 * with `realpath` (so no symbolic link, at the end or in the middle of a path, can lead outside).
 * Only regular files are opened, never devices, FIFOs or sockets. Nothing is ever written.
 */
import type { Dirent, Stats } from "node:fs";
import { constants } from "node:fs";
import { type FileHandle, lstat, open, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import { InvalidArgumentError, ToolExecutionError, ToolSafetyError } from "../../spec/errors.js";
import { type Tool, tool } from "../tool.js";

export interface FilesToolOptions {
  /** The workspace folder; nothing outside it can be read. */
  root: string;
  /** Most bytes of file content returned by one `read` (default 100,000). */
  maxBytes?: number;
  /** Most entries returned by `list` and `search` (default 500). */
  maxEntries?: number;
  /** How deep `search` descends below the searched folder (default 12). */
  maxDepth?: number;
}

export type FileEntryType = "file" | "directory" | "symlink" | "other";

export interface FileEntry {
  name: string;
  type: FileEntryType;
  /** Bytes, for regular files. */
  size?: number;
}

export type FilesToolResult =
  | { operation: "list"; path: string; entries: FileEntry[]; truncated: boolean }
  | {
      operation: "read";
      path: string;
      size: number;
      binary: false;
      content: string;
      /** First and last line included, when a line range was asked for. */
      startLine?: number;
      endLine?: number;
      /** More content exists than was returned; ask for a line range to read on. */
      truncated: boolean;
    }
  | { operation: "read"; path: string; size: number; binary: true }
  | {
      operation: "search";
      path: string;
      pattern: string;
      matches: Array<{ path: string; type: FileEntryType }>;
      truncated: boolean;
    };

export interface FilesToolInput {
  operation: "list" | "read" | "search";
  path?: string;
  startLine?: number;
  endLine?: number;
  pattern?: string;
}

const MAX_PATH_CHARS = 1024;
const BINARY_SAMPLE_BYTES = 8192;
/** Folders `search` does not descend into: large, generated, rarely what is asked for. */
const SKIPPED_FOLDERS = new Set([".git", "node_modules"]);
/** Entries `search` looks at in total before it stops. */
const MAX_VISITED = 50_000;

/**
 * `files`: read-only workspace access for an agent. Paths that escape `root` (by `..`, absolute
 * paths, symbolic links) are refused with a ToolSafetyError naming the path and the rule.
 *
 * @example
 * const files = filesTool({ root: "./docs" });
 * await files.execute({ operation: "read", path: "guide.md", startLine: 1, endLine: 40 }, ctx);
 */
export function filesTool(options: FilesToolOptions): Tool<FilesToolInput, FilesToolResult> {
  if (!options.root) {
    throw new InvalidArgumentError({
      argument: "root",
      message: "filesTool needs a root folder: filesTool({ root: './docs' }).",
    });
  }
  const maxBytes = options.maxBytes ?? 100_000;
  const maxEntries = options.maxEntries ?? 500;
  const maxDepth = options.maxDepth ?? 12;
  const rootResolved = path.resolve(options.root);
  let rootReal: Promise<string> | undefined;

  async function workspace(): Promise<string> {
    rootReal ??= realpath(rootResolved).catch((cause: unknown) => {
      rootReal = undefined;
      throw new ToolExecutionError({
        tool: "files",
        message: `files: the workspace folder ${rootResolved} does not exist or cannot be read.`,
        cause,
      });
    });
    return rootReal;
  }

  return tool({
    name: "files",
    description:
      "Read-only access to the workspace folder. operation 'list' shows a directory's entries with sizes; 'read' returns a text file (use startLine/endLine for long files); 'search' finds files whose path matches a glob like '**/*.md' or contains a substring. Paths are relative to the workspace root ('.' is the root); nothing outside it can be accessed.",
    inputSchema: z.object({
      operation: z.enum(["list", "read", "search"]).describe("What to do"),
      path: z.string().optional().describe("A path relative to the workspace root (default '.')"),
      startLine: z.number().int().min(1).optional().describe("read: first line to return (1-based)"),
      endLine: z.number().int().min(1).optional().describe("read: last line to return"),
      pattern: z.string().min(1).optional().describe("search: a glob such as '**/*.ts', or a substring of the path"),
    }),
    async execute(input) {
      const root = await workspace();
      const target = await resolveInside(root, rootResolved, input.path ?? ".");
      if (input.operation === "list") return list(target, maxEntries);
      if (input.operation === "read") return read(target, input, maxBytes);
      if (!input.pattern) {
        throw new ToolExecutionError({
          tool: "files",
          message: "files: 'search' needs a pattern, e.g. '**/*.md' or 'report'.",
        });
      }
      return search(root, target, input.pattern, { maxEntries, maxDepth });
    },
  });
}

interface Target {
  /** The path as the caller wrote it, for messages. */
  input: string;
  /** Relative to the root, with `/` separators; `.` for the root. */
  relative: string;
  /** Absolute, symbolic links resolved, inside the root. */
  real: string;
}

function refuse(input: string, rule: string): never {
  throw new ToolSafetyError({ tool: "files", message: `files: refused '${input}': ${rule}` });
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === "" || (relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

function toPosix(relative: string): string {
  return relative === "" ? "." : relative.split(path.sep).join("/");
}

/** Resolves `input` inside the workspace or throws a ToolSafetyError that names the broken rule. */
async function resolveInside(root: string, rootResolved: string, input: string): Promise<Target> {
  const shown = input.length > 200 ? `${input.slice(0, 200)}…` : input;
  if (input.includes("\0")) refuse(shown.replaceAll("\0", "\\0"), "the path contains a NUL byte.");
  if (input.length > MAX_PATH_CHARS) refuse(shown, `the path is longer than ${MAX_PATH_CHARS} characters.`);
  // Backslashes count as separators everywhere, so `..\\..\\etc` is caught like `../../etc`.
  const normalized = input.replaceAll("\\", "/").trim() || ".";
  let lexical: string;
  if (path.isAbsolute(normalized)) {
    const absolute = path.resolve(normalized);
    // The root may be given through a symbolic link (/tmp on macOS); accept both spellings.
    if (isInside(rootResolved, absolute)) lexical = path.join(root, path.relative(rootResolved, absolute));
    else if (isInside(root, absolute)) lexical = absolute;
    else refuse(shown, "absolute paths must point inside the workspace; use a path relative to the workspace root.");
  } else {
    lexical = path.resolve(root, normalized);
    if (!isInside(root, lexical))
      refuse(shown, "the path leads outside the workspace ('..' cannot climb above its root).");
  }
  const relative = toPosix(path.relative(root, lexical));
  let real: string;
  try {
    real = await realpath(lexical);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw toolFailure(input, error);
    // Find the deepest existing ancestor: a link there must not lead outside either.
    let ancestor = path.dirname(lexical);
    for (;;) {
      const resolved = await realpath(ancestor).catch(() => undefined);
      if (resolved !== undefined) {
        if (!isInside(root, resolved)) refuse(shown, "a symbolic link in the path leads outside the workspace.");
        break;
      }
      ancestor = path.dirname(ancestor);
    }
    const link = await lstat(lexical).catch(() => undefined);
    const what = link?.isSymbolicLink() ? "is a symbolic link to something that does not exist" : "does not exist";
    throw new ToolExecutionError({
      tool: "files",
      message: `files: '${shown}' ${what} in the workspace. Use operation 'list' or 'search' to see what is there.`,
    });
  }
  if (!isInside(root, real)) refuse(shown, "a symbolic link in the path leads outside the workspace.");
  return { input: shown, relative, real };
}

function toolFailure(input: string, cause: unknown): ToolExecutionError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  const reason =
    code === "EACCES" || code === "EPERM" ? "permission denied" : String((cause as Error)?.message ?? cause);
  return new ToolExecutionError({ tool: "files", message: `files: cannot access '${input}': ${reason}.`, cause });
}

function entryType(entry: Dirent | Stats): FileEntryType {
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isDirectory()) return "directory";
  if (entry.isFile()) return "file";
  return "other";
}

async function list(target: Target, maxEntries: number): Promise<FilesToolResult> {
  const info = await stat(target.real).catch((error: unknown) => {
    throw toolFailure(target.input, error);
  });
  if (!info.isDirectory()) {
    throw new ToolExecutionError({
      tool: "files",
      message: `files: '${target.input}' is not a directory; use operation 'read'.`,
    });
  }
  const dirents = await readdir(target.real, { withFileTypes: true }).catch((error: unknown) => {
    throw toolFailure(target.input, error);
  });
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const entries: FileEntry[] = [];
  for (const dirent of dirents.slice(0, maxEntries)) {
    const entry: FileEntry = { name: dirent.name, type: entryType(dirent) };
    if (entry.type === "file") {
      const size = await lstat(path.join(target.real, dirent.name)).then(
        (s) => s.size,
        () => undefined,
      );
      if (size !== undefined) entry.size = size;
    }
    entries.push(entry);
  }
  return { operation: "list", path: target.relative, entries, truncated: dirents.length > maxEntries };
}

async function read(target: Target, input: FilesToolInput, maxBytes: number): Promise<FilesToolResult> {
  const info = await stat(target.real).catch((error: unknown) => {
    throw toolFailure(target.input, error);
  });
  if (info.isDirectory()) {
    throw new ToolExecutionError({
      tool: "files",
      message: `files: '${target.input}' is a directory; use operation 'list'.`,
    });
  }
  if (!info.isFile()) refuse(target.input, "only regular files can be read, not devices, FIFOs or sockets.");
  if (input.startLine !== undefined && input.endLine !== undefined && input.endLine < input.startLine) {
    throw new ToolExecutionError({
      tool: "files",
      message: `files: endLine ${input.endLine} is before startLine ${input.startLine}.`,
    });
  }
  // O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a FIFO after the checks cannot be followed or block.
  const handle = await open(target.real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
    (error: unknown) => {
      throw toolFailure(target.input, error);
    },
  );
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.ino !== info.ino || opened.dev !== info.dev) {
      refuse(target.input, "the file changed while it was being opened.");
    }
    const sample = Buffer.alloc(Math.min(BINARY_SAMPLE_BYTES, opened.size));
    const { bytesRead } = await handle.read(sample, 0, sample.length, 0);
    if (isBinary(sample.subarray(0, bytesRead))) {
      return { operation: "read", path: target.relative, size: opened.size, binary: true };
    }
    if (input.startLine === undefined && input.endLine === undefined) {
      const length = Math.min(opened.size, maxBytes);
      const buffer = Buffer.alloc(length);
      const { bytesRead: got } = await handle.read(buffer, 0, length, 0);
      // A streaming decoder drops a multi-byte character cut in half at the limit.
      const content = new TextDecoder("utf-8").decode(buffer.subarray(0, got), { stream: got < opened.size });
      return {
        operation: "read",
        path: target.relative,
        size: opened.size,
        binary: false,
        content,
        truncated: got < opened.size,
      };
    }
    return await readLines(handle, target, opened.size, input.startLine ?? 1, input.endLine, maxBytes);
  } finally {
    await handle.close();
  }
}

async function readLines(
  handle: FileHandle,
  target: Target,
  size: number,
  startLine: number,
  endLine: number | undefined,
  maxBytes: number,
): Promise<FilesToolResult> {
  const lines: string[] = [];
  let bytes = 0;
  let lineNumber = 0;
  let truncated = false;
  const stream = handle.createReadStream({ start: 0, encoding: "utf8", autoClose: false });
  const reader = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of reader) {
      lineNumber += 1;
      if (lineNumber < startLine) continue;
      if (endLine !== undefined && lineNumber > endLine) {
        truncated = true;
        break;
      }
      bytes += Buffer.byteLength(line) + 1;
      if (bytes > maxBytes) {
        truncated = true;
        break;
      }
      lines.push(line);
    }
  } finally {
    reader.close();
    stream.destroy();
  }
  const last = startLine + lines.length - 1;
  return {
    operation: "read",
    path: target.relative,
    size,
    binary: false,
    content: lines.join("\n"),
    startLine,
    endLine: Math.max(last, startLine - 1),
    truncated,
  };
}

/** NUL bytes or invalid UTF-8 in the first bytes mean the file is not text worth showing. */
function isBinary(sample: Buffer): boolean {
  if (sample.includes(0)) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample, { stream: true });
    return false;
  } catch {
    return true;
  }
}

async function search(
  root: string,
  target: Target,
  pattern: string,
  limits: { maxEntries: number; maxDepth: number },
): Promise<FilesToolResult> {
  const info = await stat(target.real).catch((error: unknown) => {
    throw toolFailure(target.input, error);
  });
  if (!info.isDirectory()) {
    throw new ToolExecutionError({
      tool: "files",
      message: `files: '${target.input}' is not a directory to search in.`,
    });
  }
  const isGlob = /[*?[\]{}]/.test(pattern);
  let matches: (relative: string) => boolean;
  if (isGlob) {
    const { default: picomatch } = await import("picomatch");
    const glob = picomatch(pattern, { dot: true });
    const base = picomatch(pattern, { dot: true, basename: true });
    matches = (relative) => glob(relative) || (!pattern.includes("/") && base(relative));
  } else {
    const needle = pattern.toLowerCase();
    matches = (relative) => relative.toLowerCase().includes(needle);
  }
  const found: Array<{ path: string; type: FileEntryType }> = [];
  let visited = 0;
  let truncated = false;
  // Breadth-first, never following symbolic links, so the walk cannot leave the workspace.
  let level = [target.real];
  for (let depth = 0; depth <= limits.maxDepth && level.length > 0 && !truncated; depth++) {
    const next: string[] = [];
    for (const folder of level) {
      const dirents = await readdir(folder, { withFileTypes: true }).catch(() => [] as Dirent[]);
      dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const dirent of dirents) {
        visited += 1;
        if (visited > MAX_VISITED) {
          truncated = true;
          break;
        }
        const absolute = path.join(folder, dirent.name);
        const type = entryType(dirent);
        // Patterns apply below the searched folder; results are relative to the workspace root.
        if (matches(toPosix(path.relative(target.real, absolute)))) {
          if (found.length >= limits.maxEntries) {
            truncated = true;
            break;
          }
          found.push({ path: toPosix(path.relative(root, absolute)), type });
        }
        if (type === "directory" && !SKIPPED_FOLDERS.has(dirent.name)) next.push(absolute);
      }
      if (truncated) break;
    }
    level = next;
  }
  return { operation: "search", path: target.relative, pattern, matches: found, truncated };
}
