import { describe, expect, it } from "vitest";
import type { BfclFunction } from "./bfcl-data.js";
import { matchCall, matchCalls, standardizeString } from "./matcher.js";

const functions: BfclFunction[] = [
  {
    name: "geometry.area",
    description: "Area of a shape.",
    parameters: {
      type: "dict",
      properties: {
        shape: { type: "string", enum: ["circle", "square"] },
        size: { type: "float" },
        count: { type: "integer" },
        exact: { type: "boolean" },
        tags: { type: "array", items: { type: "string" } },
        origin: { type: "tuple", items: { type: "float" } },
        style: { type: "dict", properties: { color: { type: "string" }, width: { type: "integer" } } },
        layers: { type: "array", items: { type: "dict" } },
        note: { type: "any" },
      },
      required: ["shape", "size"],
    },
  },
  {
    name: "music.lookup",
    description: "Find songs.",
    parameters: {
      type: "dict",
      properties: { artist: { type: "string" }, year: { type: "integer", default: "dontcare" } },
      required: ["artist"],
    },
  },
];

const area = (params: Record<string, unknown[]>) => ({ "geometry.area": params });
const call = (args: Record<string, unknown>, name = "geometry.area") => ({ name, arguments: args });
const check = (expected: Record<string, unknown[]>, args: Record<string, unknown>) =>
  matchCall({ functions, expected: area(expected), actual: call(args) });

describe("BFCL AST matcher", () => {
  it("accepts a call whose values are all allowed", () => {
    expect(check({ shape: ["circle"], size: [2.5], count: ["", 1] }, { shape: "circle", size: 2.5 })).toEqual({
      valid: true,
    });
    expect(check({ shape: ["circle"], size: [2.5], count: ["", 1] }, { shape: "circle", size: 2.5, count: 1 })).toEqual(
      {
        valid: true,
      },
    );
  });

  it("normalises strings like BFCL: case, spaces and punctuation", () => {
    expect(standardizeString("New York, NY")).toBe("newyorkny");
    expect(check({ shape: ["Circle"], size: [1] }, { shape: "circle", size: 1 }).valid).toBe(true);
    expect(check({ shape: ["square"], size: [1] }, { shape: "Square.", size: 1 }).valid).toBe(true);
    expect(check({ shape: ["square"], size: [1] }, { shape: "squares", size: 1 }).valid).toBe(false);
  });

  it("is type-aware with numbers: floats take integers, integers refuse fractions", () => {
    expect(check({ shape: ["circle"], size: [2.0] }, { shape: "circle", size: 2 }).valid).toBe(true);
    expect(check({ shape: ["circle"], size: [1], count: [3] }, { shape: "circle", size: 1, count: 3.5 })).toMatchObject(
      {
        valid: false,
        kind: "wrong_type",
      },
    );
    expect(check({ shape: ["circle"], size: [1], count: [3] }, { shape: "circle", size: 1, count: "3" })).toMatchObject(
      {
        valid: false,
        kind: "wrong_type",
      },
    );
    expect(
      check({ shape: ["circle"], size: [1], exact: [true] }, { shape: "circle", size: 1, exact: 1 }),
    ).toMatchObject({
      valid: false,
      kind: "wrong_type",
    });
  });

  it("compares lists in order and checks their item types", () => {
    const expected = { shape: ["circle"], size: [1], tags: [["Red", "blue"]], origin: [[0.0, 1.5]] };
    expect(check(expected, { shape: "circle", size: 1, tags: ["red", "Blue"], origin: [0, 1.5] }).valid).toBe(true);
    expect(check(expected, { shape: "circle", size: 1, tags: ["blue", "red"] })).toMatchObject({
      valid: false,
      kind: "value_not_allowed",
    });
    expect(check(expected, { shape: "circle", size: 1, tags: ["red", 2] })).toMatchObject({
      valid: false,
      kind: "wrong_type",
    });
  });

  it("compares dicts key by key, recursively, and lists of dicts by position", () => {
    const expected = {
      shape: ["circle"],
      size: [1],
      style: ["", { color: ["Red"], width: ["", 2] }],
      layers: ["", [{ name: ["base"] }, { name: ["top"] }]],
    };
    expect(check(expected, { shape: "circle", size: 1, style: { color: "red" } }).valid).toBe(true);
    expect(check(expected, { shape: "circle", size: 1, style: { color: "red", width: 2 } }).valid).toBe(true);
    expect(check(expected, { shape: "circle", size: 1, style: { color: "red", width: 3 } }).valid).toBe(false);
    expect(check(expected, { shape: "circle", size: 1, style: { width: 2 } }).valid).toBe(false);
    expect(check(expected, { shape: "circle", size: 1, style: { color: "red", extra: 1 } }).valid).toBe(false);
    expect(check(expected, { shape: "circle", size: 1, layers: [{ name: "base" }, { name: "top" }] }).valid).toBe(true);
    expect(check(expected, { shape: "circle", size: 1, layers: [{ name: "top" }, { name: "base" }] }).valid).toBe(
      false,
    );
  });

  it("rejects the wrong function", () => {
    const result = matchCall({
      functions,
      expected: area({ shape: ["circle"], size: [1] }),
      actual: call({ artist: "x" }, "music.lookup"),
    });
    expect(result).toMatchObject({ valid: false, kind: "wrong_function" });
  });

  it("rejects a missing required parameter", () => {
    expect(check({ shape: ["circle"], size: [1] }, { shape: "circle" })).toMatchObject({
      valid: false,
      kind: "missing_required",
      message: "missing required parameter size",
    });
  });

  it("rejects a parameter the answer does not expect", () => {
    expect(check({ shape: ["circle"], size: [1] }, { shape: "circle", size: 1, count: 2 })).toMatchObject({
      valid: false,
      kind: "unexpected_param",
    });
    expect(check({ shape: ["circle"], size: [1] }, { shape: "circle", size: 1, colour: "red" })).toMatchObject({
      valid: false,
      kind: "unexpected_param",
    });
  });

  it("rejects a value that is not allowed", () => {
    expect(check({ shape: ["circle"], size: [1, 2] }, { shape: "circle", size: 3 })).toMatchObject({
      valid: false,
      kind: "value_not_allowed",
    });
  });

  it("rejects leaving out an optional parameter the answer needs", () => {
    expect(check({ shape: ["circle"], size: [1], count: [4] }, { shape: "circle", size: 1 })).toMatchObject({
      valid: false,
      kind: "missing_optional",
    });
  });

  it("takes BFCL's variables: a value of the allowed values' type when it differs from the declared one", () => {
    const expected = { "music.lookup": { artist: ["Jinjer"], year: ["", "dontcare"] } };
    const lookup = (args: Record<string, unknown>) =>
      matchCall({ functions, expected, actual: call(args, "music.lookup") });
    expect(lookup({ artist: "jinjer", year: "dontcare" }).valid).toBe(true);
    expect(lookup({ artist: "jinjer" }).valid).toBe(true);
    expect(lookup({ artist: "jinjer", year: 2019 })).toMatchObject({ valid: false, kind: "value_not_allowed" });
    expect(lookup({ artist: "jinjer", year: "any" })).toMatchObject({ valid: false, kind: "value_not_allowed" });
  });

  it("matches parallel calls in any order, each expected call once", () => {
    const expected = [area({ shape: ["circle"], size: [1] }), area({ shape: ["square"], size: [2] })];
    const a = call({ shape: "circle", size: 1 });
    const b = call({ shape: "square", size: 2 });
    expect(matchCalls({ functions, expected, actual: [b, a] }).valid).toBe(true);
    expect(matchCalls({ functions, expected, actual: [a, a] }).valid).toBe(false);
    expect(matchCalls({ functions, expected, actual: [a] })).toMatchObject({ valid: false, kind: "wrong_count" });
  });
});
