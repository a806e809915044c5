/** Structured data: load spreadsheets and databases, check and run SQL safely, answer questions with tables and charts. */

export {
  type AskDataOptions,
  type AskDataResult,
  askData,
  type GenerateSqlOptions,
  type GenerateSqlResult,
  generateSql,
  runSql,
  type SqlAttempt,
} from "./ask.js";
export {
  type ExecutionMatch,
  type ExecutionMatchOptions,
  executionMatch,
  type ResultRows,
} from "./ask-execution-match.js";
export { ANSWER_SYSTEM_PROMPT, resultText, sqlSystemPrompt } from "./ask-prompt.js";
export { type HistogramOptions, histogramSpec } from "./chart/histogram.js";
export { renderChart } from "./chart/render-chart.js";
export { suggestChart } from "./chart/suggest-chart.js";
export type {
  ChartChoice,
  ChartFormat,
  ChartHint,
  ChartMark,
  RenderChartOptions,
  SuggestChartOptions,
  VegaLiteSpec,
} from "./chart/types.js";
export { writeChart } from "./chart/write-chart.js";
export { defaultDataCacheDir } from "./load/data-cache.js";
export { SUPPORTED_DATA_EXTENSIONS } from "./load/input-file.js";
export { type LoadedDatabase, type LoadFilesOptions, loadFiles } from "./load/load-files.js";
export type { LoadedTable } from "./load/loaded-table.js";
export { type OpenDataSourceOptions, type OpenedDataSource, openDataSource } from "./open-source.js";
export {
  DEFAULT_SCHEMA_TOKENS,
  quoteIdentifier,
  quoteTableName,
  type SchemaDetail,
  type SchemaPrompt,
  type SchemaPromptOptions,
  schemaForPrompt,
} from "./schema-text.js";
export { type OpenDuckDbSourceOptions, openDuckDbSource } from "./sources/duckdb-source.js";
export { type OpenPostgresSourceOptions, openPostgresSource } from "./sources/postgres-source.js";
export { MAX_SQL_LENGTH } from "./sources/sql-gate.js";
export { type OpenSqliteSourceOptions, openSqliteSource } from "./sources/sqlite-source.js";
export type * from "./types.js";
