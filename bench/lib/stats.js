/** Median of a list of numbers (the mean of the middle two for an even count). */
export function median(values) {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile, q in [0, 1]. */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** A number with a precision that suits its size: 0.071, 4.93, 57.2, 1,663. */
export function formatNumber(value) {
  if (!Number.isFinite(value)) return "—";
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** "2.4×" style ratio; "—" when either side is missing. */
export function formatRatio(value, base) {
  if (!Number.isFinite(value) || !Number.isFinite(base) || base === 0) return "—";
  const r = value / base;
  const digits = r >= 100 ? 0 : r >= 10 ? 1 : r >= 0.1 ? 2 : 3;
  return `${r.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}×`;
}

/** "p25–p75" of a sample list, formatted. */
export function formatSpread(values) {
  return `${formatNumber(quantile(values, 0.25))}–${formatNumber(quantile(values, 0.75))}`;
}
