import { createRequire } from "node:module";
import type { HTMLElement, Node } from "node-html-parser";
import type { DocumentBlock } from "../document.js";
import { createLineIndex } from "./text-source.js";

// Required on first use rather than imported, so that `import("weft")` does not pay for it.
const require = createRequire(import.meta.url);
const htmlParser = (): typeof import("node-html-parser") => require("node-html-parser");
const ELEMENT = () => htmlParser().NodeType.ELEMENT_NODE;
const TEXT = () => htmlParser().NodeType.TEXT_NODE;

export interface HtmlStructure {
  title?: string;
  blocks: DocumentBlock[];
  metadata: Record<string, unknown>;
}

/** Not reading content: scripts, styles, navigation, embedded objects and form controls. */
const SKIPPED = new Set([
  "script",
  "style",
  "nav",
  "noscript",
  "template",
  "svg",
  "math",
  "iframe",
  "object",
  "embed",
  "canvas",
  "head",
  "title",
  "button",
  "select",
  "textarea",
  "input",
]);
const INLINE = new Set([
  "a",
  "abbr",
  "b",
  "bdi",
  "bdo",
  "cite",
  "code",
  "data",
  "del",
  "dfn",
  "em",
  "font",
  "i",
  "ins",
  "kbd",
  "label",
  "mark",
  "q",
  "s",
  "samp",
  "small",
  "span",
  "strong",
  "sub",
  "sup",
  "time",
  "tt",
  "u",
  "var",
  "wbr",
  "img",
]);
const PARAGRAPHS = new Set(["p", "blockquote", "figcaption", "caption", "dt", "dd", "address", "summary", "legend"]);

/**
 * Reads the reading-order blocks of an HTML page: h1–h6 become headings that set the heading path,
 * lists, tables and `<pre>` keep their shape, scripts, styles and navigation are dropped.
 * With `lineNumbers`, blocks carry the line range of their source elements.
 *
 * @example
 * parseHtml("<h1>Guide</h1><p>Hi</p>", { lineNumbers: true }).blocks[1].headingPath; // ["Guide"]
 */
export function parseHtml(html: string, options: { lineNumbers: boolean }): HtmlStructure {
  const root = htmlParser().parse(html, {
    comment: false,
    blockTextElements: { script: false, style: false, noscript: false, template: false },
  });
  const lines = options.lineNumbers ? createLineIndex(html) : undefined;
  const blocks: DocumentBlock[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  let inline = "";
  let inlineRange: [number, number] | undefined;

  const emit = (
    kind: DocumentBlock["kind"],
    text: string,
    range: readonly [number, number] | undefined,
    level?: number,
  ) => {
    const block: DocumentBlock = { kind, text, headingPath: stack.map((h) => h.text) };
    if (level !== undefined) block.level = level;
    if (lines && range) {
      block.lineStart = lines.lineAt(range[0]);
      block.lineEnd = lines.lineAt(Math.max(range[0], range[1] - 1));
    }
    blocks.push(block);
  };
  const flushInline = () => {
    const text = tidy(inline);
    if (text) emit("paragraph", text, inlineRange);
    inline = "";
    inlineRange = undefined;
  };
  const addInline = (node: Node) => {
    inline += inlineText(node);
    inlineRange = inlineRange ? [inlineRange[0], node.range[1]] : [node.range[0], node.range[1]];
  };

  const visit = (node: Node) => {
    if (node.nodeType === TEXT()) {
      if (node.text.trim()) addInline(node);
      else inline += " ";
      return;
    }
    if (node.nodeType !== ELEMENT()) return;
    const element = node as HTMLElement;
    const tag = element.tagName?.toLowerCase() ?? "";
    if (SKIPPED.has(tag) || element.getAttribute("hidden") !== undefined) return;
    if (INLINE.has(tag) || tag === "br") {
      addInline(element);
      return;
    }
    flushInline();
    const heading = /^h([1-6])$/.exec(tag);
    if (heading) {
      const level = Number(heading[1]);
      const text = tidy(inlineText(element)).replace(/\n/g, " ");
      while (stack.length && (stack[stack.length - 1] as { level: number }).level >= level) stack.pop();
      if (text) {
        emit("heading", text, element.range, level);
        stack.push({ level, text });
      }
    } else if (PARAGRAPHS.has(tag)) {
      const text = tidy(inlineText(element));
      if (text) emit("paragraph", text, element.range);
    } else if (tag === "ul" || tag === "ol") {
      const text = listText(element, 0);
      if (text) emit("list", text, element.range);
    } else if (tag === "pre") {
      const text = element.text.replace(/^\n/, "").trimEnd();
      if (text.trim()) emit("code", text, element.range);
    } else if (tag === "table") {
      const text = tableText(element);
      if (text) emit("table", text, element.range);
    } else {
      for (const child of element.childNodes) visit(child);
      flushInline();
    }
  };
  const body = root.querySelector("body") ?? root;
  for (const child of body.childNodes) visit(child);
  flushInline();

  const metadata: Record<string, unknown> = {};
  const author = root.querySelector('meta[name="author"]')?.getAttribute("content")?.trim();
  if (author) metadata.author = author;
  const description = root.querySelector('meta[name="description"]')?.getAttribute("content")?.trim();
  if (description) metadata.description = description;
  const lang = root.querySelector("html")?.getAttribute("lang");
  if (lang) metadata.language = lang;
  const title =
    tidy(root.querySelector("title")?.text ?? "") || blocks.find((b) => b.kind === "heading" && b.level === 1)?.text;
  return title ? { title, blocks, metadata } : { blocks, metadata };
}

/** Text of inline content: whitespace collapses as a browser would, `<br>` breaks the line. */
function inlineText(node: Node): string {
  if (node.nodeType === TEXT()) return node.text.replace(/\s+/g, " ");
  if (node.nodeType !== ELEMENT()) return "";
  const element = node as HTMLElement;
  const tag = element.tagName?.toLowerCase() ?? "";
  if (tag === "br") return "\n";
  if (tag === "img") return element.getAttribute("alt") ?? "";
  if (SKIPPED.has(tag)) return "";
  const text = element.childNodes.map(inlineText).join("");
  return INLINE.has(tag) ? text : `\n${text}\n`;
}

function tidy(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join("\n");
}

function listText(list: HTMLElement, depth: number): string {
  const ordered = list.tagName.toLowerCase() === "ol";
  const out: string[] = [];
  let n = Number(list.getAttribute("start") ?? 1) || 1;
  for (const item of list.childNodes) {
    if (item.nodeType !== ELEMENT() || (item as HTMLElement).tagName.toLowerCase() !== "li") continue;
    const own: string[] = [];
    const nested: string[] = [];
    for (const child of item.childNodes) {
      const tag = child.nodeType === ELEMENT() ? (child as HTMLElement).tagName.toLowerCase() : "";
      if (tag === "ul" || tag === "ol") nested.push(listText(child as HTMLElement, depth + 1));
      else own.push(inlineText(child));
    }
    const marker = ordered ? `${n++}.` : "-";
    out.push(`${"  ".repeat(depth)}${marker} ${tidy(own.join("")).replace(/\n/g, " ")}`);
    out.push(...nested.filter(Boolean));
  }
  return out.join("\n");
}

function tableText(table: HTMLElement): string {
  return table
    .querySelectorAll("tr")
    .map((row) =>
      row.childNodes
        .filter((cell) => cell.nodeType === ELEMENT() && /^t[hd]$/i.test((cell as HTMLElement).tagName))
        .map((cell) => tidy(inlineText(cell)).replace(/\n/g, " "))
        .join(" | "),
    )
    .filter((row) => row.replace(/[|\s]/g, ""))
    .join("\n");
}
