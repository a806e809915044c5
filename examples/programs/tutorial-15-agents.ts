// Agents with geneach and await: each turn the program waits for the user's text, answers, and
// loops. Calling it again with the state and the next text continues the conversation.
// Run: npx tsx examples/programs/tutorial-15-agents.ts
import { fileURLToPath } from "node:url";
import { compileProgram, type ProgramResult, runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

const prompt = compileProgram(`{{#system~}}
You are a helpful assistant
{{~/system}}
{{~#geneach 'conversation' stop=False}}
{{#user~}}
{{set 'this.user_text' (await 'user_text')}}
{{~/user}}
{{#assistant~}}
{{gen 'this.ai_text' temperature=0 max_tokens=300}}
{{~/assistant}}
{{~/geneach}}`);

export async function main() {
  const model = createMockLanguageModel({
    capabilities: { rawCompletion: false },
    reply: ["Hello! How can I help you today?", "That is a difficult question. What do you think it is?"],
  });
  let result: ProgramResult = await runProgram(prompt, { model, variables: { user_text: "hi there" } });
  console.log(result.variables.conversation); // [{ user_text: 'hi there', ai_text: 'Hello! ...' }, {}]
  result = await runProgram(prompt, {
    model,
    state: result.state,
    variables: { user_text: "What is the meaning of life?" },
  });
  console.log(result.transcript);
  return { conversation: result.variables.conversation, awaiting: result.awaiting, modelCalls: model.calls.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
