/** Renders rows of strings as a Markdown table (also readable in a terminal). */
export function markdownTable(columns, rows) {
  const cellText = (cell) => String(cell).replaceAll("|", "\\|");
  const widths = columns.map((c, i) => Math.max(cellText(c).length, ...rows.map((r) => cellText(r[i] ?? "").length)));
  const line = (cells) => `| ${cells.map((c, i) => cellText(c ?? "").padEnd(widths[i])).join(" | ")} |`;
  return [line(columns), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** One benchmark result as Markdown: heading, method, table, notes. */
export function renderResult(result, { level = 2 } = {}) {
  const out = [`${"#".repeat(level)} ${result.title}`, ""];
  if (result.method) out.push(result.method, "");
  if (result.skipped) {
    out.push(`Skipped: ${result.skipped}`, "");
    return out.join("\n");
  }
  out.push(markdownTable(result.columns, result.rows), "");
  for (const note of result.notes ?? []) out.push(`- ${note}`);
  if (result.notes?.length) out.push("");
  out.push(`Run alone: \`${result.command}\``, "");
  return out.join("\n");
}
