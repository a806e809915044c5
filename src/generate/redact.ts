const SECRET_KEY = /(api[-_]?key|authorization|secret|password|passwd|token(?!s)|bearer|cookie)/i;

/**
 * Deep-copies a JSON-like value, replacing the values of secret-looking keys with "[redacted]" and
 * dropping functions and AbortSignals, so it is safe to persist or print.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20) return "[too deep]";
  if (value === null || typeof value !== "object") return typeof value === "function" ? undefined : value;
  if (typeof AbortSignal !== "undefined" && value instanceof AbortSignal) return undefined;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || typeof v === "function") continue;
    out[key] = SECRET_KEY.test(key) ? "[redacted]" : redactSecrets(v, depth + 1);
  }
  return out;
}
