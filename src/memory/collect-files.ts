import { stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

// Required on first use rather than imported, so that `import("weft")` does not pay for it.
const require = createRequire(import.meta.url);
const picomatch = (...args: Parameters<typeof import("picomatch")>) =>
  (require("picomatch") as typeof import("picomatch"))(...args);
const globber = (): typeof import("tinyglobby") => require("tinyglobby");

/** Folders never worth indexing: dependencies, version control, weft's own store. */
export const IGNORED_FOLDERS = ["**/node_modules/**", "**/.git/**", "**/.weft/**"];

/**
 * One path the user named. Its scope decides which indexed documents a run may remove: a document
 * inside the scope whose file is gone is deleted from the index.
 */
export interface IndexRoot {
  /** As the user wrote it. */
  input: string;
  kind: "file" | "folder" | "glob" | "missing";
  /** Whether an absolute file path is inside this root. */
  contains(absolutePath: string): boolean;
}

export interface CollectedFiles {
  roots: IndexRoot[];
  /** Absolute paths, sorted, without duplicates. */
  files: string[];
}

const toPosix = (p: string) => p.split(path.sep).join("/");

/** Whether a folder scan would have picked this path up (not hidden, not in an ignored folder). */
function scanned(parent: string, child: string): boolean {
  const segments = path.relative(parent, child).split(path.sep);
  return !segments.some((s) => s.startsWith(".") || s === "node_modules");
}

function isUnder(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

async function kindOf(absolute: string): Promise<"file" | "folder" | undefined> {
  try {
    const s = await stat(absolute);
    return s.isDirectory() ? "folder" : "file";
  } catch {
    return undefined;
  }
}

/**
 * Expands files, folders and glob patterns (tinyglobby syntax, relative to `cwd`) into the files to
 * index. Folders and globs keep only files with a supported extension and skip hidden files,
 * `node_modules`, `.git` and `.weft`; a file named explicitly is always kept, so an unsupported
 * one is reported by its loader rather than silently ignored.
 *
 * @example
 * const { files } = await collectFiles({ paths: ["docs", "notes/*.md"], cwd: process.cwd(), extensions: [".md"] });
 */
export async function collectFiles(options: {
  paths: string[];
  cwd: string;
  /** Extensions to keep from folders and globs, with or without the dot. */
  extensions: readonly string[];
}): Promise<CollectedFiles> {
  const wanted = new Set(options.extensions.map((e) => e.replace(/^\./, "").toLowerCase()));
  const supported = (file: string) => wanted.has(path.extname(file).slice(1).toLowerCase());
  const roots: IndexRoot[] = [];
  const files = new Set<string>();

  for (const input of options.paths) {
    const absolute = path.resolve(options.cwd, input);
    const kind = await kindOf(absolute);
    if (kind === "file") {
      roots.push({ input, kind, contains: (p) => p === absolute });
      files.add(absolute);
    } else if (kind === "folder") {
      roots.push({ input, kind, contains: (p) => isUnder(absolute, p) && scanned(absolute, p) });
      const found = await globber().glob("**/*", {
        cwd: absolute,
        absolute: true,
        onlyFiles: true,
        ignore: IGNORED_FOLDERS,
      });
      for (const f of found) if (supported(f)) files.add(path.resolve(f));
    } else if (globber().isDynamicPattern(input)) {
      const pattern = toPosix(input);
      const matches = picomatch(pattern);
      roots.push({
        input,
        kind: "glob",
        contains: (p) =>
          path.isAbsolute(pattern) ? matches(toPosix(p)) : matches(toPosix(path.relative(options.cwd, p))),
      });
      const found = await globber().glob(pattern, {
        cwd: options.cwd,
        absolute: true,
        onlyFiles: true,
        ignore: IGNORED_FOLDERS,
      });
      for (const f of found) if (supported(f)) files.add(path.resolve(f));
    } else {
      // Gone since the last run (or a typo): documents indexed from there are removed.
      roots.push({ input, kind: "missing", contains: (p) => isUnder(absolute, p) });
    }
  }
  return { roots, files: [...files].sort() };
}
