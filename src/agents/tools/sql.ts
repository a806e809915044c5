import { z } from "zod";
import type { Cell, DataSource } from "../../data/types.js";
import { type Tool, tool } from "../tool.js";

export interface SqlToolOptions {
  /** An open data source (see `openDataSource`); the tool never closes it. */
  source: DataSource;
  /** Rows returned to the model at most (default 50). */
  maxRows?: number;
  /** Per-query time limit (default 10 s). */
  timeoutMs?: number;
  /** Tokens of schema description in the tool's description (default 1500). */
  schemaTokens?: number;
}

export interface SqlToolOutput {
  columns: string[];
  rows: Cell[][];
  truncated: boolean;
}

/**
 * `sql`: read-only SQL over a data source, with its schema in the tool description so the model can
 * write queries without a separate lookup. Every statement goes through the source's checks (one
 * read-only statement, known tables and columns), so rejected SQL comes back as an error the model
 * can fix.
 *
 * @example
 * const source = await openDataSource({ file: "sales.xlsx" });
 * const tools = [await sqlTool({ source })];
 */
export async function sqlTool(options: SqlToolOptions): Promise<Tool<{ sql: string }, SqlToolOutput>> {
  const { schemaForPrompt } = await import("../../data/schema-text.js");
  const profile = await options.source.profile();
  const schema = await schemaForPrompt(profile, { tokenBudget: options.schemaTokens ?? 1500 });
  const maxRows = options.maxRows ?? 50;
  return tool({
    name: "sql",
    description: `Run one read-only ${profile.dialect} SELECT query on ${options.source.label} and get up to ${maxRows} rows back. Schema:\n${schema.text}`,
    inputSchema: z.object({ sql: z.string().min(1).describe("One SELECT statement") }),
    async execute({ sql }, { abortSignal }) {
      const result = await options.source.run(sql, { maxRows, timeoutMs: options.timeoutMs, abortSignal });
      return { columns: result.columns.map((c) => c.name), rows: result.rows, truncated: result.truncated };
    },
  });
}
