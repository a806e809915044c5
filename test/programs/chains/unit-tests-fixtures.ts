import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** The module the unit-test chain is asked to test. */
export const MATH_TS = `import { ORIGIN } from "./origin.js";

interface Range {
  lo: number;
  hi: number;
}

/** Limits n to the range [lo, hi]. */
export function clamp(n: number, lo: number, hi: number): number {
  if (lo > hi) throw new RangeError("lo must not exceed hi");
  return Math.min(hi, Math.max(lo, n));
}

export const double = (n: number) => n * 2;

function width(range: Range): number {
  return range.hi - range.lo + ORIGIN;
}

function secret(n: number): number {
  return n - 1;
}

export { width as rangeWidth };
`;

/** Writes files (path → content) into a fresh temporary folder and returns it. */
export function project(
  files: Record<string, string> = { "src/math.ts": MATH_TS, "src/origin.ts": "export const ORIGIN = 0;\n" },
): string {
  const dir = mkdtempSync(join(tmpdir(), "weft-unit-tests-test-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

export const fence = (code: string) => `Here are the tests.\n\n\`\`\`ts\n${code}\n\`\`\`\n`;

export const EXPLANATION =
  "- `clamp` limits `n` to the range from `lo` to `hi`.\n- It throws a RangeError when `lo > hi`.";
export const SHORT_PLAN =
  "Scenarios:\n\n- Values inside the range\n  - `clamp(5, 0, 10)` is 5\n- Values outside the range\n  - `clamp(-1, 0, 10)` is 0\n  - `clamp(11, 0, 10)` is 10";
export const ELABORATION =
  "- An empty range\n  - `clamp(3, 2, 2)` is 2\n- `lo` above `hi`\n  - `clamp(1, 5, 0)` throws";

const header = 'import { describe, expect, it } from "vitest";\nimport { clamp } from "./math.js";\n';
export const TESTS_SYNTAX_ERROR = `${header}\ndescribe("clamp", () => {\n  it("keeps values inside", () => {\n    expect(clamp(5, 0, 10).toBe(5);\n  });\n});`;
export const TESTS_FAILING = `${header}\ndescribe("clamp", () => {\n  it("keeps values inside", () => {\n    expect(clamp(5, 0, 10)).toBe(5);\n  });\n  it("raises values below", () => {\n    expect(clamp(-1, 0, 10)).toBe(-1);\n  });\n});`;
export const TESTS_PASSING = `${header}\ndescribe("clamp", () => {\n  it("keeps values inside", () => {\n    expect(clamp(5, 0, 10)).toBe(5);\n  });\n  it("raises values below", () => {\n    expect(clamp(-1, 0, 10)).toBe(0);\n  });\n  it("rejects lo above hi", () => {\n    expect(() => clamp(1, 5, 0)).toThrow(RangeError);\n  });\n});`;
