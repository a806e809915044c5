import { addUsage } from "../../generate/usage.js";
import type { Usage } from "../../spec/language-model.js";

/** Usage and cost summed over every model call a technique made. */
export interface TechniqueUsage {
  usage: Usage;
  /** USD; null when any call's price is unknown (never a silent 0). */
  costUsd: number | null;
  /** Model calls made. */
  calls: number;
}

/** A running total of usage and cost; `add` takes any generate result. */
export interface UsageTotals {
  add(result: { usage?: Usage; costUsd: number | null }): void;
  total(): TechniqueUsage;
}

/** Starts a usage total at zero calls. */
export function createUsageTotals(): UsageTotals {
  let usage: Usage = {};
  let costUsd: number | null = 0;
  let calls = 0;
  return {
    add(result) {
      usage = addUsage(usage, result.usage ?? {});
      costUsd = costUsd === null || result.costUsd === null ? null : costUsd + result.costUsd;
      calls++;
    },
    total: () => ({ usage: { ...usage }, costUsd, calls }),
  };
}
