// Live streaming: streamProgram yields the program text as it is produced, generated text
// included, token by token. (runProgram's onText callback does the same.)
// Run: npx tsx examples/programs/tutorial-19-streaming.ts
import { fileURLToPath } from "node:url";
import { streamProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main() {
  const model = createMockLanguageModel({
    reply: [", a model fails,\nbut in an abundance of instructions there is safety.", "11", "14"],
    chunkSize: 6,
  });
  const { textStream, result } = streamProgram(
    `Tweak this proverb to apply to model instructions instead.

{{proverb}}
- {{book}} {{chapter}}:{{verse}}

UPDATED
Where there is no guidance{{gen 'rewrite' stop="\\n-"}}
- GPT {{gen 'chapter' stop=":"}}:{{gen 'verse'}}`,
    {
      model,
      variables: {
        proverb: "Where there is no guidance, a people falls,\nbut in an abundance of counselors there is safety.",
        book: "Proverbs",
        chapter: 11,
        verse: 14,
      },
    },
  );
  const deltas: string[] = [];
  for await (const delta of textStream) {
    deltas.push(delta);
    if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(delta);
  }
  const { variables, transcript } = await result;
  return { deltas, transcript, rewrite: variables.rewrite };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
