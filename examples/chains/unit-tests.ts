// Write vitest tests for a TypeScript function in steps: explain → plan → (more edge cases when the
// plan is short) → write; the tests must parse, then run with vitest in a temporary folder, and a
// failing test is sent back to the model for a fix. A scripted mock model plays each step here;
// the CLI does the same with a real model: weft unit-tests src/slug.ts --function slugify --run
// Run: npx tsx examples/chains/unit-tests.ts
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeUnitTests } from "weft";
import { createMockLanguageModel } from "weft/testing";

const SOURCE = `/** Turns a title into a URL slug: lower case, words joined by single dashes. */
export function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
`;

const tests = (emptyExpectation: string) => `\`\`\`ts
import { describe, expect, it } from "vitest";
import { slugify } from "./slug.js";

describe("slugify", () => {
  it("joins words with dashes", () => {
    expect(slugify("Hello World")).toBe("hello-world");
  });
  it("drops punctuation at both ends", () => {
    expect(slugify("  ¡Hola, mundo!  ")).toBe("hola-mundo");
  });
  it("handles an empty title", () => {
    expect(slugify("")).toBe(${emptyExpectation});
  });
});
\`\`\``;

export async function main() {
  const dir = mkdtempSync(join(tmpdir(), "weft-example-"));
  writeFileSync(join(dir, "slug.ts"), SOURCE);
  const model = createMockLanguageModel({
    reply: [
      "- Lower-cases the title.\n- Replaces every run of other characters with one dash.\n- Trims dashes at both ends.",
      "- Ordinary titles\n  - `slugify('Hello World')` is `hello-world`\n- Punctuation\n  - `slugify('¡Hola, mundo!')` is `hola-mundo`",
      "- Empty input\n  - `slugify('')` is `''`\n- Only punctuation\n  - `slugify('!!!')` is `''`",
      tests('"-"'), // a wrong expectation: vitest fails it and the failure goes back to the model
      tests('""'),
    ],
  });
  const result = await writeUnitTests({
    file: join(dir, "slug.ts"),
    functionName: "slugify",
    model,
    minCases: 3,
    run: true,
    onEvent: (event) => {
      if (event.type === "start") console.log(`── ${event.step}`);
      if (event.type === "check" && event.status !== "running") console.log(`   ${event.check}: ${event.status}`);
    },
  });
  console.log(result.code);
  console.log(
    `${result.run?.passed}/${result.run?.total} tests pass after ${result.steps.at(-1)?.attempts} attempt(s)`,
  );
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
