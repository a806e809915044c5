/** Reads all of stdin when it is piped; undefined on a terminal. */
export async function readStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Formats a cost for people: "$0.000123", "free" for local models, "unknown" when the price is unknown. */
export function formatCost(costUsd: number | null): string {
  if (costUsd === null) return "unknown";
  if (costUsd === 0) return "$0";
  return `$${costUsd < 0.01 ? costUsd.toPrecision(3) : costUsd.toFixed(4)}`;
}

/** Parses a numeric option, failing with a message naming the option. */
export function numberOption(
  name: string,
  value: string | undefined,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const bad =
    value.trim() === "" ||
    !Number.isFinite(n) ||
    (opts.integer && !Number.isInteger(n)) ||
    (opts.min !== undefined && n < opts.min) ||
    (opts.max !== undefined && n > opts.max);
  if (bad) {
    const range = [opts.min !== undefined ? `>= ${opts.min}` : "", opts.max !== undefined ? `<= ${opts.max}` : ""]
      .filter(Boolean)
      .join(" and ");
    throw new UsageError(
      `${name} must be ${opts.integer ? "an integer" : "a number"}${range ? ` ${range}` : ""}, got '${value}'.`,
    );
  }
  return n;
}

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {}
