import { InvalidArgumentError } from "../spec/errors.js";
import type { JSONSchema } from "../spec/json-schema.js";

/** A validation problem, in the shape fed back to the model for repair. */
export interface SchemaIssue {
  /** JSON pointer-ish path, e.g. `/items/0/name`; empty for the root. */
  path: string;
  message: string;
}

export type ValidationResult<T> = { success: true; data: T } | { success: false; issues: SchemaIssue[] };

/** A schema weft can both describe to a model (JSON Schema) and validate against. */
export interface ObjectSchema<T> {
  jsonSchema: JSONSchema;
  validate(value: unknown): Promise<ValidationResult<T>>;
}

/** Any Standard Schema (zod 4, valibot, arktype, ...). */
interface StandardSchema<T> {
  "~standard": {
    vendor: string;
    validate(
      value: unknown,
    ):
      | { value: T; issues?: undefined }
      | { issues: ReadonlyArray<{ message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> }> }
      | Promise<unknown>;
  };
}

function isStandardSchema(value: unknown): value is StandardSchema<unknown> {
  return typeof value === "object" && value !== null && "~standard" in value;
}

function pathOf(path: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined): string {
  if (!path?.length) return "";
  return `/${path.map((p) => String(typeof p === "object" ? p.key : p)).join("/")}`;
}

/**
 * Turns a zod schema (or any Standard Schema plus its JSON Schema) or a plain JSON Schema into an
 * ObjectSchema.
 *
 * @example
 * const schema = await toObjectSchema(z.object({ name: z.string() }));
 * await schema.validate({ name: 1 }); // { success: false, issues: [{ path: "/name", ... }] }
 */
export async function toObjectSchema<T = unknown>(schema: unknown, jsonSchema?: JSONSchema): Promise<ObjectSchema<T>> {
  if (isStandardSchema(schema)) {
    let described = jsonSchema;
    if (!described) {
      if (schema["~standard"].vendor !== "zod") {
        throw new InvalidArgumentError({
          argument: "schema",
          message: `weft cannot derive a JSON Schema from a ${schema["~standard"].vendor} schema; pass jsonSchema as well.`,
        });
      }
      const { toJSONSchema } = await import("zod");
      described = (toJSONSchema as (s: unknown, o: object) => JSONSchema)(schema, { target: "draft-2020-12" });
    }
    const { $schema: _ignored, ...clean } = described;
    return {
      jsonSchema: clean,
      async validate(value) {
        const result = (await schema["~standard"].validate(value)) as {
          value?: T;
          issues?: ReadonlyArray<{ message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> }>;
        };
        if (result.issues) {
          return { success: false, issues: result.issues.map((i) => ({ path: pathOf(i.path), message: i.message })) };
        }
        return { success: true, data: result.value as T };
      },
    };
  }
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    throw new InvalidArgumentError({
      argument: "schema",
      message: "schema must be a zod schema or a JSON Schema object.",
    });
  }
  const Ajv2020 = (await import("ajv/dist/2020.js")).default.default;
  const { $schema: _ignored, ...clean } = schema as JSONSchema;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  let check: ReturnType<typeof ajv.compile>;
  try {
    check = ajv.compile(clean);
  } catch (error) {
    throw new InvalidArgumentError({
      argument: "schema",
      message: `The JSON Schema is invalid: ${(error as Error).message}. Fix the schema and try again.`,
    });
  }
  return {
    jsonSchema: clean,
    async validate(value) {
      if (check(value)) return { success: true, data: value as T };
      return {
        success: false,
        issues: (check.errors ?? []).map((e: { instancePath: string; message?: string; keyword: string }) => ({
          path: e.instancePath,
          message: e.message ?? e.keyword,
        })),
      };
    },
  };
}

/** Finds the JSON value in a model's reply, tolerating code fences and prose around it. */
export function extractJson(text: string): { success: true; value: unknown } | { success: false; message: string } {
  const fenced = text.match(/```(?:json)?\s*([\s\S]*?)```/i);
  const candidates = [text.trim(), fenced?.[1]?.trim()];
  const start = text.search(/[[{]/);
  if (start >= 0) {
    const open = text[start];
    const end = text.lastIndexOf(open === "{" ? "}" : "]");
    if (end > start) candidates.push(text.slice(start, end + 1));
  }
  let lastError = "no JSON found";
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return { success: true, value: JSON.parse(candidate) };
    } catch (error) {
      lastError = (error as Error).message;
    }
  }
  return { success: false, message: `the reply is not valid JSON (${lastError})` };
}
