import { isPlainObject } from "./values.js";

/** One level of context: the value `this` refers to, `@` data, block parameters. */
export interface Frame {
  context: unknown;
  data: Record<string, unknown>;
  blockParams?: Record<string, unknown>;
  parent?: Frame;
  /** Set by geneach: `{{gen 'this'}}` replaces the current item. */
  assignThis?: (value: unknown) => void;
  /** Handlebars indents every line of a standalone partial; nested partials compose. */
  indent?: (text: string) => string;
}

export type Lookup = { found: true; value: unknown } | { found: false };

function hasKey(object: unknown, key: string): boolean {
  if (object === null || object === undefined) return false;
  if (typeof object === "object" || typeof object === "function") return key in (object as object);
  return key in Object(object);
}

function property(object: unknown, key: string): unknown {
  if (object === null || object === undefined) return undefined;
  return (object as Record<string, unknown>)[key];
}

/**
 * Reads the rest of a dotted path; missing properties of an existing value read as undefined.
 *
 * @example
 * readPath({ a: { b: 1 } }, ["a", "b"]); // 1
 */
export function readPath(value: unknown, parts: string[]): unknown {
  let current = value;
  for (const part of parts) current = property(current, part);
  return current;
}

function ancestor(frame: Frame, depth: number): Frame {
  let current = frame;
  for (let i = 0; i < depth && current.parent; i++) current = current.parent;
  return current;
}

/**
 * Resolves a handlebars path. Like guidance (and handlebars' `compat` mode), a plain name that the
 * current context lacks is looked up in the enclosing contexts; `this.x` and `../x` are exact.
 *
 * @example
 * lookupPath({ context: { name: "Ada" }, data: {} }, pathNode, root); // { found: true, value: "Ada" }
 */
export function lookupPath(frame: Frame, path: hbs.AST.PathExpression, root: Record<string, unknown>): Lookup {
  const [head, ...rest] = path.parts;
  if (path.data) {
    let current: Frame | undefined = ancestor(frame, path.depth);
    if (head === "root") return { found: true, value: readPath(root, rest) };
    while (current) {
      if (head !== undefined && head in current.data) return { found: true, value: readPath(current.data[head], rest) };
      current = current.parent;
    }
    return { found: false };
  }
  const target = ancestor(frame, path.depth);
  const explicitThis = /^(this|\.)([./]|$)/.test(path.original) || path.depth > 0;
  if (head === undefined) return { found: true, value: target.context };
  if (explicitThis) return { found: true, value: readPath(target.context, path.parts) };
  for (let current: Frame | undefined = target; current; current = current.parent) {
    if (current.blockParams && head in current.blockParams) {
      return { found: true, value: readPath(current.blockParams[head], rest) };
    }
    if (hasKey(current.context, head)) return { found: true, value: readPath(current.context, path.parts) };
  }
  if (head in root) return { found: true, value: readPath(root, path.parts) };
  return { found: false };
}

/**
 * Assigns a program variable: `name` and `a.b` write to the program's variables; `this` and `this.x`
 * write to the current item (inside geneach or each).
 *
 * @example
 * assignPath(frame, "profile.name", "Ada", root); // root.profile.name === "Ada"
 */
export function assignPath(
  frame: Frame,
  name: string,
  value: unknown,
  root: Record<string, unknown>,
): { ok: true } | { ok: false; reason: string } {
  const parts = name.split(".").filter((p) => p !== "");
  if (parts.length === 0) return { ok: false, reason: "the variable name is empty" };
  let target: Record<string, unknown>;
  if (parts[0] === "this") {
    const owner = frame;
    if (parts.length === 1) {
      if (!owner.assignThis) return { ok: false, reason: "'this' can only be assigned directly inside {{#geneach}}" };
      owner.assignThis(value);
      return { ok: true };
    }
    if (!isPlainObject(owner.context)) {
      return {
        ok: false,
        reason: `'this' is ${Array.isArray(owner.context) ? "a list" : typeof owner.context}, not an object`,
      };
    }
    target = owner.context;
    parts.shift();
  } else {
    target = root;
  }
  for (const part of parts.slice(0, -1)) {
    const next = target[part];
    if (next === undefined || next === null) {
      const created: Record<string, unknown> = {};
      target[part] = created;
      target = created;
    } else if (isPlainObject(next)) {
      target = next;
    } else {
      return { ok: false, reason: `'${part}' is not an object` };
    }
  }
  target[parts[parts.length - 1] as string] = value;
  return { ok: true };
}
