import type { DocumentBlock } from "../document.js";
import { jsonErrorOffset } from "./json-error.js";
import { LoaderError } from "./loader-error.js";
import { createLineIndex } from "./text-source.js";

export interface JsonStructure {
  blocks: DocumentBlock[];
  metadata: Record<string, unknown>;
}

interface Span {
  start: number;
  end: number;
  /** Members of the container this member's value is, one level down. */
  children: Span[];
}

/**
 * Reads a JSON file as records: each element of a top-level array is one; in a top-level object
 * each member is one, except arrays of objects, whose elements become records under the member's
 * name (their heading path). Nested values are flattened to "path: value" lines.
 *
 * @example
 * parseJson('[{"name":"Ada","langs":["en","fr"]}]', "people.json").blocks[0].text; // "name: Ada\nlangs: en, fr"
 */
export function parseJson(text: string, path: string): JsonStructure {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidJson(path, text, error, 0);
  }
  const lines = createLineIndex(text);
  const spans = memberSpans(text);
  const blocks: DocumentBlock[] = [];
  const record = (text: string, headingPath: string[], span: Span | undefined) => {
    if (!text.trim()) return;
    const block: DocumentBlock = { kind: "record", text, headingPath };
    if (span) {
      block.lineStart = lines.lineAt(span.start);
      block.lineEnd = lines.lineAt(span.end - 1);
    }
    blocks.push(block);
  };
  if (Array.isArray(value)) {
    value.forEach((element, i) => {
      record(flatten(element, ""), [], spans[i]);
    });
  } else if (isObject(value)) {
    const byKey = new Map(spans.map((span) => [memberKey(text, span), span]));
    for (const [key, member] of Object.entries(value)) {
      const span = byKey.get(key);
      if (Array.isArray(member) && member.some((element) => isObject(element) || Array.isArray(element))) {
        member.forEach((element, j) => {
          record(flatten(element, ""), [key], span?.children[j]);
        });
      } else {
        record(flatten(member, key), [], span);
      }
    }
  } else {
    record(flatten(value, ""), [], { start: 0, end: text.trimEnd().length, children: [] });
  }
  return { blocks, metadata: { records: blocks.length } };
}

/**
 * Reads JSON Lines: every non-blank line is one JSON value and one record, with its line number.
 *
 * @example
 * parseJsonLines('{"q":"hi"}\n{"q":"bye"}\n', "log.jsonl").blocks[1].lineStart; // 2
 */
export function parseJsonLines(text: string, path: string): JsonStructure {
  const blocks: DocumentBlock[] = [];
  const lines = text.split("\n");
  let offset = 0;
  lines.forEach((line, i) => {
    if (line.trim()) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw invalidJson(path, text, error, offset, line);
      }
      const flat = flatten(value, "");
      if (flat.trim()) blocks.push({ kind: "record", text: flat, headingPath: [], lineStart: i + 1, lineEnd: i + 1 });
    }
    offset += line.length + 1;
  });
  return { blocks, metadata: { records: blocks.length } };
}

function invalidJson(path: string, text: string, error: unknown, offset: number, segment?: string): LoaderError {
  const message = error instanceof Error ? error.message : String(error);
  const local = segment ?? text;
  const position = /at position (\d+)/.exec(message);
  const at = position ? Number(position[1]) : jsonErrorOffset(local);
  let where = "";
  if (at !== undefined) {
    const before = text.slice(0, offset + at);
    const line = (before.match(/\n/g)?.length ?? 0) + 1;
    const column = offset + at - before.lastIndexOf("\n");
    where = ` at line ${line}, column ${column}`;
  }
  const detail = message
    .replace(/\s*(in JSON )?at position \d+.*$/s, "")
    .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, "");
  return new LoaderError({
    path,
    reason: `it is not valid JSON${where} (${detail})`,
    fix:
      segment === undefined
        ? "Fix the syntax there (a JSON validator shows it), or use .jsonl for one JSON value per line."
        : "Each line of a .jsonl file must be one complete JSON value; fix or remove that line.",
    cause: error,
  });
}

/** The key of an object member span: the JSON string it starts with. */
function memberKey(text: string, span: Span): string | undefined {
  const match = /^"(?:[^"\\]|\\.)*"/s.exec(text.slice(span.start, span.end));
  return match ? (JSON.parse(match[0]) as string) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** "a.b: 1" lines; arrays of plain values become one comma-separated line. */
function flatten(value: unknown, prefix: string): string {
  const out: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      if (v.every((x) => !isObject(x) && !Array.isArray(x))) {
        if (v.length) out.push(`${path || "values"}: ${v.map(scalar).join(", ")}`);
      } else {
        v.forEach((x, i) => {
          walk(x, `${path}[${i}]`);
        });
      }
    } else if (isObject(v)) {
      for (const [key, x] of Object.entries(v)) walk(x, path ? `${path}.${key}` : key);
    } else if (v !== null && v !== "") {
      out.push(path ? `${path}: ${scalar(v)}` : scalar(v));
    }
  };
  walk(value, prefix);
  return out.join("\n");
}

function scalar(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Character spans of the top-level container's members and, one level down, of their members.
 * Runs only on text that JSON.parse accepted, so it needs to track strings and nesting, nothing more.
 */
function memberSpans(text: string): Span[] {
  const frames: Array<{ members: Span[]; start: number; lastEnd: number }> = [];
  let top: Span[] = [];
  let pendingChildren: Span[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const frame = frames[frames.length - 1];
    if (c === " " || c === "\n" || c === "\t" || c === "\r") continue;
    if (frame && frame.start === -1 && c !== "]" && c !== "}") frame.start = i;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    } else if (c === "[" || c === "{") {
      frames.push({ members: [], start: -1, lastEnd: i + 1 });
      continue;
    } else if (c === "," && frame) {
      frame.members.push({
        start: frame.start,
        end: frame.lastEnd,
        children: frames.length === 1 ? pendingChildren : [],
      });
      pendingChildren = [];
      frame.start = -1;
      continue;
    } else if (c === "]" || c === "}") {
      const done = frames.pop();
      if (done && done.start !== -1) {
        done.members.push({
          start: done.start,
          end: done.lastEnd,
          children: frames.length === 0 ? pendingChildren : [],
        });
      }
      if (frames.length === 0) top = done?.members ?? [];
      else if (frames.length === 1) pendingChildren = done?.members ?? [];
    }
    const current = frames[frames.length - 1];
    if (current) current.lastEnd = i + 1;
  }
  return top;
}
