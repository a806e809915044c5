// Using tools: the model writes <search>query</search>; a helper checks for it, another one runs
// the (fake) search, and the results go back into the conversation for the final answer.
// Helpers work inside sub-expressions: {{#if (is_search query)}}, {{#each (search query)}}.
// Run: npx tsx examples/programs/tutorial-16-tools.ts
import { fileURLToPath } from "node:url";
import { compileProgram, runProgram } from "weft";
import { createMockLanguageModel } from "weft/testing";

const isSearch = (completion: string) => completion.includes("<search>");
const search = async (query: string) => [
  {
    title: "Meta Platforms stock quote",
    snippet: `Results for ${query.replace("<search>", "")}: $197.81 +2.20 (+1.12%)`,
  },
  { title: "Facebook Help Center", snippet: "How do I cancel a subscription?" },
];

const searchDemo = compileProgram(`Search results:
{{~#each results}}
<result>
{{this.title}}
{{this.snippet}}
</result>{{/each}}`);

const program = `{{#system~}}
You are a helpful assistant.
{{~/system}}
{{#user~}}
From now on, whenever your response depends on any factual information, please search the web by using the function <search>query</search> before responding. I will then paste web results in, and you can respond.
{{~/user}}
{{#assistant~}}
Ok, I will do that. Let's do a practice round
{{~/assistant}}
{{#each practice}}
{{#role this.role~}}
{{this.content}}
{{~/role}}
{{/each}}
{{#user~}}
That was great, now let's do another one.
{{~/user}}
{{#assistant~}}
Sounds good
{{~/assistant}}
{{#user~}}
{{user_query}}
{{~/user}}
{{#assistant~}}
{{gen "query" stop="</search>"}}{{#if (is_search query)}}</search>{{/if}}
{{~/assistant}}
{{#if (is_search query)~}}
{{#user~}}
Search results: {{#each (search query)}}
<result>
{{this.title}}
{{this.snippet}}
</result>{{/each}}
{{~/user}}
{{#assistant~}}
{{gen "answer"}}
{{~/assistant}}
{{/if}}`;

export async function main() {
  const practiceResults = await runProgram(searchDemo, {
    variables: { results: [{ title: "OpenAI - Wikipedia", snippet: "OpenAI was founded in San Francisco in 2015." }] },
  });
  const practice = [
    { role: "user", content: "Who are the founders of OpenAI?" },
    { role: "assistant", content: "<search>Who are the founders of OpenAI</search>" },
    { role: "user", content: practiceResults.transcript },
    { role: "assistant", content: "The founders of OpenAI are Sam Altman, Elon Musk, Ilya Sutskever and others." },
  ];
  const model = createMockLanguageModel({
    capabilities: { rawCompletion: false },
    reply: ["<search>Facebook's stock price right now", "Facebook's stock price right now is $197.81."],
  });
  const result = await runProgram(program, {
    model,
    variables: { user_query: "What is Facebook's stock price right now?", practice },
    helpers: { is_search: isSearch, search },
  });
  console.log(result.transcript);
  return {
    answer: result.variables.answer,
    lastPrompt: model.calls[1]?.messages.at(-1),
    turns: result.messages.length,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
