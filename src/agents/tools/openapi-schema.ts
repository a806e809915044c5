/**
 * OpenAPI schemas → JSON Schema 2020-12 for tool inputs: local `$ref`s resolved (component schemas
 * become `$defs`, so recursive schemas stay finite), OpenAPI-only keywords dropped, 3.0's `nullable`
 * turned into a null type. Remote references are refused.
 */
import { InvalidArgumentError } from "../../spec/errors.js";
import type { JSONSchema } from "../../spec/json-schema.js";

export type Json = Record<string, unknown>;

const DROPPED_KEYWORDS = new Set(["example", "xml", "externalDocs", "discriminator", "nullable", "$schema", "$id"]);
const SCHEMA_MAPS = ["properties", "patternProperties", "dependentSchemas"];
const SCHEMA_ONE = ["items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const COMPONENT_SCHEMA = /^#\/components\/schemas\/([^/]+)$/;

export function specError(message: string): InvalidArgumentError {
  return new InvalidArgumentError({ argument: "spec", message });
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const decodePointer = (segment: string) => decodeURIComponent(segment).replace(/~1/g, "/").replace(/~0/g, "~");
const encodePointer = (segment: string) => segment.replace(/~/g, "~0").replace(/\//g, "~1");

/** Follows a local JSON pointer (`#/components/...`); remote references are refused. */
function resolvePointer(doc: Json, ref: string): unknown {
  if (!ref.startsWith("#")) {
    throw specError(
      `The spec uses the remote $ref '${ref}'; only local references (#/...) are supported. Bundle the spec into one document first.`,
    );
  }
  let node: unknown = doc;
  for (const segment of ref.slice(1).split("/").filter(Boolean)) {
    node = isObject(node) || Array.isArray(node) ? (node as Json)[decodePointer(segment)] : undefined;
    if (node === undefined) throw specError(`The $ref '${ref}' points to nothing in the spec.`);
  }
  return node;
}

/** Resolves a `$ref` chain on a parameter, request body or similar object. */
export function deref(doc: Json, value: unknown): Json {
  let node = value;
  for (let depth = 0; isObject(node) && typeof node.$ref === "string"; depth++) {
    if (depth > 20) throw specError(`The $ref chain at '${node.$ref}' does not end.`);
    node = resolvePointer(doc, node.$ref);
  }
  if (!isObject(node)) throw specError("A parameter or request body in the spec is not an object.");
  return node;
}

/**
 * Rewrites OpenAPI schemas as JSON Schema 2020-12: component references become `$defs` (so recursive
 * schemas stay finite), other local references are inlined, and OpenAPI 3.0's `nullable` and boolean
 * `exclusiveMinimum`/`exclusiveMaximum` become their JSON Schema forms.
 */
export function schemaConverter(doc: Json, openApi30: boolean) {
  const defs: Record<string, JSONSchema> = {};
  const inlining: string[] = [];
  const components = isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};

  const convert = (schema: unknown): unknown => {
    if (typeof schema === "boolean") return schema;
    if (!isObject(schema)) return {};
    if (typeof schema.$ref === "string") {
      const ref = schema.$ref;
      const component = COMPONENT_SCHEMA.exec(ref)?.[1];
      if (component !== undefined) {
        const name = decodePointer(component);
        if (!(name in defs)) {
          if (!(name in components)) throw specError(`The $ref '${ref}' points to nothing in the spec.`);
          defs[name] = {}; // placeholder first: a schema that refers to itself must not recurse forever
          defs[name] = convert(components[name]) as JSONSchema;
        }
        const out: Json = { $ref: `#/$defs/${encodePointer(name)}` };
        if (typeof schema.description === "string") out.description = schema.description;
        return out;
      }
      if (inlining.includes(ref))
        throw specError(`The $ref '${ref}' is recursive; move the schema under components/schemas.`);
      inlining.push(ref);
      const inlined = convert(resolvePointer(doc, ref));
      inlining.pop();
      return inlined;
    }
    const out: Json = {};
    for (const [key, value] of Object.entries(schema)) {
      if (DROPPED_KEYWORDS.has(key) || key.startsWith("x-")) continue;
      if (SCHEMA_MAPS.includes(key) && isObject(value)) {
        out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
      } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
        out[key] = value.map(convert);
      } else if (SCHEMA_ONE.includes(key) && (isObject(value) || typeof value === "boolean")) {
        out[key] = convert(value);
      } else {
        out[key] = value;
      }
    }
    if (openApi30) {
      for (const [flag, bound] of [
        ["exclusiveMinimum", "minimum"],
        ["exclusiveMaximum", "maximum"],
      ] as const) {
        if (typeof out[flag] !== "boolean") continue;
        if (out[flag] === true && typeof out[bound] === "number") {
          out[flag] = out[bound];
          delete out[bound];
        } else {
          delete out[flag];
        }
      }
      if (schema.nullable === true) return nullable(out);
    }
    return out;
  };
  return { convert: (schema: unknown) => convert(schema) as JSONSchema, defs };
}

function nullable(schema: Json): Json {
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  if (typeof schema.type === "string") return { ...schema, type: [schema.type, "null"] };
  if (Array.isArray(schema.type))
    return schema.type.includes("null") ? schema : { ...schema, type: [...schema.type, "null"] };
  return { anyOf: [schema, { type: "null" }] };
}
