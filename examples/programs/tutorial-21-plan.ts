// Role-based multi-step reasoning: five options (n=5) and their pros and cons are generated in
// hidden blocks; a helper picks the best one; only the plan is shown and seen by the last call.
// Run: npx tsx examples/programs/tutorial-21-plan.ts
import { fileURLToPath } from "node:url";
import { runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

const createPlan = `{{#system~}}
You are a helpful assistant.
{{~/system}}

{{! generate five potential ways to accomplish a goal }}
{{#block hidden=True}}
{{#user~}}
I want to {{goal}}.
{{~! generate potential options ~}}
Can you please generate one option for how to accomplish this?
Please make the option very short, at most one line.
{{~/user}}

{{#assistant~}}
{{gen 'options' n=5 temperature=1.0 max_tokens=500}}
{{~/assistant}}
{{/block}}

{{! generate pros and cons for each option and select the best option }}
{{#block hidden=True}}
{{#user~}}
I want to {{goal}}.

Can you please comment on the pros and cons of each of the following options, and then pick the best option?
---{{#each options}}
Option {{@index}}: {{this}}{{/each}}
---
Please discuss each option very briefly (one line for pros, one for cons), and end by saying Best=X, where X is the best option.
{{~/user}}

{{#assistant~}}
{{gen 'prosandcons' temperature=0.0 max_tokens=500}}
{{~/assistant}}
{{/block}}

{{! generate a plan to accomplish the chosen option }}
{{#user~}}
I want to {{goal}}.
{{! Create a plan (a comment on its own line vanishes with its line) }}
Here is my plan:
{{parse_best prosandcons options}}
Please elaborate on this plan, and tell me how to best accomplish it.
{{~/user}}

{{#assistant~}}
{{gen 'plan' max_tokens=500}}
{{~/assistant}}`;

const parseBest = (prosandcons: string, options: string[]) => {
  const best = Number(/Best=(\d+)/.exec(prosandcons)?.[1] ?? 0);
  return options[best];
};

export async function main() {
  const options = [
    "Read for 20 minutes every day before bedtime.",
    "Join a book club.",
    "Set a daily goal of one chapter.",
    "Carry a book everywhere.",
    "Swap screen time for reading time.",
  ];
  const model = createMockLanguageModel({
    capabilities: { rawCompletion: false },
    reply: [
      { choices: options.map((text) => ({ text, toolCalls: [], finishReason: "stop" as const })) },
      "Option 0: pros... cons...\nOption 1: pros... cons...\nBest=1",
      "Find a club near you, pick a meeting day, and read the book before each meeting.",
    ],
  });
  const result = await runProgram(createPlan, { model, variables: { goal: "read more books", parse_best: parseBest } });
  console.log(result.transcript);
  return { options: result.variables.options, planPrompt: model.calls[2]?.messages, transcript: result.transcript };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
