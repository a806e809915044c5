import { LoaderError } from "./loader-error.js";

/** Decoded text of a file plus what went wrong on the way. Line endings are normalised to "\n". */
export interface DecodedText {
  text: string;
  encoding: "utf-8" | "utf-16le" | "utf-16be";
  warnings: string[];
}

const SAMPLE_BYTES = 64 * 1024;

/**
 * Decodes the bytes of a text-like file. Binary files (NUL bytes, many control characters or
 * undecodable bytes) are refused; a few invalid UTF-8 bytes are replaced with U+FFFD and reported.
 *
 * @example
 * const { text, warnings } = decodeText(await readFile(path), path);
 */
export function decodeText(bytes: Uint8Array, path: string): DecodedText {
  const utf16 = utf16Encoding(bytes);
  if (utf16) {
    const text = new TextDecoder(utf16).decode(bytes.subarray(2));
    return { text: normalizeNewlines(text), encoding: utf16, warnings: [] };
  }
  if (bytes.indexOf(0) !== -1) throw looksBinary(path, "it contains NUL bytes");
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const sample = body.subarray(0, SAMPLE_BYTES);
  let control = 0;
  for (const byte of sample) {
    // Tab, newline, vertical tab, form feed, carriage return and escape occur in real text files.
    if (byte < 0x20 && (byte < 0x09 || byte > 0x0d) && byte !== 0x1b) control++;
  }
  if (control > sample.length * 0.05)
    throw looksBinary(path, `${control} of its first ${sample.length} bytes are control characters`);

  const warnings: string[] = [];
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    text = normalizeNewlines(new TextDecoder("utf-8").decode(body));
    const sampleText = text.slice(0, SAMPLE_BYTES);
    const badInSample = countChar(sampleText, "\ufffd");
    if (badInSample > sampleText.length * 0.1) {
      throw looksBinary(path, `${badInSample} of its first ${sampleText.length} characters are not valid UTF-8`);
    }
    const first = text.indexOf("\ufffd");
    const line = first === -1 ? 1 : countChar(text.slice(0, first), "\n") + 1;
    warnings.push(
      `The file is not valid UTF-8 (first bad byte on line ${line}); ${countChar(text, "\ufffd")} character(s) were replaced with U+FFFD. Re-save it as UTF-8 to keep them.`,
    );
    return { text, encoding: "utf-8", warnings };
  }
  return { text: normalizeNewlines(text), encoding: "utf-8", warnings };
}

function utf16Encoding(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return undefined;
}

function looksBinary(path: string, detail: string): LoaderError {
  return new LoaderError({
    path,
    reason: `the file looks binary (${detail})`,
    fix: "Check that it is a text file, or convert it to a supported format (.txt, .md, .html, .pdf, .docx, .csv, .json, .jsonl).",
  });
}

function countChar(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) n++;
  return n;
}

function normalizeNewlines(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

/**
 * Maps character offsets of a text to 1-based line numbers.
 *
 * @example
 * const lines = createLineIndex("a\nb"); lines.lineAt(2); // 2
 */
export function createLineIndex(text: string): { lineAt(offset: number): number } {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return {
    lineAt(offset: number): number {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] as number) <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo + 1;
    },
  };
}
