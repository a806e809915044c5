import type { Command } from "commander";
import type { DataLocation, DataSource } from "../data/types.js";
import type { GlobalOptions } from "./context.js";
import { numberOption, printJson, UsageError } from "./io.js";

interface SourceFlags {
  file?: string[];
  db?: string;
}

interface AskFlags extends SourceFlags {
  model?: string;
  chart?: string;
  maxRows?: string;
  maxRepairs?: string;
  timeout?: string;
  json?: boolean;
}

interface SqlFlags extends SourceFlags {
  maxRows?: string;
  timeout?: string;
  json?: boolean;
}

interface ChartFlags extends SourceFlags {
  histogram?: string;
  table?: string;
  sql?: string;
  out?: string;
  bins?: string;
  json?: boolean;
}

const SOURCE_HELP = `
Sources (exactly one):
  --file <path...>   .csv, .xlsx, .parquet, .json or .jsonl files, loaded into DuckDB (cached by content)
  --db <location>    a SQLite or DuckDB file, or a postgres:// URL (queried in place, read-only)`;

const CHART_EXTENSIONS = [".svg", ".png", ".json"];

/** The one source the flags name; a UsageError when there are none or both. */
export function sourceLocation(flags: SourceFlags): DataLocation {
  const files = flags.file ?? [];
  if (files.length > 0 && flags.db !== undefined) {
    throw new UsageError("Pass either --file or --db, not both: one command reads one source.");
  }
  if (files.length > 0) return { file: files.length === 1 ? (files[0] as string) : files };
  if (flags.db !== undefined) {
    if (!flags.db.trim()) throw new UsageError("--db needs a SQLite file path or a postgres:// URL.");
    return { db: flags.db };
  }
  throw new UsageError(
    "Name the data: --file <path...> (csv, xlsx, parquet, json) or --db <SQLite file or postgres:// URL>.",
  );
}

function chartPath(flag: string, path: string | undefined, required: boolean): string | undefined {
  if (path === undefined) {
    if (required) throw new UsageError(`${flag} is required: the file to write, ending in .svg, .png or .json.`);
    return undefined;
  }
  const dot = path.lastIndexOf(".");
  const ext = dot < 0 ? "" : path.slice(dot).toLowerCase();
  if (!CHART_EXTENSIONS.includes(ext)) {
    throw new UsageError(`${flag} must end in .svg, .png or .json (the format), got '${path}'.`);
  }
  return path;
}

async function withSource<T>(flags: SourceFlags, use: (source: DataSource) => Promise<T>): Promise<T> {
  const location = sourceLocation(flags);
  const { openDataSource } = await import("../data/open-source.js");
  const source = await openDataSource(location);
  try {
    return await use(source);
  } finally {
    await source.close();
  }
}

function sourceOptions(command: Command): Command {
  return command
    .option("--file <path...>", "data files: .csv, .xlsx, .parquet, .json, .jsonl (several become several tables)")
    .option("--db <location>", "a SQLite or DuckDB file, or a postgres:// URL");
}

export function registerData(program: Command, globals: () => GlobalOptions): void {
  const data = program
    .command("data")
    .description(
      "Ask questions of spreadsheets and databases: validated read-only SQL, aligned tables, a short answer and charts.",
    )
    .addHelpText(
      "after",
      `${SOURCE_HELP}

Examples:
  weft data schema --file sales.xlsx
  weft data ask "Which region sold most in 2024?" --file sales.xlsx --chart regions.svg
  weft data sql "SELECT region, sum(amount) AS total FROM sales GROUP BY region" --file sales.xlsx
  weft data chart --file "Volve production data.xlsx" --histogram BORE_OIL_VOL --out oil.png`,
    );

  sourceOptions(
    data
      .command("ask")
      .description("Answer a question: the model writes SQL, weft checks and runs it read-only, then answers in words.")
      .argument("<question>", "the question, in plain words"),
  )
    .option("-m, --model <id>", "model that writes the SQL and the answer (default: auto-detected)")
    .option("--chart <out>", "also draw a chart when the result suits one: out.svg, out.png or out.json (Vega-Lite)")
    .option("--max-rows <n>", "most rows to return (default 1000)")
    .option("--max-repairs <n>", "how often a rejected query goes back to the model (default 2)")
    .option("--timeout <ms>", "query time limit in milliseconds (default 10000)")
    .option("--json", 'print { "sql", "columns", "rows", "answer", "chart" } (chart: the Vega-Lite spec or null)')
    .addHelpText(
      "after",
      `${SOURCE_HELP}

Without a model, use "weft data sql" to run your own SQL through the same checks.

Examples:
  weft data ask "How many singers are older than 30?" --db concert_singer.sqlite
  weft data ask "Total oil per well" --file "Volve production data.xlsx" --chart oil.svg --json`,
    )
    .action(async (question: string, flags: AskFlags) => {
      if (!question.trim())
        throw new UsageError('The question is empty. Example: weft data ask "How many rows are there?"');
      const maxRows = numberOption("--max-rows", flags.maxRows, { integer: true, min: 1 });
      const maxRepairs = numberOption("--max-repairs", flags.maxRepairs, { integer: true, min: 0, max: 10 });
      const timeoutMs = numberOption("--timeout", flags.timeout, { integer: true, min: 1 });
      const out = chartPath("--chart", flags.chart, false);
      sourceLocation(flags);
      const { createCliContext } = await import("./context.js");
      const { NoModelConfiguredError } = await import("../spec/errors.js");
      const ctx = await createCliContext(globals());
      try {
        let model: Awaited<ReturnType<typeof ctx.model>>["model"];
        try {
          ({ model } = await ctx.model(flags.model));
        } catch (error) {
          if (!NoModelConfiguredError.isInstance(error)) throw error;
          process.stderr.write(
            `error: ${error.message}\nWithout a model, "weft data schema" shows the tables and "weft data sql \\"<SQL>\\"" runs your own query through the same checks.\n`,
          );
          process.exitCode = 1;
          return;
        }
        await withSource(flags, async (source) => {
          const { askData } = await import("../data/ask.js");
          const result = await askData({
            model,
            source,
            question,
            maxRows,
            maxRepairs,
            timeoutMs,
            chart: out !== undefined,
            modelFacts: ctx.config.modelFacts,
          });
          if (out && result.chart) {
            const { writeChart } = await import("../data/chart/write-chart.js");
            await writeChart(result.chart, out);
          }
          if (flags.json) {
            return printJson({
              sql: result.sql,
              columns: result.columns,
              rows: result.rows,
              answer: result.answer,
              chart: result.chart ?? null,
            });
          }
          const { attemptsNote, resultBlock, sqlBlock } = await import("./data-print.js");
          process.stderr.write(attemptsNote(result.attempts, Boolean(process.stderr.isTTY)));
          process.stdout.write(`SQL:\n${sqlBlock(result.sql)}\n\n${resultBlock(result)}\n\n${result.answer}\n`);
          if (out) {
            process.stdout.write(
              result.chart ? `\nchart: ${out}\n` : "\nchart: none (this result does not suit a chart)\n",
            );
          }
        });
      } finally {
        await ctx.close();
      }
    });

  sourceOptions(
    data
      .command("schema")
      .description("Show the tables: columns, types, null shares, distinct counts, ranges, samples."),
  )
    .option("--json", "print the profile as JSON")
    .addHelpText("after", SOURCE_HELP)
    .action(async (flags: SourceFlags & { json?: boolean }) => {
      await withSource(flags, async (source) => {
        const profile = await source.profile();
        if (flags.json) return printJson(profile);
        const { profileText } = await import("./data-print.js");
        process.stdout.write(profileText(profile));
      });
    });

  sourceOptions(
    data
      .command("sql")
      .description(
        "Run your own SQL through the same checks as the model's: one read-only statement, row limit, timeout.",
      )
      .argument("<sql>", "one SELECT (or WITH ... SELECT) statement"),
  )
    .option("--max-rows <n>", "most rows to return (default 1000)")
    .option("--timeout <ms>", "query time limit in milliseconds (default 10000)")
    .option("--json", 'print { "sql", "columns", "rows", "answer": null, "chart": null }')
    .addHelpText(
      "after",
      `${SOURCE_HELP}

Examples:
  weft data sql "SELECT count(*) FROM singer" --db concert_singer.sqlite
  weft data sql "SELECT WELL_BORE_CODE, sum(BORE_OIL_VOL) FROM daily_production_data GROUP BY 1" --file volve.xlsx`,
    )
    .action(async (sql: string, flags: SqlFlags) => {
      if (!sql.trim())
        throw new UsageError('The SQL is empty. Example: weft data sql "SELECT count(*) FROM t" --file t.csv');
      const maxRows = numberOption("--max-rows", flags.maxRows, { integer: true, min: 1 });
      const timeoutMs = numberOption("--timeout", flags.timeout, { integer: true, min: 1 });
      await withSource(flags, async (source) => {
        const { runSql } = await import("../data/ask.js");
        const result = await runSql({ source, sql, maxRows, timeoutMs });
        if (flags.json) {
          return printJson({ sql: result.sql, columns: result.columns, rows: result.rows, answer: null, chart: null });
        }
        const { resultBlock } = await import("./data-print.js");
        process.stdout.write(`${resultBlock(result)}\n`);
      });
    });

  sourceOptions(
    data
      .command("chart")
      .description("Draw a chart to a file: the histogram of one column, or the chart that suits a query's result."),
  )
    .option("--histogram <column>", "draw the distribution of this numeric column")
    .option("--table <name>", "the table of --histogram's column (needed when several tables have it)")
    .option("--sql <query>", "draw the result of this query (a bar, line, scatter or histogram, by its columns)")
    .option("--out <file>", "where to write: .svg, .png, or .json for the Vega-Lite spec")
    .option("--bins <n>", "most bins of a histogram (default 20)")
    .option("--json", "print the Vega-Lite spec as well")
    .addHelpText(
      "after",
      `${SOURCE_HELP}

Examples:
  weft data chart --file "Volve production data.xlsx" --histogram BORE_OIL_VOL --out oil.png
  weft data chart --db shop.sqlite --sql "SELECT region, sum(amount) AS total FROM sales GROUP BY 1" --out sales.svg`,
    )
    .action(async (flags: ChartFlags) => {
      if ((flags.histogram === undefined) === (flags.sql === undefined)) {
        throw new UsageError("Pass either --histogram <column> or --sql <query>: what to draw.");
      }
      if (flags.table !== undefined && flags.histogram === undefined) {
        throw new UsageError("--table goes with --histogram; with --sql, name the table in the query.");
      }
      if (flags.bins !== undefined && flags.histogram === undefined) {
        throw new UsageError("--bins goes with --histogram.");
      }
      const out = chartPath("--out", flags.out, true) as string;
      const bins = numberOption("--bins", flags.bins, { integer: true, min: 1, max: 1000 });
      sourceLocation(flags);
      await withSource(flags, async (source) => {
        const { histogramChart, queryChart } = await import("./data-chart.js");
        const drawn =
          flags.histogram !== undefined
            ? await histogramChart(source, { column: flags.histogram, table: flags.table, bins })
            : await queryChart(source, flags.sql as string);
        const { writeChart } = await import("../data/chart/write-chart.js");
        await writeChart(drawn.spec, out);
        if (flags.json) return printJson({ out, note: drawn.note, chart: drawn.spec });
        process.stdout.write(`wrote ${out} (${drawn.note})\n`);
      });
    });
}
