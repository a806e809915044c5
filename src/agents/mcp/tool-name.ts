/**
 * Tool names that every provider accepts (`^[a-zA-Z0-9_-]{1,64}$`), made from names that may not:
 * MCP tool names, BFCL's `module.function`, names that clash across servers.
 */
import { createHash } from "node:crypto";

const MAX = 64;

/**
 * Replaces every character outside `[a-zA-Z0-9_-]` with `_` and shortens names over 64 characters,
 * keeping them distinct with a short hash of the original.
 *
 * @example
 * sanitizeToolName("math.sqrt") // "math_sqrt"
 */
export function sanitizeToolName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9_-]/g, "_") || "tool";
  if (clean.length <= MAX) return clean;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${clean.slice(0, MAX - hash.length - 1)}_${hash}`;
}

/** `<server>__<tool>`, sanitised. */
export function prefixedToolName(server: string, tool: string): string {
  return sanitizeToolName(`${server}__${tool}`);
}

export type ToolPrefixMode = "always" | "never" | "on-clash";

/**
 * Names for one server's tools, in order: the sanitised tool name, or `<server>__<tool>` when `prefix`
 * is "always" or (for "on-clash") when the plain name is in `reserved` or repeats within the server.
 * A name still taken after that gets `_2`, `_3`, ... so the result never holds duplicates.
 */
export function assignToolNames(options: {
  server: string;
  tools: string[];
  prefix?: ToolPrefixMode;
  reserved?: Iterable<string>;
}): string[] {
  const mode = options.prefix ?? "on-clash";
  const reserved = new Set(options.reserved ?? []);
  const plainCounts = new Map<string, number>();
  for (const t of options.tools) {
    const plain = sanitizeToolName(t);
    plainCounts.set(plain, (plainCounts.get(plain) ?? 0) + 1);
  }
  const taken = new Set(reserved);
  return options.tools.map((t) => {
    const plain = sanitizeToolName(t);
    const clashes = reserved.has(plain) || (plainCounts.get(plain) ?? 0) > 1;
    const base = mode === "always" || (mode === "on-clash" && clashes) ? prefixedToolName(options.server, t) : plain;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = sanitizeToolName(`${base.slice(0, MAX - 4)}_${n}`);
    taken.add(name);
    return name;
  });
}
