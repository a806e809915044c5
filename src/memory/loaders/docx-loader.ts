import { createRequire } from "node:module";
import type { HtmlStructure } from "./html-loader.js";
import { parseHtml } from "./html-loader.js";
import { LoaderError } from "./loader-error.js";

// Required on first use rather than imported, so that `import("weft")` does not pay for it.
const require = createRequire(import.meta.url);
const htmlParser = (): typeof import("node-html-parser") => require("node-html-parser");

/**
 * Converts a Word document to HTML with mammoth (Heading 1–6 styles become h1–h6, lists and tables
 * keep their shape, images are dropped) and reads it like an HTML page. Title and author come from
 * the document properties.
 *
 * @example
 * const { title, blocks } = await parseDocx(await readFile("report.docx"), "report.docx");
 */
export async function parseDocx(bytes: Uint8Array, path: string): Promise<HtmlStructure> {
  const [{ default: mammoth }, { default: JSZip }] = await Promise.all([import("mammoth"), import("jszip")]);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let zip: InstanceType<typeof JSZip>;
  let html: string;
  let messages: Array<{ type: string; message: string }>;
  try {
    zip = await JSZip.loadAsync(buffer);
    const result = await mammoth.convertToHtml(
      { buffer },
      { convertImage: mammoth.images.imgElement(async () => ({ src: "" })), externalFileAccess: false },
    );
    html = result.value;
    messages = result.messages;
  } catch (error) {
    throw new LoaderError({
      path,
      reason: `it is not a readable Word document (${error instanceof Error ? error.message : String(error)})`,
      fix: "Open it in a word processor and save it again as .docx (Word 2007 or later).",
      cause: error,
    });
  }
  const structure = parseHtml(html, { lineNumbers: false });
  const core = await zip
    .file("docProps/core.xml")
    ?.async("string")
    .catch(() => undefined);
  if (core) {
    const props = htmlParser().parse(core);
    const field = (tag: string) => props.getElementsByTagName(tag)[0]?.text.trim() || undefined;
    const title = field("dc:title");
    const author = field("dc:creator");
    if (title) structure.title = title;
    if (author) structure.metadata.author = author;
  }
  const warnings = messages.filter((m) => m.type === "error").map((m) => m.message);
  if (warnings.length) structure.metadata.warnings = warnings;
  return structure;
}
