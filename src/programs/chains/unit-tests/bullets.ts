/** One item of a Markdown list, with its nested items. */
export interface BulletItem {
  text: string;
  children: BulletItem[];
}

const BULLET = /^(\s*)(?:[-*+]|\d{1,3}[.)])\s+(.*)$/;

/**
 * Parses the Markdown lists in a text into a tree: `-`, `*`, `+` and numbered items, nested by
 * indentation; wrapped lines join their item. Headings and paragraphs end the current list.
 *
 * @example
 * parseBullets("- adds\n  - 1 + 2 = 3\n- negatives");
 * // [{ text: "adds", children: [{ text: "1 + 2 = 3", children: [] }] }, { text: "negatives", children: [] }]
 */
export function parseBullets(text: string): BulletItem[] {
  const roots: BulletItem[] = [];
  let stack: Array<{ indent: number; item: BulletItem }> = [];
  let inFence = false;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\t/g, "    ").replace(/\s+$/, "");
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence || line === "") continue;
    const bullet = BULLET.exec(line);
    if (bullet) {
      const indent = bullet[1]?.length ?? 0;
      const item: BulletItem = { text: (bullet[2] ?? "").trim(), children: [] };
      while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
      const parent = stack.at(-1);
      if (parent) parent.item.children.push(item);
      else roots.push(item);
      stack.push({ indent, item });
      continue;
    }
    const last = stack.at(-1);
    if (last && /^\s+/.test(line)) last.item.text = `${last.item.text} ${line.trim()}`;
    else stack = [];
  }
  return roots;
}

/** A scenario of a test plan with its examples. */
export interface PlanCase {
  title: string;
  examples: string[];
}

/** A test plan as the model wrote it and as parsed: one case per top-level list item. */
export interface TestPlan {
  text: string;
  cases: PlanCase[];
}

const flatten = (items: BulletItem[]): string[] => items.flatMap((i) => [i.text, ...flatten(i.children)]);

/**
 * Reads a test plan: each top-level list item is a case, its nested items are its examples.
 *
 * @example
 * parseTestPlan("- empty input\n  - `sum([])` is 0").cases; // [{ title: "empty input", examples: ["`sum([])` is 0"] }]
 */
export function parseTestPlan(text: string): TestPlan {
  return {
    text,
    cases: parseBullets(text).map((item) => ({ title: item.text, examples: flatten(item.children) })),
  };
}
