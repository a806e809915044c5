/** Checking a data file before any engine touches it: it exists, is a file, and its bytes match its extension. */
import { open, stat } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import { DataLoadError } from "../../spec/errors.js";

export type DataFormat = "csv" | "tsv" | "parquet" | "json" | "jsonl" | "xlsx";

const FORMATS: Record<string, DataFormat> = {
  ".csv": "csv",
  ".tsv": "tsv",
  ".parquet": "parquet",
  ".json": "json",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".xlsx": "xlsx",
};

/** The file extensions `loadFiles` reads, lowercase with the dot. */
export const SUPPORTED_DATA_EXTENSIONS: readonly string[] = Object.keys(FORMATS);

export interface InputFile {
  /** Absolute path. */
  path: string;
  /** Base name, used for table names, origins and the cache key. */
  name: string;
  format: DataFormat;
  size: number;
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];
const PARQUET = [0x50, 0x41, 0x52, 0x31];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

async function readHead(path: string, length: number): Promise<Uint8Array> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** What the bytes look like, for messages about a file whose content does not match its extension. */
function describeContent(head: Uint8Array): string {
  if (startsWith(head, ZIP)) return "a zip archive";
  if (startsWith(head, OLE)) return "an old .xls workbook or a password-protected file";
  if (startsWith(head, PARQUET)) return "a Parquet file";
  const text = Buffer.from(head).toString("utf8");
  if (!head.includes(0)) {
    const trimmed = text.trimStart();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) return "JSON text";
    return "plain text (CSV?)";
  }
  return "binary data";
}

function fail(file: string, message: string): never {
  throw new DataLoadError({ path: file, message });
}

/**
 * Resolves and checks one path, throwing DataLoadError for a missing file, a directory, an
 * unsupported extension, an empty file, or content of the wrong kind (a CSV named `.xlsx`).
 */
export async function inspectInputFile(file: string, cwd: string): Promise<InputFile> {
  const path = resolve(cwd, file);
  const name = basename(path);
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") fail(path, `Data file not found: ${path}. Check the path and try again.`);
    throw new DataLoadError({ path, message: `Cannot read ${path}: ${error.message}`, cause: error });
  });
  if (info.isDirectory()) {
    fail(path, `${path} is a directory. Pass the data files inside it (e.g. ${file.replace(/\/$/, "")}/*.csv).`);
  }
  const extension = extname(name).toLowerCase();
  const format = FORMATS[extension];
  if (format === undefined) {
    const hint = extension === ".xls" ? " Open it in a spreadsheet program and save it as .xlsx." : "";
    fail(
      path,
      `Unsupported data file ${name}: weft loads ${SUPPORTED_DATA_EXTENSIONS.join(", ")} files.${hint || " Convert the file to one of these formats."}`,
    );
  }
  if (info.size === 0) fail(path, `${name} is empty (0 bytes). Check that it was saved completely.`);

  const head = await readHead(path, 4096);
  if (format === "xlsx" && !startsWith(head, ZIP)) {
    fail(
      path,
      `${name} is not a valid .xlsx workbook: it contains ${describeContent(head)}. Save it from a spreadsheet program as .xlsx, or give it the extension that matches its content.`,
    );
  }
  if (format === "parquet" && !startsWith(head, PARQUET)) {
    fail(
      path,
      `${name} is not a valid Parquet file: it contains ${describeContent(head)}. Give it the extension that matches its content.`,
    );
  }
  if (format !== "xlsx" && format !== "parquet") {
    const isUtf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
    if (isUtf16) fail(path, `${name} is UTF-16 encoded; save it as UTF-8 and load it again.`);
    if (info.size <= head.length && Buffer.from(head).toString("utf8").trim() === "") {
      fail(path, `${name} is empty (only blank space). Check that it was saved completely.`);
    }
    if (startsWith(head, ZIP) || startsWith(head, OLE) || startsWith(head, PARQUET) || head.includes(0)) {
      fail(
        path,
        `${name} is not a text ${format.toUpperCase()} file: it contains ${describeContent(head)}. Give it the extension that matches its content.`,
      );
    }
  }
  return { path, name, format, size: info.size };
}
