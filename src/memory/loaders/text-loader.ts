import type { DocumentBlock } from "../document.js";

/**
 * Splits plain text into paragraph blocks at blank lines, with 1-based line ranges.
 *
 * @example
 * plainTextBlocks("One.\n\nTwo."); // two paragraphs, lines 1–1 and 3–3
 */
export function plainTextBlocks(text: string): DocumentBlock[] {
  const blocks: DocumentBlock[] = [];
  const lines = text.split("\n");
  let start = -1;
  const flush = (end: number) => {
    if (start === -1) return;
    const body = lines.slice(start, end).join("\n").trimEnd();
    blocks.push({ kind: "paragraph", text: body, headingPath: [], lineStart: start + 1, lineEnd: end });
    start = -1;
  };
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] as string).trim() === "") flush(i);
    else if (start === -1) start = i;
  }
  flush(lines.length);
  return blocks;
}
