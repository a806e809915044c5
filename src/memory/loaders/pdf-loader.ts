import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { DocumentBlock } from "../document.js";
import { LoaderError } from "./loader-error.js";

export interface PdfStructure {
  title?: string;
  blocks: DocumentBlock[];
  metadata: Record<string, unknown>;
}

interface Line {
  text: string;
  size: number;
  y: number;
  page: number;
}

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");

/**
 * Extracts the text of a PDF page by page with pdf.js (legacy build, in-process, no worker thread,
 * no network: fonts and character maps are read from the installed package). Lines are grouped
 * into paragraphs by their vertical gaps; lines set in a clearly larger size become headings.
 *
 * @example
 * const { blocks, metadata } = await parsePdf(await readFile("paper.pdf"), "paper.pdf");
 */
export async function parsePdf(bytes: Uint8Array, path: string): Promise<PdfStructure> {
  const pdfjs: PdfJs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const root = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    standardFontDataUrl: `${join(root, "standard_fonts")}/`,
    cMapUrl: `${join(root, "cmaps")}/`,
    cMapPacked: true,
    wasmUrl: `${join(root, "wasm")}/`,
  });
  try {
    const pdf = await task.promise;
    const lines: Line[] = [];
    for (let page = 1; page <= pdf.numPages; page++) {
      const content = await (await pdf.getPage(page)).getTextContent();
      let current: Line | undefined;
      for (const item of content.items) {
        if (!("str" in item)) continue;
        const y = Number(item.transform[5]);
        const size = Math.abs(Number(item.transform[3])) || item.height;
        if (current && item.str && Math.abs(current.y - y) > Math.max(current.size, size) * 0.5) {
          lines.push(current);
          current = undefined;
        }
        if (item.str) {
          current ??= { text: "", size: 0, y, page };
          current.text += item.str;
          current.size = Math.max(current.size, size);
        }
        if (item.hasEOL && current) {
          lines.push(current);
          current = undefined;
        }
      }
      if (current) lines.push(current);
    }
    const info = ((await pdf.getMetadata().catch(() => undefined))?.info ?? {}) as Record<string, unknown>;
    const metadata: Record<string, unknown> = { pages: pdf.numPages };
    const author = typeof info.Author === "string" ? info.Author.trim() : "";
    if (author) metadata.author = author;
    const blocks = linesToBlocks(lines.filter((line) => line.text.trim()));
    const infoTitle = typeof info.Title === "string" ? info.Title.trim() : "";
    const title = infoTitle || blocks.find((b) => b.kind === "heading")?.text;
    return title ? { title, blocks, metadata } : { blocks, metadata };
  } catch (error) {
    if (LoaderError.isInstance(error)) throw error;
    const name = error instanceof Error ? error.name : "";
    const detail = error instanceof Error ? error.message : String(error);
    if (name === "PasswordException") {
      throw new LoaderError({
        path,
        reason: "the PDF is password-protected",
        fix: "Save an unprotected copy and index that instead.",
        cause: error,
      });
    }
    throw new LoaderError({
      path,
      reason: `the PDF is damaged or truncated (${detail})`,
      fix: "Re-download or re-export the file; if another viewer opens it, print it to a new PDF.",
      cause: error,
    });
  } finally {
    await task.destroy();
  }
}

function linesToBlocks(lines: Line[]): DocumentBlock[] {
  const headingSizes = detectHeadingSizes(lines);
  const blocks: DocumentBlock[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  let paragraph: Line[] = [];
  const flush = () => {
    if (!paragraph.length) return;
    blocks.push({
      kind: "paragraph",
      text: joinLines(paragraph),
      headingPath: stack.map((h) => h.text),
      page: (paragraph[0] as Line).page,
    });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    const level = line.text.trim().length <= 150 ? headingSizes.get(line.size) : undefined;
    if (level !== undefined) {
      flush();
      const parts = [line];
      while (i + 1 < lines.length && isSameHeading(lines[i + 1] as Line, line)) parts.push(lines[++i] as Line);
      const text = joinLines(parts).replace(/\s+/g, " ");
      while (stack.length && (stack[stack.length - 1] as { level: number }).level >= level) stack.pop();
      blocks.push({ kind: "heading", text, level, headingPath: stack.map((h) => h.text), page: line.page });
      stack.push({ level, text });
      continue;
    }
    const previous = paragraph[paragraph.length - 1];
    const gap = previous ? previous.y - line.y : 0;
    const breaks =
      previous &&
      (previous.page !== line.page ||
        gap <= 0 ||
        gap > 1.6 * Math.max(previous.size, line.size) ||
        Math.abs(previous.size - line.size) > 0.5);
    if (breaks) flush();
    paragraph.push(line);
  }
  flush();
  return blocks;
}

function isSameHeading(next: Line, line: Line): boolean {
  return next.page === line.page && next.size === line.size && line.y - next.y > 0 && line.y - next.y < 1.6 * line.size;
}

/**
 * Sizes set clearly larger than the body text, largest first, as heading levels. Returns none
 * when such text is common (over a quarter), since then size does not mark structure here.
 */
function detectHeadingSizes(lines: Line[]): Map<number, number> {
  const chars = new Map<number, number>();
  for (const line of lines) chars.set(line.size, (chars.get(line.size) ?? 0) + line.text.length);
  let body = 0;
  let most = -1;
  for (const [size, count] of chars) {
    if (count > most || (count === most && size < body)) [body, most] = [size, count];
  }
  const isHeading = (line: Line) =>
    line.size >= body * 1.2 && line.text.trim().length <= 150 && /\p{L}/u.test(line.text);
  const headingLines = lines.filter(isHeading);
  const headingChars = headingLines.reduce((sum, line) => sum + line.text.length, 0);
  const allChars = lines.reduce((sum, line) => sum + line.text.length, 0);
  if (!headingLines.length || headingChars > allChars * 0.25) return new Map();
  const sizes = [...new Set(headingLines.map((line) => line.size))].sort((a, b) => b - a).slice(0, 6);
  return new Map(sizes.map((size, i) => [size, i + 1]));
}

/** PDF lines are layout wraps: join them into running text, keeping a hyphen at a line break. */
function joinLines(lines: Line[]): string {
  let text = "";
  for (const line of lines) {
    const part = line.text.trim();
    if (!text) text = part;
    else text += /\p{L}-$/u.test(text) ? part : ` ${part}`;
  }
  return text;
}
