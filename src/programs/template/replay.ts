import { TemplateError, type TemplateLocation } from "./errors.js";

/**
 * One decision a run made, in execution order: a generated value, a selected option, an awaited
 * value, a helper result, or geneach's choice to continue. Resuming replays these instead of
 * calling the model (or the helper) again.
 */
export interface ReplayEntry {
  kind: "gen" | "select" | "await" | "helper" | "continue";
  name: string;
  /** Absent for helper results that are not JSON (the helper is called again on replay). */
  value?: unknown;
  /** For select: log probability of each option, by option text. */
  logprobs?: Record<string, number | null>;
}

/**
 * What a program that stopped at `{{await}}` needs to resume: its JSON inputs and the log of its
 * decisions. It is plain JSON: store it anywhere and pass it back with `state`.
 */
export interface ProgramState {
  version: 1;
  /** The value the program stopped for. */
  awaiting: string;
  variables: Record<string, unknown>;
  log: ReplayEntry[];
}

export interface ReplayLog {
  /** The recorded entry for this point of the program, or undefined once past the recording. */
  next(kind: ReplayEntry["kind"], name: string, at: TemplateLocation): ReplayEntry | undefined;
  record(entry: ReplayEntry): void;
  readonly entries: ReplayEntry[];
  /** True while recorded entries remain. */
  readonly replaying: boolean;
}

/**
 * Replays a saved log in order and records a new one. A recorded entry of another kind or name at
 * the same point means the program or its inputs changed since the state was saved.
 *
 * @example
 * const log = createReplayLog(state?.log ?? []);
 * const hit = log.next("gen", "answer", { line: 3, column: 9 });
 */
export function createReplayLog(saved: ReplayEntry[]): ReplayLog {
  let position = 0;
  const entries: ReplayEntry[] = [];
  return {
    next(kind, name, at) {
      if (position >= saved.length) return undefined;
      const entry = saved[position] as ReplayEntry;
      if (entry.kind !== kind || entry.name !== name) {
        throw new TemplateError({
          ...at,
          kind: "state-mismatch",
          subject: name,
          message: `The saved state does not match this program: it recorded ${entry.kind} '${entry.name}' where the program now runs ${kind} '${name}'. Resume with the same template and variables, or start over without state`,
        });
      }
      position++;
      return entry;
    },
    record(entry) {
      entries.push(entry);
    },
    get entries() {
      return entries;
    },
    get replaying() {
      return position < saved.length;
    },
  };
}
