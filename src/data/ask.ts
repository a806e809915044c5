import { z } from "zod";
import { generateObject } from "../generate/generate-object.js";
import { generateText } from "../generate/generate-text.js";
import { addCost, addUsage } from "../generate/usage.js";
import type { ModelFactsOverrides } from "../models/model-facts.js";
import { modelFacts } from "../models/model-facts.js";
import { InvalidArgumentError, SqlRejectedError } from "../spec/errors.js";
import type { JSONSchema } from "../spec/json-schema.js";
import type { LanguageModel, Message, Usage } from "../spec/language-model.js";
import { answerMessages, repairPrompt, sqlSystemPrompt, sqlUserPrompt } from "./ask-prompt.js";
import { suggestChart } from "./chart/suggest-chart.js";
import type { ChartHint, VegaLiteSpec } from "./chart/types.js";
import { type CountTokens, DEFAULT_SCHEMA_TOKENS, schemaForPrompt } from "./schema-text.js";
import type { DataSource, QueryColumn, QueryResult, SchemaProfile, SqlRunOptions } from "./types.js";

/** One try at the SQL: what the model wrote and, when it was rejected, why. */
export interface SqlAttempt {
  sql: string;
  error?: string;
}

export interface GenerateSqlOptions {
  model: LanguageModel;
  source: DataSource;
  question: string;
  /** How many times a rejected query goes back to the model with the engine's error (default 2). */
  maxRepairs?: number;
  /** The source's profile, when already at hand (default: `source.profile()`). */
  profile?: SchemaProfile;
  /** Most tokens for the schema in the prompt (default 3000, at most half the model's context window). */
  schemaTokens?: number;
  /** Token counter for the schema budget (default: the model's own, else gpt-tokenizer). */
  countTokens?: CountTokens;
  /** Ask the model for a chart hint along with the SQL. */
  chartHint?: boolean;
  /** Sampling temperature (default: the provider's; some reasoning models accept no other). */
  temperature?: number;
  maxRetries?: number;
  /** Per model call, in milliseconds. */
  modelTimeoutMs?: number;
  modelFacts?: ModelFactsOverrides;
  abortSignal?: AbortSignal;
}

export interface GenerateSqlResult {
  /** The query that passed `source.check`. */
  sql: string;
  /** Every try, the last one without an error. */
  attempts: SqlAttempt[];
  /** The model's chart wish, when one was asked for and given. */
  chartHint?: ChartHint;
  usage: Usage;
  costUsd: number | null;
}

export interface AskDataOptions extends Omit<GenerateSqlOptions, "chartHint"> {
  /** Rows returned at most (default: the source's, 1000). */
  maxRows?: number;
  /** Limit for running the query, in milliseconds (default: the source's, 10 s). */
  timeoutMs?: number;
  /** Suggest a chart when the result suits one; `{ hint }` steers it (the model's own hint is used otherwise). */
  chart?: boolean | { hint?: ChartHint };
  /** Write the natural-language answer (default true); false returns the table only. */
  answer?: boolean;
  /** Rows of the result the answer sees (default 30). */
  answerRows?: number;
  /**
   * Rows a chart may read (default 100,000). When the result was cut at `maxRows`, the query runs
   * again with this limit for the chart, so a histogram counts every value, not the first page.
   */
  chartRows?: number;
}

export interface AskDataResult {
  sql: string;
  columns: QueryColumn[];
  rows: QueryResult["rows"];
  truncated: boolean;
  /** A short answer in words; empty when `answer: false`. */
  answer: string;
  /** A Vega-Lite spec, when a chart was asked for and the result suits one. */
  chart?: VegaLiteSpec;
  attempts: SqlAttempt[];
  usage: Usage;
  /** USD over every model call; null when a price is unknown. */
  costUsd: number | null;
}

const DEFAULT_CHART_ROWS = 100_000;

const MARKS = ["bar", "line", "point", "area", "histogram"] as const;

const SQL_FIELD = z.string().describe("One read-only SQL query that answers the question.");
const SqlSchema = z.object({ sql: SQL_FIELD });
// What the model is asked for: every field required and nullable, as OpenAI's strict structured output demands.
const CHART_REQUEST = z.object({
  sql: SQL_FIELD,
  chart: z
    .object({
      mark: z.enum(MARKS),
      x: z.string().nullable(),
      y: z.string().nullable(),
      color: z.string().nullable(),
      title: z.string().nullable(),
    })
    .nullable()
    .describe("A chart of the result when one would help, naming result columns; null otherwise."),
});
// What is accepted: a missing or odd chart is no reason to make the model write its SQL again.
const orNull = <T extends z.ZodType>(type: T) => type.nullable().default(null).catch(null);
const CHART_REPLY = z.object({
  sql: SQL_FIELD,
  chart: orNull(
    z.object({
      mark: orNull(z.string()),
      x: orNull(z.string()),
      y: orNull(z.string()),
      color: orNull(z.string()),
      title: orNull(z.string()),
    }),
  ),
});
type SqlReply = { sql: string; chart?: z.infer<typeof CHART_REPLY>["chart"] };

let chartRequestSchema: JSONSchema | undefined;
function chartRequestJsonSchema(): JSONSchema {
  chartRequestSchema ??= (z.toJSONSchema as (s: unknown, o: object) => JSONSchema)(CHART_REQUEST, {
    target: "draft-2020-12",
  });
  return chartRequestSchema;
}

/** Removes a Markdown fence and a trailing semicolon that models like to add. */
function cleanSql(sql: string): string {
  let s = sql.trim();
  const fenced = /^```[a-z]*\s*\n?([\s\S]*?)\n?```$/i.exec(s);
  if (fenced?.[1] !== undefined) s = fenced[1].trim();
  return s.replace(/;\s*$/, "").trim();
}

function hintOf(reply: SqlReply): ChartHint | undefined {
  if (!reply.chart) return undefined;
  const hint: ChartHint = {};
  // suggestChart checks the mark and the columns against the result and says what it ignored.
  if (reply.chart.mark) hint.mark = reply.chart.mark as ChartHint["mark"];
  if (reply.chart.x) hint.x = reply.chart.x;
  if (reply.chart.y) hint.y = reply.chart.y;
  if (reply.chart.color) hint.color = reply.chart.color;
  if (reply.chart.title) hint.title = reply.chart.title;
  return hint;
}

async function schemaBudget(options: GenerateSqlOptions): Promise<number> {
  if (options.schemaTokens !== undefined) return options.schemaTokens;
  const window = modelFacts(options.model.provider, options.model.modelId, options.modelFacts)?.contextWindow ?? 4096;
  return Math.min(DEFAULT_SCHEMA_TOKENS, Math.floor(window / 2));
}

/**
 * The loop behind `generateSql` and `askData`: the model writes SQL, `accept` checks (or runs)
 * it, and a SqlRejectedError goes back to the model as a repair request until `maxRepairs` is
 * used up.
 */
async function writeSql<T>(
  options: GenerateSqlOptions,
  accept: (sql: string) => Promise<T>,
): Promise<GenerateSqlResult & { value: T }> {
  const question = options.question.trim();
  if (!question) throw new InvalidArgumentError({ argument: "question", message: "The question is empty." });
  const maxRepairs = options.maxRepairs ?? 2;
  if (!Number.isInteger(maxRepairs) || maxRepairs < 0) {
    throw new InvalidArgumentError({
      argument: "maxRepairs",
      message: `maxRepairs must be a whole number >= 0, got ${maxRepairs}.`,
    });
  }
  const { model, source } = options;
  const profile = options.profile ?? (await source.profile());
  const countTokens =
    options.countTokens ?? (model.countTokens ? (t: string) => model.countTokens?.(t) ?? 0 : undefined);
  const schema = await schemaForPrompt(profile, { question, tokenBudget: await schemaBudget(options), countTokens });
  const messages: Message[] = [{ role: "user", content: sqlUserPrompt(schema.text, question) }];
  const system = sqlSystemPrompt(source.dialect, Boolean(options.chartHint));
  const attempts: SqlAttempt[] = [];
  let usage: Usage = {};
  let costUsd: number | null = 0;
  let lastError: SqlRejectedError | undefined;

  for (let attempt = 0; attempt <= maxRepairs; attempt++) {
    const generated = await generateObject<SqlReply>({
      model,
      system,
      messages,
      schema: options.chartHint ? CHART_REPLY : SqlSchema,
      jsonSchema: options.chartHint ? chartRequestJsonSchema() : undefined,
      schemaName: "sql_query",
      maxRepairs: 1,
      temperature: options.temperature,
      maxRetries: options.maxRetries,
      timeoutMs: options.modelTimeoutMs,
      modelFacts: options.modelFacts,
      abortSignal: options.abortSignal,
    });
    usage = addUsage(usage, generated.usage);
    costUsd = addCost(costUsd, generated.costUsd);
    const sql = cleanSql(generated.object.sql);
    try {
      const value = await accept(sql);
      attempts.push({ sql });
      return { sql, attempts, chartHint: hintOf(generated.object), usage, costUsd, value };
    } catch (error) {
      if (!SqlRejectedError.isInstance(error)) throw error;
      lastError = error;
      attempts.push({ sql, error: error.message });
      messages.push(
        { role: "assistant", content: generated.text },
        { role: "user", content: repairPrompt(error.message) },
      );
    }
  }
  const list = attempts.map((a, i) => `${i + 1}) ${a.sql.replace(/\s+/g, " ")} → ${a.error}`).join(" ");
  throw new SqlRejectedError({
    sql: lastError?.sql ?? attempts.at(-1)?.sql ?? "",
    reason: lastError?.reason ?? "engine",
    message: `The model did not write a query that runs in ${attempts.length} attempt(s): ${list} Rephrase the question, name the table or columns, raise maxRepairs, or use a stronger model.`,
    cause: lastError,
  });
}

/**
 * Has the model write one SQL query for a question and checks it against the source (parse,
 * single read-only statement, tables and columns exist) without running it. A rejected query goes
 * back to the model with the engine's error for up to `maxRepairs` repairs.
 *
 * @example
 * const { sql, attempts } = await generateSql({ model, source, question: "How many singers are there?" });
 */
export async function generateSql(options: GenerateSqlOptions): Promise<GenerateSqlResult> {
  const { value: _none, ...result } = await writeSql(options, (sql) => options.source.check(sql));
  return result;
}

/**
 * Answers a question about a data source: the model writes SQL from a profile of the schema, weft
 * checks and runs it read-only with a row limit and a timeout (feeding errors back for repairs),
 * then the model answers in a sentence or two from the rows, and a chart is suggested when asked
 * for and the result suits one.
 *
 * @example
 * const source = await openDataSource({ file: "sales.xlsx" });
 * const result = await askData({ model, source, question: "Which region sold most in 2024?", chart: true });
 * console.log(result.sql, result.answer);
 * if (result.chart) await writeChart(result.chart, "regions.svg");
 */
export async function askData(options: AskDataOptions): Promise<AskDataResult> {
  const run: SqlRunOptions = {
    maxRows: options.maxRows,
    timeoutMs: options.timeoutMs,
    abortSignal: options.abortSignal,
  };
  const wantChart = Boolean(options.chart);
  const written = await writeSql({ ...options, chartHint: wantChart }, (sql) => options.source.run(sql, run));
  const result = written.value;
  let { usage, costUsd } = written;

  let answer = "";
  if (options.answer !== false) {
    const reply = await generateText({
      model: options.model,
      messages: answerMessages({
        question: options.question.trim(),
        sql: written.sql,
        result,
        maxRows: options.answerRows,
      }),
      maxTokens: 300,
      temperature: options.temperature,
      maxRetries: options.maxRetries,
      timeoutMs: options.modelTimeoutMs,
      modelFacts: options.modelFacts,
      abortSignal: options.abortSignal,
    });
    answer = reply.text.trim();
    usage = addUsage(usage, reply.usage);
    costUsd = addCost(costUsd, reply.costUsd);
  }

  const out: AskDataResult = {
    sql: written.sql,
    columns: result.columns,
    rows: result.rows,
    truncated: result.truncated,
    answer,
    attempts: written.attempts,
    usage,
    costUsd,
  };
  if (wantChart) {
    const given = typeof options.chart === "object" ? options.chart.hint : undefined;
    const hint = given || written.chartHint ? { ...written.chartHint, ...given } : undefined;
    const chartRows = options.chartRows ?? DEFAULT_CHART_ROWS;
    const data =
      result.truncated && chartRows > result.rows.length
        ? await options.source.run(written.sql, { ...run, maxRows: chartRows })
        : result;
    const chart = suggestChart(data, { hint });
    if (chart) out.chart = chart;
  }
  return out;
}

/**
 * Runs your own SQL through the same checks as the model's (one read-only statement over existing
 * tables, row limit, timeout), with no model involved.
 *
 * @example
 * const result = await runSql({ source, sql: "SELECT count(*) AS n FROM singer" });
 * result.rows; // [[6]]
 */
export function runSql(options: { source: DataSource; sql: string } & SqlRunOptions): Promise<QueryResult> {
  const { source, sql, ...run } = options;
  return source.run(sql, run);
}
