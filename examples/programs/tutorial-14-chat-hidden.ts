// Hidden chat turns: the joke is generated in a hidden block, so the second question shows the
// joke only through the {{joke}} variable, not as an earlier exchange.
// Run: npx tsx examples/programs/tutorial-14-chat-hidden.ts
import { fileURLToPath } from "node:url";
import { runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main() {
  const model = createMockLanguageModel({
    capabilities: { rawCompletion: false },
    reply: ["Why did the chicken cross the playground?\nTo get to the other slide!", "That is a funny joke!"],
  });
  const result = await runProgram(
    `{{#system~}}
You are a helpful assistant.
{{~/system}}
{{#block hidden=True~}}
{{#user~}}
Please tell me a joke
{{~/user}}
{{#assistant~}}
{{gen 'joke'}}
{{~/assistant}}
{{~/block~}}
{{#user~}}
Is the following joke funny? Why or why not?
{{joke}}
{{~/user}}
{{#assistant~}}
{{gen 'funny'}}
{{~/assistant}}`,
    { model },
  );
  console.log(result.transcript);
  return { secondCall: model.calls[1]?.messages, transcript: result.transcript };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
