// Two agents talking to each other: one program, two states. Each call gives one agent the other's
// last reply through {{await 'input'}} and gets its answer back.
// Run: npx tsx examples/programs/tutorial-22-role-simulator.ts
import { fileURLToPath } from "node:url";
import { compileProgram, type ProgramResult, runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

const roleSimulator = compileProgram(`
{{#system~}}
You are a helpful assistant
{{~/system}}

{{#user~}}
You will answer the user as {{role}} in the following conversation. At every step, I will provide you with the user input, as well as a comment reminding you of your instructions. Never talk about the fact that you are an AI, even if the user asks you. Always answer as {{role}}.
{{#if first_question}}You can also start the conversation.{{/if}}
{{~/user}}

{{~! The assistant either starts the conversation or not, depending on if this is the first or second agent }}
{{#assistant~}}
Ok, I will follow these instructions.
{{#if first_question}}Let me start the conversation now:
{{role}}: {{first_question}}{{/if}}
{{~/assistant}}

{{~! Then the conversation unrolls }}
{{~#geneach 'conversation' stop=False}}
{{#user~}}
User: {{set 'this.input' (await 'input')}}
Comment: Remember, answer as a {{role}}. Start your utterance with {{role}}:
{{~/user}}

{{#assistant~}}
{{gen 'this.response' temperature=0 max_tokens=300}}
{{~/assistant}}
{{~/geneach}}`);

/** A stand-in chat model that answers in character, numbering its turns. */
function persona(name: string) {
  let turn = 0;
  return createMockLanguageModel({
    capabilities: { rawCompletion: false },
    reply: () => `${name}: point number ${++turn}.`,
  });
}

const lastResponse = (r: ProgramResult) => {
  const conversation = r.variables.conversation as Array<{ response?: string }>;
  return conversation.at(-2)?.response ?? "";
};

export async function main() {
  const firstQuestion = "What do you think is the best way to stop inflation?";
  const republicanModel = persona("Republican");
  const democratModel = persona("Democrat");
  let republican = await runProgram(roleSimulator, {
    model: republicanModel,
    variables: { role: "Republican", first_question: null, input: firstQuestion },
  });
  let democrat = await runProgram(roleSimulator, {
    model: democratModel,
    variables: {
      role: "Democrat",
      first_question: firstQuestion,
      input: lastResponse(republican).replace("Republican: ", ""),
    },
  });
  for (let i = 0; i < 2; i++) {
    republican = await runProgram(roleSimulator, {
      model: republicanModel,
      state: republican.state,
      variables: { input: lastResponse(democrat).replace("Democrat: ", "") },
    });
    democrat = await runProgram(roleSimulator, {
      model: democratModel,
      state: democrat.state,
      variables: { input: lastResponse(republican).replace("Republican: ", "") },
    });
  }
  const dialogue = [`Democrat: ${firstQuestion}`];
  for (const x of (democrat.variables.conversation as Array<{ input: string; response: string }>).slice(0, -1)) {
    dialogue.push(`Republican: ${x.input}`, x.response);
  }
  console.log(dialogue.join("\n"));
  return { dialogue, republicanCalls: republicanModel.calls.length, democratCalls: democratModel.calls.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
