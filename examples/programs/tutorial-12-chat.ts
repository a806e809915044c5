// Chat: role blocks {{#system}}, {{#user}}, {{#assistant}} become chat messages; gen inside an
// assistant block writes that turn. The mock plays a chat-only model such as gpt-4o.
// Run: npx tsx examples/programs/tutorial-12-chat.ts
import { fileURLToPath } from "node:url";
import { runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main() {
  const model = createMockLanguageModel({
    capabilities: { rawCompletion: false },
    reply: "The meaning of life is a question people answer for themselves.",
  });
  const result = await runProgram(
    `{{#system~}}
You are a helpful assistant.
{{~/system}}
{{#user~}}
{{conversation_question}}
{{~/user}}
{{#assistant~}}
{{gen 'response'}}
{{~/assistant}}`,
    { model, variables: { conversation_question: "What is the meaning of life?" } },
  );
  console.log(result.transcript);
  return { sent: model.calls[0]?.messages, transcript: result.transcript, messages: result.messages };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
