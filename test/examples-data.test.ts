import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Examples import "weft" like a user would; that resolves to the built package.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(resolve(root, "dist/index.js")))
  throw new Error("Run `npm run build` before the example tests (npm test does).");

describe("data examples run as documented", () => {
  it("data/ask-csv repairs the first query, runs the second on the CSV and answers from the rows", async () => {
    const { main } = await import("../examples/data/ask-csv.js");
    const result = await main();
    expect(result.attempts).toBe(2);
    expect(result.sql).toBe("SELECT region, sum(amount) AS total FROM sales GROUP BY region ORDER BY total DESC");
    expect(result.rows.map((r) => [r[0], Number(r[1])])).toEqual([
      ["North", 215],
      ["South", 210],
      ["East", 40],
    ]);
    expect(result.answer).toBe("North sold most, 215 in total.");
    expect(result.chartMark).toBe("bar");
  });
});
