// Search-Ask with a model: the best passages go to the model as numbered sources, the answer cites
// them as [n], and weft checks the citations and maps each to its file and lines. A loopback fake
// OpenAI server stands in for the model so this runs offline; use createOpenAI() (or any provider)
// for real answers.
// Run: npx tsx examples/memory/ask-with-citations.ts
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ask, createOpenAI, indexPaths, openStore } from "weft";
import { type FakeRequest, startFakeOpenAIServer } from "weft/testing";

const examples = fileURLToPath(new URL("..", import.meta.url));

/** The fake model "reads" the sources and cites the one that mentions the mirror size. */
function fakeAnswer(request: FakeRequest) {
  const user = String(request.body.messages.at(-1).content);
  const block = user.split("</source>").find((b: string) => b.includes("600 mm"));
  const n = block ? /<source id="(\d+)"/.exec(block)?.[1] : undefined;
  return { text: n ? `Wren's main mirror is 600 mm across [${n}].` : "I could not find an answer." };
}

export async function main(): Promise<{ answer: string; cited: string[]; flagged: boolean; sawSources: boolean }> {
  const server = await startFakeOpenAIServer({ reply: fakeAnswer });
  const store = await openStore({ path: join(mkdtempSync(join(tmpdir(), "weft-example-")), "weft.db") });
  try {
    await indexPaths({ store, paths: ["corpus"], cwd: examples });
    const model = createOpenAI({ apiKey: "sk-example", baseURL: server.url }).languageModel("gpt-4o-mini");
    const result = await ask({
      store,
      question: "How large is the main telescope's mirror?",
      model,
      k: 5,
      onText: (delta) => process.stdout.write(delta),
    });
    process.stdout.write("\n");
    for (const c of result.citations) console.log(`[${c.n}] ${c.location}`);
    if (result.flagged) console.log(result.warnings.join("\n"));
    // The troubleshooting view: exactly what the model saw.
    const sawSources = String(result.messages[1]?.content).startsWith('Sources:\n\n<source id="1"');
    return { answer: result.answer, cited: result.citations.map((c) => c.source), flagged: result.flagged, sawSources };
  } finally {
    await store.close();
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
