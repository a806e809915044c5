/**
 * An AST-style argument matcher for BFCL's possible answers, following the rules of BFCL's own
 * checker (bfcl_eval/eval_checker/ast_eval): the function name matches, every required parameter is
 * present, no parameter is unexpected, each value has the declared type and is one of the allowed
 * values, and a parameter left out is one whose allowed values include `""`.
 *
 * Equality is type-aware: integers must be integers (a float parameter also takes an integer, as
 * Python's auto-conversion does); strings compare after BFCL's normalisation (case, spaces and
 * `,./-_*^` ignored, `'` read as `"`); lists compare in order, element by element; dicts compare key
 * by key against their own allowed values. When the allowed values have another type than the
 * declared one (BFCL calls these variables, e.g. `"dontcare"` for an integer), a value of the allowed
 * values' type is taken as is. JSON cannot tell `5` from `5.0`, so an integral float passes as an
 * integer here where Python would see a float.
 */
import { type BfclExpectedCall, type BfclFunction, type BfclSchema, jsonTypeOf } from "./bfcl-data.js";

export interface ActualCall {
  name: string;
  arguments: Record<string, unknown>;
}

export type MatchErrorKind =
  | "wrong_count"
  | "wrong_function"
  | "missing_required"
  | "unexpected_param"
  | "wrong_type"
  | "value_not_allowed"
  | "missing_optional";

export type MatchResult = { valid: true } | { valid: false; kind: MatchErrorKind; message: string };

const OK: MatchResult = { valid: true };
const fail = (kind: MatchErrorKind, message: string): MatchResult => ({ valid: false, kind, message });

/** BFCL's string normalisation. */
export function standardizeString(s: string): string {
  return s
    .replace(/[ ,./\-_*^]/g, "")
    .toLowerCase()
    .replace(/'/g, '"');
}

/** The JSON type of a value, with integers told apart from other numbers. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function hasType(value: unknown, jsonType: string | undefined, items: BfclSchema | undefined): boolean {
  if (jsonType === undefined) return true;
  const kind = kindOf(value);
  switch (jsonType) {
    case "number":
      return kind === "number" || kind === "integer";
    case "array": {
      if (kind !== "array") return false;
      const itemType = jsonTypeOf(items?.type);
      return (value as unknown[]).every((v) => hasType(v, itemType, items?.items));
    }
    default:
      return kind === jsonType;
  }
}

/** Deep equality with numbers compared by value (Python's `==` on JSON data). */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => k in b && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

const normalise = (v: unknown) => (typeof v === "string" ? standardizeString(v) : v);
const isIncluded = (value: unknown, allowed: unknown[]) => allowed.some((a) => equal(value, a));

/** A dict against its allowed dicts, each mapping keys to allowed values. */
function dictAllowed(value: Record<string, unknown>, options: unknown[]): boolean {
  return options.some((option) => {
    if (option === "" || !option || typeof option !== "object") return false;
    const allowed = option as Record<string, unknown[]>;
    for (const [key, v] of Object.entries(value)) {
      if (!(key in allowed)) return false;
      const values = Array.isArray(allowed[key]) ? allowed[key] : [allowed[key]];
      if (!isIncluded(normalise(v), values.map(normalise))) return false;
    }
    return Object.entries(allowed).every(
      ([key, values]) => key in value || (Array.isArray(values) && values.includes("")),
    );
  });
}

function checkParam(param: string, value: unknown, schema: BfclSchema, allowed: unknown[]): MatchResult {
  const declared = jsonTypeOf(schema.type);
  const firstAllowed = allowed.find((a) => a !== "");
  const allowedKind = firstAllowed === undefined ? undefined : kindOf(firstAllowed);
  const declaredKinds = declared === "number" ? ["number", "integer"] : [declared];
  const isVariable = declared !== undefined && allowedKind !== undefined && !declaredKinds.includes(allowedKind);

  if (!hasType(value, declared, schema.items)) {
    if (isVariable && kindOf(value) === allowedKind) {
      return isIncluded(value, allowed)
        ? OK
        : fail("value_not_allowed", `${param}: ${JSON.stringify(value)} is not allowed`);
    }
    return fail("wrong_type", `${param}: expected ${schema.type}, got ${kindOf(value)}`);
  }
  const notAllowed = () =>
    fail("value_not_allowed", `${param}: ${JSON.stringify(value)} is not one of ${JSON.stringify(allowed)}`);
  if (!isVariable) {
    if (declared === "object") return dictAllowed(value as Record<string, unknown>, allowed) ? OK : notAllowed();
    if (declared === "array" && jsonTypeOf(schema.items?.type) === "object") {
      const list = value as Record<string, unknown>[];
      const ok = allowed.some(
        (option) =>
          Array.isArray(option) && option.length === list.length && list.every((d, i) => dictAllowed(d, [option[i]])),
      );
      return ok ? OK : notAllowed();
    }
    if (declared === "string") {
      const strings = allowed.filter((a) => typeof a === "string" && a !== "") as string[];
      return strings.map(standardizeString).includes(standardizeString(value as string)) ? OK : notAllowed();
    }
    if (declared === "array") {
      const mine = (value as unknown[]).map(normalise);
      const ok = allowed.some((option) => Array.isArray(option) && equal(mine, option.map(normalise)));
      return ok ? OK : notAllowed();
    }
  }
  return isIncluded(
    value,
    allowed.filter((a) => a !== ""),
  )
    ? OK
    : notAllowed();
}

/**
 * One call against one expected call (`{ name: { param: [allowed...] } }`), the functions giving the
 * parameter types and which parameters are required.
 *
 * @example
 * matchCall({ functions, expected: { "math.hypot": { x: [3], y: [4] } }, actual: { name: "math.hypot", arguments: { x: 3, y: 4 } } })
 */
export function matchCall(options: {
  functions: BfclFunction[];
  expected: BfclExpectedCall;
  actual: ActualCall;
}): MatchResult {
  const [name, params] = Object.entries(options.expected)[0] ?? [];
  if (name === undefined || params === undefined) throw new Error("an expected call names one function");
  if (options.actual.name !== name) {
    return fail("wrong_function", `expected a call to ${name}, got ${options.actual.name}`);
  }
  const doc = options.functions.find((f) => f.name === name);
  if (!doc) throw new Error(`no function description for ${name}`);
  const properties = doc.parameters.properties ?? {};
  const args = options.actual.arguments;
  for (const required of doc.parameters.required ?? []) {
    if (!(required in args)) return fail("missing_required", `missing required parameter ${required}`);
  }
  for (const [param, value] of Object.entries(args)) {
    const schema = properties[param];
    const allowed = params[param];
    if (!schema || !allowed) return fail("unexpected_param", `unexpected parameter ${param}`);
    const result = checkParam(param, value, schema, allowed);
    if (!result.valid) return result;
  }
  for (const [param, allowed] of Object.entries(params)) {
    if (!(param in args) && !allowed.includes("")) {
      return fail("missing_optional", `parameter ${param} was left out, but the answer needs it`);
    }
  }
  return OK;
}

/**
 * A list of calls against the expected ones: the same number, and (like BFCL's parallel checker)
 * each expected call matched by a different actual call, in any order.
 */
export function matchCalls(options: {
  functions: BfclFunction[];
  expected: BfclExpectedCall[];
  actual: ActualCall[];
}): MatchResult {
  if (options.expected.length !== options.actual.length) {
    return fail("wrong_count", `expected ${options.expected.length} calls, got ${options.actual.length}`);
  }
  const used = new Set<number>();
  for (const expected of options.expected) {
    let last: MatchResult = fail("wrong_count", "no call left to match");
    const index = options.actual.findIndex((actual, i) => {
      if (used.has(i)) return false;
      last = matchCall({ functions: options.functions, expected, actual });
      return last.valid;
    });
    if (index < 0) return last;
    used.add(index);
  }
  return OK;
}
