/** Turning file, sheet and header names into SQL identifiers that never need quoting. */

/** Longest identifier produced; PostgreSQL truncates at 63 bytes, so stay portable. */
const MAX_LENGTH = 60;

/**
 * Lowercase snake_case with ASCII letters, digits and `_` only. Accents are stripped, other
 * characters become `_`, a leading digit gets `prefix`, and reserved words get a trailing `_`.
 *
 * @example safeIdentifier("Monthly Production Data", { fallback: "table" }) // "monthly_production_data"
 * @example safeIdentifier("2019", { fallback: "column", prefix: "c_" }) // "c_2019"
 */
export function safeIdentifier(
  text: string,
  options: { fallback: string; prefix?: string; reserved?: ReadonlySet<string> },
): string {
  let name = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])(?=[a-z])/g, "$1_$2")
    .toLowerCase()
    .replace(/æ/g, "ae")
    .replace(/ø/g, "o")
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (name === "") name = options.fallback;
  if (/^[0-9]/.test(name)) name = `${options.prefix ?? "_"}${name}`;
  if (name.length > MAX_LENGTH) name = name.slice(0, MAX_LENGTH).replace(/_+$/, "");
  if (options.reserved?.has(name)) name = `${name}_`;
  return name;
}

/**
 * Returns `name`, or `name_2`, `name_3`, ... whichever is not yet in `taken` (compared
 * case-insensitively, as SQL does), and records the result in `taken`.
 */
export function claimName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name}_${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** `"name"` with embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `'text'` with embedded quotes doubled: a SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Spreadsheet column letters for a 0-based index: 0 → `a`, 26 → `aa`. */
export function columnLetters(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(97 + ((n - 1) % 26)) + letters;
  }
  return letters;
}
