// Write a system prompt a contractor could work from, check what a prompt lacks, and ask a model
// for a critique (a scripted mock model here, so it runs offline).
// Run: npx tsx examples/techniques/task-prompt.ts
import { fileURLToPath } from "node:url";
import { buildTaskPrompt, checkPrompt, critiquePrompt } from "weft";
import { createMockLanguageModel } from "weft/testing";

export async function main() {
  const system = buildTaskPrompt({
    role: "an experienced site-reliability engineer who writes for customers",
    goal: "Write the public incident summary for the outage described in the context.",
    audience: "Customers of our hosting service, most without a technical background.",
    context: "On 3 May the EU database cluster was unreachable from 14:02 to 14:41 UTC after a configuration push.",
    constraints: ["Do not name employees.", "Do not speculate beyond the context."],
    outputFormat: "Three short paragraphs: what happened, who was affected, what we changed.",
    length: "At most 150 words.",
    examples: [
      {
        input: "US mail relay down 20 minutes on 2 April",
        output: "On 2 April from 09:10 to 09:30 UTC, email sent through our US relay was delayed...",
      },
    ],
    successCriteria: ["A customer can tell within ten seconds whether they must act."],
  });
  console.log(system);

  const vague = checkPrompt("Write up the outage like last time.");
  for (const issue of vague.issues) console.log(`${issue.code}: ${issue.question}`);

  const model = createMockLanguageModel({
    reply: JSON.stringify({
      problems: [
        { problem: "'like last time' points at a document the reader never saw.", fix: "Paste it or describe it." },
      ],
      questions: ["Who reads the write-up?", "How long should it be?"],
      rewrite: "You are [role]. Write a summary of the [date] outage for [audience] in [length].",
    }),
  });
  const critique = await critiquePrompt({ model, prompt: "Write up the outage like last time." });
  console.log(critique.questions, critique.rewrite);
  return { system, codes: vague.issues.map((i) => i.code), specOk: checkPrompt(system).ok, critique };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
