/**
 * Turning engine values into JSON-safe cells, the same way for every engine: integers and
 * decimals that a double cannot hold exactly stay strings, timestamps become ISO 8601 strings,
 * binary data becomes a short placeholder.
 */

import type { Cell } from "../types.js";

/** Samples and min/max strings are cut to this many characters. */
export const SAMPLE_LENGTH = 40;

/**
 * A number when the decimal text survives the trip through a double (safe integers, at most 15
 * significant digits), else the text itself.
 *
 * @example
 * numericCell("1.50"); // 1.5
 * numericCell("9007199254740993"); // "9007199254740993"
 */
export function numericCell(text: string): number | string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) {
    const value = Number(text);
    return Number.isFinite(value) ? value : text;
  }
  const whole = match[2] ?? "";
  const fraction = match[3] ?? "";
  if (fraction.replace(/0+$/, "") === "") {
    const value = Number(`${match[1]}${whole || "0"}`);
    return Number.isSafeInteger(value) ? value : text;
  }
  const digits = `${whole}${fraction}`.replace(/^0+/, "").replace(/0+$/, "");
  return digits.length <= 15 ? Number(text) : text;
}

/** A bigint as a number when it is a safe integer, else as its decimal text. */
export function bigintCell(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/** Doubles as numbers; NaN and the infinities, which JSON cannot hold, as text. */
export function floatCell(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

/**
 * `2020-01-02 03:04:05.123+00` → `2020-01-02T03:04:05.123Z`; an offset other than zero is kept as
 * `+HH:MM`. Text that is not a timestamp (`infinity`, BC dates) is returned unchanged.
 */
export function isoTimestamp(text: string): string {
  const match =
    /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?$/.exec(text);
  if (!match) return text;
  const [, date, time, sign, hours, minutes = "00", seconds] = match;
  if (sign === undefined) return `${date}T${time}`;
  if (hours === "00" && minutes === "00" && (seconds === undefined || seconds === "00")) return `${date}T${time}Z`;
  return `${date}T${time}${sign}${hours}:${minutes}${seconds ? `:${seconds}` : ""}`;
}

/** The placeholder shown for binary values. */
export function blobCell(byteLength: number): string {
  return `<blob ${byteLength} bytes>`;
}

/** Cuts a sample or min/max string to SAMPLE_LENGTH characters, marking the cut with "…". */
export function shortText(value: string, max = SAMPLE_LENGTH): string {
  const chars = Array.from(value);
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join("")}…`;
}

/** A cell as a profile bound (min/max): long strings shortened, booleans as text. */
export function boundCell(value: Cell | undefined): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "number") return value;
  return shortText(String(value));
}
