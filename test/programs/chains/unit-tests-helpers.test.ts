import { mkdirSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  extractCodeBlock,
  extractFunction,
  parseBullets,
  parseTestPlan,
  typescriptSyntaxIssues,
} from "../../../src/programs/chains/index.js";
import { findFunction } from "../../../src/programs/chains/unit-tests/extract-function.js";
import { importSpecifier, retargetImport } from "../../../src/programs/chains/unit-tests/retarget-import.js";
import { loadTypeScript } from "../../../src/programs/chains/unit-tests/typescript.js";
import { InvalidArgumentError, MissingDependencyError } from "../../../src/spec/errors.js";
import { MATH_TS, project } from "./unit-tests-fixtures.js";

describe("extractCodeBlock", () => {
  it("takes the first TypeScript block, skipping blocks in other languages", () => {
    const reply =
      "Install:\n```bash\nnpm i -D vitest\n```\nThen:\n```typescript\nconst a = 1;\n\nconst b = 2;\n```\nDone.";
    expect(extractCodeBlock(reply)).toBe("const a = 1;\n\nconst b = 2;");
  });

  it("keeps an unclosed block (a reply cut off by the token limit) and falls back to the whole reply", () => {
    expect(extractCodeBlock("```ts\nit('x', () => {\n")).toBe("it('x', () => {");
    expect(extractCodeBlock("  const x = 1;\n")).toBe("const x = 1;");
    expect(extractCodeBlock("~~~\nplain();\n~~~")).toBe("plain();");
  });

  it("does not end a block at a shorter fence inside it", () => {
    expect(extractCodeBlock("````ts\nconst md = `\n```\n`;\n````")).toBe("const md = `\n```\n`;");
  });
});

describe("parseBullets and parseTestPlan", () => {
  it("nests items by indentation, joins wrapped lines and accepts numbered items", () => {
    const text =
      "Intro paragraph.\n\n1. **Positive numbers**\n   - `add(1, 2)` is 3\n     and commutes\n   * `add(2, 1)` is 3\n2. Negative numbers\n\n   - `add(-1, -1)` is -2\n";
    expect(parseBullets(text)).toEqual([
      {
        text: "**Positive numbers**",
        children: [
          { text: "`add(1, 2)` is 3 and commutes", children: [] },
          { text: "`add(2, 1)` is 3", children: [] },
        ],
      },
      { text: "Negative numbers", children: [{ text: "`add(-1, -1)` is -2", children: [] }] },
    ]);
  });

  it("counts top-level items as cases across headings, ignoring code blocks", () => {
    const plan = parseTestPlan(
      "### Normal\n- inside\n  - a\n    - deeper\n### Edge\n- empty\n```ts\n- not a bullet\n```\n- negative",
    );
    expect(plan.cases).toEqual([
      { title: "inside", examples: ["a", "deeper"] },
      { title: "empty", examples: [] },
      { title: "negative", examples: [] },
    ]);
  });
});

describe("findFunction", () => {
  const file = "/project/src/math.ts";

  it("extracts a function declaration with its doc comment, and the declarations it uses", () => {
    const fn = findFunction(ts, { file, code: MATH_TS, name: "clamp" });
    expect(fn.source).toBe(
      '/** Limits n to the range [lo, hi]. */\nexport function clamp(n: number, lo: number, hi: number): number {\n  if (lo > hi) throw new RangeError("lo must not exceed hi");\n  return Math.min(hi, Math.max(lo, n));\n}',
    );
    expect(fn).toMatchObject({ name: "clamp", line: 8, exported: "named", importName: "clamp", context: "" });
    const width = findFunction(ts, { file, code: MATH_TS, name: "width" });
    expect(width.context).toBe("interface Range {\n  lo: number;\n  hi: number;\n}");
    // Exported later under another name: the tests must import the alias.
    expect(width).toMatchObject({ exported: "named", importName: "rangeWidth" });
  });

  it("finds const arrow functions, default exports, overloads and private functions", () => {
    expect(findFunction(ts, { file, code: MATH_TS, name: "double" }).source).toBe(
      "export const double = (n: number) => n * 2;",
    );
    expect(findFunction(ts, { file, code: MATH_TS, name: "secret" })).toMatchObject({ exported: "none" });
    const code =
      "export default function parse(s: string): number;\nexport default function parse(s: string | number): number;\nexport default function parse(s: any) { return Number(s); }\nfunction other() {}";
    const parse = findFunction(ts, { file, code, name: "parse" });
    expect(parse.exported).toBe("default");
    expect(parse.source.split("\n")).toHaveLength(3);
    expect(findFunction(ts, { file, code: "const f = function () {};\nexport default f;", name: "f" }).exported).toBe(
      "default",
    );
  });

  it("names the functions the file has when the name is missing", () => {
    expect(() => findFunction(ts, { file, code: MATH_TS, name: "clmap" })).toThrow(
      "No top-level function named 'clmap' in /project/src/math.ts. Functions found: clamp, double, width, secret.",
    );
    expect(() => findFunction(ts, { file, code: "export const x = 1;", name: "f" })).toThrow(
      /It has no top-level functions/,
    );
  });
});

describe("extractFunction input checks", () => {
  const dir = project({ "src/math.ts": MATH_TS, "notes.py": "def f(): pass\n", "types.d.ts": "export {};\n" });

  it("reads the file relative to cwd", async () => {
    expect((await extractFunction({ file: "src/math.ts", name: "clamp", cwd: dir })).file).toBe(
      join(dir, "src/math.ts"),
    );
  });

  it("rejects a missing file, a directory and files that are not TypeScript source", async () => {
    const fail = (file: string) => extractFunction({ file, name: "f", cwd: dir }).catch((e) => e);
    const missing = await fail("src/nope.ts");
    expect(missing).toBeInstanceOf(InvalidArgumentError);
    expect(missing.message).toBe(
      `Cannot read 'src/nope.ts': no such file (looked at ${join(dir, "src/nope.ts")}). Check the path.`,
    );
    expect((await fail("notes.py")).message).toMatch(/^'notes.py' is not a TypeScript source file; pass a \.ts, \.tsx/);
    expect((await fail("types.d.ts")).message).toMatch(/is not a TypeScript source file/);
    mkdirSync(join(dir, "folder.ts"));
    expect((await fail("folder.ts")).message).toMatch(/it is a directory/);
  });
});

describe("typescriptSyntaxIssues", () => {
  it("returns nothing for valid code (types are not checked) and the place and line of each error", () => {
    expect(typescriptSyntaxIssues(ts, "import { x } from './nowhere.js';\nconst y: Missing = x;")).toEqual([]);
    expect(typescriptSyntaxIssues(ts, "const a = 1;\nexpect(clamp(5, 0, 10).toBe(5);\n", "t.test.ts")).toEqual([
      { path: "line 2, column 31", message: "')' expected. The line reads: `expect(clamp(5, 0, 10).toBe(5);`" },
    ]);
  });
});

describe("loadTypeScript", () => {
  it("returns the compiler API", async () => {
    expect((await loadTypeScript("x")).createSourceFile).toBeTypeOf("function");
  });

  it("says which package to install when typescript is missing, and rethrows other failures", async () => {
    const missing = Object.assign(new Error("Cannot find package 'typescript' imported from /app/x.js"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    const error = await loadTypeScript("Writing unit tests", () => Promise.reject(missing)).catch((e) => e);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error.message).toBe(
      "Writing unit tests needs the optional package 'typescript'. Install it with: npm install typescript",
    );
    const other = new Error("boom");
    await expect(loadTypeScript("x", () => Promise.reject(other))).rejects.toBe(other);
  });
});

describe("importSpecifier and retargetImport", () => {
  it("computes NodeNext specifiers", () => {
    expect(importSpecifier("/p/src/math.test.ts", "/p/src/math.ts")).toBe("./math.js");
    expect(importSpecifier("/p/test/unit/math.test.ts", "/p/src/math.mts")).toBe("../../src/math.mjs");
  });

  it("rewrites imports, re-exports and vi.mock calls of the module and nothing else", () => {
    const code = [
      'import { clamp } from "./math.js";',
      "import other from './math';",
      'import { x } from "./mathematics.js";',
      'vi.mock("./math.ts");',
      'const m = await import("./math.js");',
      'const s = "./math.js";',
    ].join("\n");
    expect(retargetImport(ts, code, { from: "./math.js", to: "../src/math.js" })).toBe(
      [
        'import { clamp } from "../src/math.js";',
        "import other from '../src/math.js';",
        'import { x } from "./mathematics.js";',
        'vi.mock("../src/math.js");',
        'const m = await import("../src/math.js");',
        'const s = "./math.js";',
      ].join("\n"),
    );
  });
});
