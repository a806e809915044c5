// select on a hosted chat model: one short call with top logprobs decides when the first tokens tell the
// options apart; otherwise a JSON-schema call whose enum is the options. A loopback fake server stands in
// for OpenAI so the example runs offline; point baseURL at the real API and the code is unchanged.
// Run: npx tsx examples/programs/select-openai.ts
import { fileURLToPath } from "node:url";
import { createOpenAI, type SelectResult, selectOption } from "weft";
import { startFakeOpenAIServer } from "weft/testing";

export async function main(): Promise<{ decided: SelectResult; fallback: SelectResult }> {
  const server = await startFakeOpenAIServer();
  try {
    const model = createOpenAI({ apiKey: "sk-example", baseURL: server.url }).languageModel("gpt-4o-mini");
    const messages = [{ role: "user" as const, content: "Is the sky blue on a clear day?" }];
    const options = [" Yes", " No"];

    // The reply's first token is "Yes": the logprobs decide.
    server.enqueue({ text: "Yes", logprobs: [-0.02] });
    const decided = await selectOption({ model, messages, options });
    console.log(decided.method, decided.option, decided.logprobs); // logprobs " Yes" [ -0.02, null ]

    // The reply starts with something else: weft asks again with a JSON schema enum.
    server.enqueue({ text: "It depends." }, { text: '{"option":" Yes"}' });
    const fallback = await selectOption({ model, messages, options });
    console.log(fallback.method, fallback.option, `${fallback.calls} calls`); // json-schema-enum " Yes" 2 calls
    return { decided, fallback };
  } finally {
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
