/** A citation check of a generated answer. */
export interface CitationCheck {
  /** Valid source numbers cited, in order of first use. */
  cited: number[];
  /** Numbers cited that name no source. */
  invalid: number[];
}

const GROUP = /\[(\s*\d+(?:\s*[-–]\s*\d+)?(?:\s*[,;]\s*\d+(?:\s*[-–]\s*\d+)?)*\s*)\]/g;

/**
 * Finds the `[n]` citations in an answer (also `[1, 2]`, `[1][3]` and `[2-4]`) and splits them
 * into valid ones (1..sourceCount) and invalid ones.
 *
 * @example
 * checkCitations("Opens at 8 pm [2]. Free on Mondays [7].", 3); // { cited: [2], invalid: [7] }
 */
export function checkCitations(answer: string, sourceCount: number): CitationCheck {
  const cited: number[] = [];
  const invalid: number[] = [];
  const add = (n: number) => {
    const list = n >= 1 && n <= sourceCount ? cited : invalid;
    if (!list.includes(n)) list.push(n);
  };
  for (const match of answer.matchAll(GROUP)) {
    for (const part of (match[1] as string).split(/[,;]/)) {
      const [from, to] = part.split(/[-–]/).map((x) => Number.parseInt(x.trim(), 10)) as [number, number?];
      if (to === undefined) add(from);
      else if (to >= from && to - from < 50) for (let n = from; n <= to; n++) add(n);
      else add(from);
    }
  }
  return { cited, invalid };
}
