// Multistep chat: the first answer becomes part of the conversation for the second.
// Run: npx tsx examples/programs/tutorial-13-chat-experts.ts
import { fileURLToPath } from "node:url";
import { runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

const experts = `{{#system~}}
You are a helpful assistant.
{{~/system}}
{{#user~}}
I want a response to the following question:
{{query}}
Who are 3 world-class experts (past or present) who would be great at answering this?
Please don't answer the question or comment on it yet.
{{~/user}}
{{#assistant~}}
{{gen 'experts' temperature=0 max_tokens=300}}
{{~/assistant}}
{{#user~}}
Great, now please answer the question as if these experts had collaborated in writing a joint anonymous answer.
In other words, their identity is not revealed, nor is the fact that there is a panel of experts answering the question.
If the experts would disagree, just present their different positions as alternatives in the answer itself (e.g., 'some might argue... others might argue...').
Please start your answer with ANSWER:
{{~/user}}
{{#assistant~}}
{{gen 'answer' temperature=0 max_tokens=500}}
{{~/assistant}}`;

export async function main() {
  const model = createMockLanguageModel({
    capabilities: { rawCompletion: false },
    reply: ["1. Viktor Frankl\n2. Aristotle\n3. Simone de Beauvoir", "ANSWER: Some might argue meaning is found..."],
  });
  const result = await runProgram(experts, { model, variables: { query: "What is the meaning of life?" } });
  console.log(result.transcript);
  return { variables: result.variables, secondCallRoles: model.calls[1]?.messages.map((m) => m.role) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
