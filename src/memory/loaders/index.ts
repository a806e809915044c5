import { readFile, stat } from "node:fs/promises";
import { extname, resolve } from "node:path";
import type { DocumentBlock, DocumentFormat, LoadedDocument } from "../document.js";
import { parseCsv } from "./csv-loader.js";
import { parseDocx } from "./docx-loader.js";
import { parseHtml } from "./html-loader.js";
import { parseJson, parseJsonLines } from "./json-loader.js";
import { LoaderError } from "./loader-error.js";
import { parseMarkdown } from "./markdown-loader.js";
import { parsePdf } from "./pdf-loader.js";
import { plainTextBlocks } from "./text-loader.js";
import { decodeText } from "./text-source.js";

export { LoaderError } from "./loader-error.js";

const FORMATS: Record<string, DocumentFormat> = {
  ".txt": "text",
  ".md": "markdown",
  ".markdown": "markdown",
  ".html": "html",
  ".htm": "html",
  ".pdf": "pdf",
  ".docx": "docx",
  ".csv": "csv",
  ".json": "json",
  ".jsonl": "jsonl",
};

/** File extensions `loadDocument` reads, lower case with the dot. */
export const SUPPORTED_EXTENSIONS: readonly string[] = Object.freeze(Object.keys(FORMATS));

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

export interface LoadDocumentOptions {
  /** Files larger than this are refused (default 50 MB). */
  maxBytes?: number;
}

interface Parsed {
  title?: string;
  text?: string;
  blocks: DocumentBlock[];
  metadata: Record<string, unknown>;
}

/**
 * Reads a file into a `LoadedDocument`: its text, structural blocks in reading order (with heading
 * path, line range or page) and metadata. The format follows the extension (see
 * `SUPPORTED_EXTENSIONS`). Throws `LoaderError` naming the file, the reason and the fix when the
 * file is missing, empty, too large, binary, damaged or has no text.
 *
 * @example
 * const doc = await loadDocument("docs/guide.md");
 * console.log(doc.title, doc.blocks.length);
 */
export async function loadDocument(path: string, options: LoadDocumentOptions = {}): Promise<LoadedDocument> {
  const source = resolve(path);
  const size = await fileSize(source);
  const extension = extname(source).toLowerCase();
  const format = FORMATS[extension];
  if (!format) {
    throw new LoaderError({
      path: source,
      reason: extension ? `files of type ${extension} are not supported` : "the file has no extension",
      fix: `Convert it to one of ${SUPPORTED_EXTENSIONS.join(", ")}, or leave it out.`,
    });
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (size > maxBytes) {
    throw new LoaderError({
      path: source,
      reason: `it is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit`,
      fix: "Split it into smaller files, or raise the limit with the maxBytes option.",
    });
  }
  if (size === 0) throw emptyFile(source);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(source);
  } catch (error) {
    throw fileSystemError(source, error);
  }
  const parsed = await parse(format, bytes, source);
  if (!parsed.blocks.length) {
    throw new LoaderError({
      path: source,
      reason: "it contains no text",
      fix:
        format === "pdf"
          ? "It may be a scanned image: run it through OCR (e.g. ocrmypdf) and index the result."
          : "Add content to the file or leave it out.",
    });
  }
  const document: LoadedDocument = {
    source,
    format,
    text: parsed.text ?? parsed.blocks.map((block) => block.text).join(format === "csv" ? "\n" : "\n\n"),
    blocks: parsed.blocks,
    metadata: { bytes: bytes.length, ...parsed.metadata },
  };
  if (parsed.title) document.title = parsed.title;
  return document;
}

async function fileSize(path: string): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw fileSystemError(path, error);
  }
  if (info.isDirectory()) {
    throw new LoaderError({
      path,
      reason: "it is a folder",
      fix: "Pass the files inside it, or a glob such as 'docs/**/*.md'.",
    });
  }
  if (!info.isFile())
    throw new LoaderError({ path, reason: "it is not a regular file", fix: "Pass the path of a file." });
  return info.size;
}

async function parse(format: DocumentFormat, bytes: Uint8Array, path: string): Promise<Parsed> {
  if (format === "pdf") return parsePdf(bytes, path);
  if (format === "docx") return parseDocx(bytes, path);
  const decoded = decodeText(bytes, path);
  if (!decoded.text.trim()) throw emptyFile(path, " (only whitespace)");
  const parsed = parseText(format, decoded.text, path);
  const warnings = [...decoded.warnings, ...((parsed.metadata.warnings as string[] | undefined) ?? [])];
  parsed.metadata = { encoding: decoded.encoding, ...parsed.metadata };
  if (warnings.length) parsed.metadata.warnings = warnings;
  return parsed;
}

function parseText(format: DocumentFormat, text: string, path: string): Parsed {
  switch (format) {
    case "markdown": {
      const { title, author, blocks } = parseMarkdown(text);
      const parsed: Parsed = { text, blocks, metadata: author ? { author } : {} };
      if (title) parsed.title = title;
      return parsed;
    }
    case "html":
      return parseHtml(text, { lineNumbers: true });
    case "csv":
      return parseCsv(text, path);
    case "json":
      return parseJson(text, path);
    case "jsonl":
      return parseJsonLines(text, path);
    default:
      return { text, blocks: plainTextBlocks(text), metadata: {} };
  }
}

function emptyFile(path: string, detail = ""): LoaderError {
  return new LoaderError({ path, reason: `the file is empty${detail}`, fix: "Add content to it or leave it out." });
}

function fileSystemError(path: string, error: unknown): LoaderError {
  const code = (error as { code?: string }).code;
  const reason =
    code === "ENOENT"
      ? "the file does not exist"
      : code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : `it could not be read (${error instanceof Error ? error.message : String(error)})`;
  const fix = code === "ENOENT" ? "Check the path." : "Check that the file is readable by this user.";
  return new LoaderError({ path, reason, fix, cause: error });
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
