/**
 * Handlebars' notion of an empty value: falsy (but 0 with includeZero) or an empty array.
 *
 * @example
 * isEmpty([]); // true
 * isEmpty(0, true); // false
 */
export function isEmpty(value: unknown, includeZero = false): boolean {
  if (value === 0) return !includeZero;
  if (Array.isArray(value)) return value.length === 0;
  return !value;
}

/**
 * Renders a value into the program text the way handlebars does for strings, numbers and lists of
 * them (no HTML escaping: this is a prompt, not a page); plain objects render as JSON.
 *
 * @example
 * toText(["a", "b"]); // "a,b"
 * toText({ a: 1 }); // '{"a":1}'
 */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== "object")) return String(value);
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return String(value);
  }
}

/**
 * True for objects that are not arrays (and not null).
 *
 * @example
 * isPlainObject({ a: 1 }); // true
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `\n`, `\t`, `\r` and `\\` escapes in stop and join strings, so template files can name a newline.
 *
 * @example
 * unescapeText("\\n-"); // "\n-"
 */
export function unescapeText(value: string): string {
  return value.replace(/\\([ntr\\])/g, (_, c: string) =>
    c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : "\\",
  );
}

/**
 * A JSON copy of a value, or `{ ok: false }` when it cannot be represented (functions, cycles).
 *
 * @example
 * jsonCopy({ a: [1] }); // { ok: true, value: { a: [1] } }
 */
export function jsonCopy(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (value === undefined) return { ok: true, value: undefined };
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return { ok: false };
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * Variables that are data (not helpers or compiled programs), as JSON.
 *
 * @example
 * dataOnly({ name: "Ada", shout: (s: string) => s }); // { name: "Ada" }
 */
export function dataOnly(variables: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(variables)) {
    if (typeof value === "function") continue;
    if (typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "weft-program") continue;
    const copy = jsonCopy(value);
    if (copy.ok) out[key] = copy.value;
  }
  return out;
}
