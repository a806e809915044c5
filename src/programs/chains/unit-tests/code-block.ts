const FENCE = /^([ \t]*)(`{3,}|~{3,})[ \t]*([\w+.-]*)[^\n]*\n/gm;

interface Block {
  language: string;
  code: string;
}

function fencedBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  FENCE.lastIndex = 0;
  for (let open = FENCE.exec(text); open; open = FENCE.exec(text)) {
    const fence = open[2] ?? "```";
    const bodyStart = open.index + open[0].length;
    const close = new RegExp(`^[ \\t]*${fence[0] === "`" ? "`" : "~"}{${fence.length},}[ \\t]*$`, "m");
    const rest = text.slice(bodyStart);
    const end = close.exec(rest);
    // A reply cut off by the token limit leaves its last block unclosed: keep what there is.
    const code = end ? rest.slice(0, end.index) : rest;
    blocks.push({ language: (open[3] ?? "").toLowerCase(), code: code.replace(/\n$/, "") });
    FENCE.lastIndex = end ? bodyStart + end.index + end[0].length : text.length;
  }
  return blocks;
}

/**
 * The code in a model's reply: the first fenced block in one of `languages` (default TypeScript
 * or JavaScript), else the first unlabelled block, else the first block, else the whole reply.
 *
 * @example
 * extractCodeBlock("Here you go:\n```ts\nconst x = 1;\n```\n"); // "const x = 1;"
 */
export function extractCodeBlock(
  text: string,
  languages: readonly string[] = ["ts", "typescript", "tsx", "mts", "js", "javascript"],
): string {
  const blocks = fencedBlocks(text);
  const chosen =
    blocks.find((b) => languages.includes(b.language)) ?? blocks.find((b) => b.language === "") ?? blocks[0];
  return chosen ? chosen.code : text.trim();
}
