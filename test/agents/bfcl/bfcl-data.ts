/**
 * Reading the Berkeley Function Calling Leaderboard slice in ../shared/data/bfcl (JSON Lines despite
 * the .json names) and translating its schema dialect to JSON Schema.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const BFCL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/data/bfcl");
export const hasBfcl = existsSync(join(BFCL_DIR, "question"));

/** A parameter schema in BFCL's dialect: Python-ish (`dict`, `float`, `tuple`, `any`) or Java/JS type names. */
export interface BfclSchema {
  type?: string;
  description?: string;
  properties?: Record<string, BfclSchema>;
  items?: BfclSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  [key: string]: unknown;
}

export interface BfclFunction {
  name: string;
  description: string;
  parameters: BfclSchema;
}

export interface BfclQuestion {
  id: string;
  category: string;
  question: Array<Array<{ role: string; content: string }>>;
  function: BfclFunction[];
}

/** One expected call: function name → parameter → acceptable values (`""` = may be omitted). */
export type BfclExpectedCall = Record<string, Record<string, unknown[]>>;

export interface BfclAnswer {
  id: string;
  ground_truth: BfclExpectedCall[];
}

function readJsonLines<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

/** The category of a file name, e.g. `BFCL_v4_live_simple.json` → `live_simple`. */
export function categoryOf(file: string): string {
  return file.replace(/^BFCL_v\d+_/, "").replace(/\.json$/, "");
}

/** Every question file's items, with their category. */
export function loadQuestions(): BfclQuestion[] {
  const dir = join(BFCL_DIR, "question");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .flatMap((f) =>
      readJsonLines<Omit<BfclQuestion, "category">>(join(dir, f)).map((q) => ({ ...q, category: categoryOf(f) })),
    );
}

/** Ground truth by question id (categories without answers are absent). */
export function loadAnswers(): Map<string, BfclAnswer> {
  const dir = join(BFCL_DIR, "possible_answer");
  const answers = new Map<string, BfclAnswer>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
    for (const a of readJsonLines<BfclAnswer>(join(dir, f))) answers.set(a.id, a);
  }
  return answers;
}

/** BFCL type names (Python, Java, JavaScript) → JSON Schema types; `undefined` means any value. */
const JSON_TYPES: Record<string, string | undefined> = {
  dict: "object",
  object: "object",
  HashMap: "object",
  Hashtable: "object",
  Map: "object",
  float: "number",
  double: "number",
  number: "number",
  integer: "integer",
  int: "integer",
  long: "integer",
  short: "integer",
  byte: "integer",
  string: "string",
  String: "string",
  char: "string",
  Character: "string",
  boolean: "boolean",
  Boolean: "boolean",
  bool: "boolean",
  array: "array",
  Array: "array",
  ArrayList: "array",
  List: "array",
  Set: "array",
  Queue: "array",
  Stack: "array",
  list: "array",
  tuple: "array",
  any: undefined,
  Any: undefined,
};

/** BFCL-only keys with no JSON Schema meaning. */
const DROPPED = new Set(["optional"]);

/**
 * One BFCL schema as JSON Schema: types renamed (`dict` → object, `float` → number, `tuple` → array,
 * `any` → no type), nested `properties` and `items` converted, everything else (descriptions, enums,
 * defaults, required) kept as is. An unknown type name throws, so nothing is guessed silently.
 */
export function bfclToJsonSchema(schema: BfclSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key)) continue;
    if (key === "type") {
      if (!(String(value) in JSON_TYPES)) throw new Error(`unknown BFCL type '${String(value)}'`);
      const mapped = JSON_TYPES[String(value)];
      if (mapped) out.type = mapped;
    } else if (key === "properties" && value && typeof value === "object") {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, BfclSchema>).map(([name, s]) => [name, bfclToJsonSchema(s)]),
      );
    } else if (key === "items" && value && typeof value === "object" && !Array.isArray(value)) {
      out.items = bfclToJsonSchema(value as BfclSchema);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** The JSON types a BFCL type admits, for the matcher (`undefined`: anything). */
export function jsonTypeOf(bfclType: string | undefined): string | undefined {
  return bfclType === undefined ? undefined : JSON_TYPES[bfclType];
}
