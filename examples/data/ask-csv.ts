// Ask a question of a CSV file: the model writes SQL from a profile of the table, weft checks and
// runs it read-only in DuckDB, and the model answers from the rows. A mock model stands in here so
// this runs offline; pass any weft model (createOpenAI().languageModel("gpt-4o-mini"), a local
// GGUF, ...) for real questions.
// Run: npx tsx examples/data/ask-csv.ts
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { askData, openDataSource } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main(): Promise<{
  sql: string;
  rows: unknown[][];
  answer: string;
  attempts: number;
  chartMark: unknown;
}> {
  const dir = mkdtempSync(join(tmpdir(), "weft-example-data-"));
  const file = join(dir, "sales.csv");
  writeFileSync(
    file,
    "region,month,amount\nNorth,2024-01,120\nSouth,2024-01,80\nNorth,2024-02,95\nSouth,2024-02,130\nEast,2024-02,40\n",
  );
  // The mock's first SQL names a column that does not exist: weft sends the engine's error back and
  // the second try runs. Then it "answers" from the rows it is shown.
  const model = createMockLanguageModel({
    reply: (call, index) => {
      if (index === 0) return JSON.stringify({ sql: "SELECT region, sum(total) FROM sales GROUP BY region" });
      if (index === 1) {
        return JSON.stringify({
          sql: "SELECT region, sum(amount) AS total FROM sales GROUP BY region ORDER BY total DESC",
          chart: { mark: "bar", x: "region", y: "total", color: null, title: "Sales by region" },
        });
      }
      const shown = String(call.messages.at(-1)?.content ?? "");
      const top = /\n(\w+) \| (\d+)/.exec(shown.split("Result")[1] ?? "");
      return top ? `${top[1]} sold most, ${top[2]} in total.` : "Nothing matched.";
    },
  });

  const source = await openDataSource({ file });
  try {
    const result = await askData({ model, source, question: "Which region sold most?", chart: true });
    console.log(result.sql); // SELECT region, sum(amount) AS total FROM sales GROUP BY region ORDER BY total DESC
    console.log(result.rows); // [["North", 215], ["South", 210], ["East", 40]]
    console.log(result.answer); // "North sold most, 215 in total."
    console.log(result.attempts.length); // 2: the first query was rejected and repaired
    const mark = result.chart?.mark;
    return {
      sql: result.sql,
      rows: result.rows,
      answer: result.answer,
      attempts: result.attempts.length,
      chartMark: typeof mark === "object" ? mark.type : mark,
    };
  } finally {
    await source.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
