/** Finds caller stop sequences in streamed text, holding back text that may start one. */
export interface StopDetector {
  /** Adds generated text; returns the text that is safe to emit now and whether a stop was found. */
  push(chunk: string): { emit: string; stopped: boolean };
  /** Releases held-back text at the end of a generation that did not stop. */
  flush(): string;
  /** The output so far, cut before the first stop sequence. */
  readonly text: string;
}

/**
 * Creates a stop detector. The output ends right before the first stop sequence, as with hosted
 * APIs, even when the sequence starts in the middle of a token.
 *
 * @example
 * const stops = createStopDetector(["\n\n"]);
 * stops.push("Hello\n"); // { emit: "Hello", stopped: false }
 * stops.push("\nmore");  // { emit: "", stopped: true }
 */
export function createStopDetector(stops: string[]): StopDetector {
  let text = "";
  let emitted = 0;
  let stoppedAt = -1;

  return {
    push(chunk) {
      if (stoppedAt >= 0) return { emit: "", stopped: true };
      text += chunk;
      // Everything before `emitted` was checked already and cannot start a stop sequence.
      let first = -1;
      for (const stop of stops) {
        const index = text.indexOf(stop, emitted);
        if (index >= 0 && (first < 0 || index < first)) first = index;
      }
      if (first >= 0) {
        stoppedAt = first;
        const emit = text.slice(emitted, first);
        emitted = first;
        return { emit, stopped: true };
      }
      let hold = 0;
      for (const stop of stops) {
        for (let length = Math.min(stop.length - 1, text.length - emitted); length > hold; length--) {
          if (text.endsWith(stop.slice(0, length))) {
            hold = length;
            break;
          }
        }
      }
      const end = text.length - hold;
      const emit = text.slice(emitted, end);
      emitted = end;
      return { emit, stopped: false };
    },
    flush() {
      if (stoppedAt >= 0) return "";
      const emit = text.slice(emitted);
      emitted = text.length;
      return emit;
    },
    get text() {
      return stoppedAt >= 0 ? text.slice(0, stoppedAt) : text;
    },
  };
}
