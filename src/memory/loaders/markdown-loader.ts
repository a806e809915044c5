import type { DocumentBlock } from "../document.js";

export interface MarkdownStructure {
  title?: string;
  author?: string;
  blocks: DocumentBlock[];
}

// Markdown block structure is decided line by line (CommonMark §4–5), so these rules cover the
// constructs that matter for sectioning: ATX and setext headings, fenced and indented code,
// lists, GFM tables, thematic breaks and YAML front matter. Inline markup is kept verbatim.
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const THEMATIC = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
const TABLE_DELIMITER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const INDENTED = /^(?: {4}|\t)/;

/**
 * Reads the block structure of a Markdown text: headings set the heading path of what follows,
 * fenced code blocks stay whole, and every block keeps its 1-based line range.
 *
 * @example
 * parseMarkdown("# Guide\n\nHello.").blocks[1]; // { kind: "paragraph", headingPath: ["Guide"], lineStart: 3, ... }
 */
export function parseMarkdown(source: string): MarkdownStructure {
  const lines = source.split("\n");
  const blocks: DocumentBlock[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  const result: MarkdownStructure = { blocks };
  let i = readFrontMatter(lines, result);
  let paragraphStart = -1;

  const path = () => stack.map((h) => h.text);
  const push = (kind: DocumentBlock["kind"], from: number, to: number) => {
    const text = lines.slice(from, to).join("\n").trimEnd();
    if (text.trim()) blocks.push({ kind, text, headingPath: path(), lineStart: from + 1, lineEnd: to });
  };
  const flushParagraph = (end: number) => {
    if (paragraphStart !== -1) push("paragraph", paragraphStart, end);
    paragraphStart = -1;
  };
  const heading = (level: number, raw: string, from: number, to: number) => {
    const text = plainInline(raw);
    while (stack.length && (stack[stack.length - 1] as { level: number }).level >= level) stack.pop();
    if (text) {
      blocks.push({ kind: "heading", text, level, headingPath: path(), lineStart: from + 1, lineEnd: to });
      stack.push({ level, text });
      if (level === 1 && result.title === undefined) result.title = text;
    }
  };

  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === "") {
      flushParagraph(i);
      i++;
      continue;
    }
    if (paragraphStart !== -1 && SETEXT.test(line)) {
      const from = paragraphStart;
      paragraphStart = -1;
      heading(line.trim().startsWith("=") ? 1 : 2, lines.slice(from, i).join(" "), from, i + 1);
      i++;
      continue;
    }
    const fence = FENCE_OPEN.exec(line);
    if (fence && !(fence[1]?.startsWith("`") && fence[2]?.includes("`"))) {
      flushParagraph(i);
      const end = closingFence(lines, i + 1, fence[1] as string);
      push("code", i, end);
      i = end;
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      flushParagraph(i);
      heading((atx[1] as string).length, atx[2] ?? "", i, i + 1);
      i++;
      continue;
    }
    if (THEMATIC.test(line)) {
      flushParagraph(i);
      i++;
      continue;
    }
    const delimiter = lines[i + 1] ?? "";
    if (line.includes("|") && delimiter.includes("|") && TABLE_DELIMITER.test(delimiter)) {
      flushParagraph(i);
      let end = i + 2;
      while (end < lines.length && (lines[end] as string).trim() !== "" && (lines[end] as string).includes("|")) end++;
      push("table", i, end);
      i = end;
      continue;
    }
    if (LIST_ITEM.test(line)) {
      flushParagraph(i);
      const end = listEnd(lines, i);
      push("list", i, end);
      i = end;
      continue;
    }
    if (paragraphStart === -1 && INDENTED.test(line)) {
      let end = i + 1;
      while (end < lines.length && (INDENTED.test(lines[end] as string) || isBlankBeforeIndented(lines, end))) end++;
      push("code", i, end);
      i = end;
      continue;
    }
    if (paragraphStart === -1) paragraphStart = i;
    i++;
  }
  flushParagraph(lines.length);
  return result;
}

function closingFence(lines: string[], from: number, open: string): number {
  const char = open[0] as string;
  for (let i = from; i < lines.length; i++) {
    const trimmed = (lines[i] as string).trim();
    const run = trimmed.length - trimmed.replace(new RegExp(`^\\${char}+`), "").length;
    if (run >= open.length && run === trimmed.length && /^ {0,3}\S/.test(lines[i] as string)) return i + 1;
  }
  return lines.length;
}

/** A list runs over its items, indented continuation lines, lazy lines and blank lines inside it. */
function listEnd(lines: string[], from: number): number {
  let i = from + 1;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === "") {
      let next = i + 1;
      while (next < lines.length && (lines[next] as string).trim() === "") next++;
      const after = lines[next];
      if (after === undefined || !(LIST_ITEM.test(after) || /^(?: {2,}|\t)/.test(after))) return i;
      i = next;
      continue;
    }
    if (LIST_ITEM.test(line) || /^(?: {2,}|\t)/.test(line)) {
      i++;
      continue;
    }
    const interrupts = ATX.test(line) || FENCE_OPEN.test(line) || THEMATIC.test(line) || line.includes("|");
    if (interrupts) return i;
    i++; // lazy continuation of the previous item's paragraph
  }
  return i;
}

function isBlankBeforeIndented(lines: string[], i: number): boolean {
  if ((lines[i] as string).trim() !== "") return false;
  let next = i + 1;
  while (next < lines.length && (lines[next] as string).trim() === "") next++;
  return next < lines.length && INDENTED.test(lines[next] as string);
}

/** YAML front matter (`---` … `---`) is metadata, not text: take its title and author, return the first body line. */
function readFrontMatter(lines: string[], result: MarkdownStructure): number {
  if (lines[0]?.trim() !== "---") return 0;
  const end = lines.findIndex((line, i) => i > 0 && (line.trim() === "---" || line.trim() === "..."));
  if (end === -1 || end > 200) return 0;
  for (const line of lines.slice(1, end)) {
    const field = /^(title|author):[ \t]*(.+?)[ \t]*$/.exec(line);
    if (!field) continue;
    const value = (field[2] as string).replace(/^(["'])(.*)\1$/, "$2");
    if (field[1] === "title") result.title = value;
    else result.author = value;
  }
  return end + 1;
}

/** Heading text without inline markup: links keep their label, emphasis and code marks go. */
function plainInline(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/!?\[([^\]]*)\]\[[^\]]*\]/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/(\*\*|__|\*|_|~~|`+)(\S(?:.*?\S)?)\1/g, "$2")
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}
