import type { StepFeedback } from "../types.js";
import type { FunctionSource } from "./extract-function.js";

export const EXPLAIN_SYSTEM =
  "You are a world-class TypeScript developer with an eagle eye for unintended bugs and edge cases. You carefully explain code with great detail and accuracy. You organize your explanations in markdown-formatted, bulleted lists.";

/** Step 1: explain the function (with the declarations it uses from its file). */
export function explainPrompt(fn: FunctionSource): string {
  const context = fn.context
    ? `\n\nIt uses these declarations from the same file:\n\n\`\`\`ts\n${fn.context}\n\`\`\``
    : "";
  return `Please explain the following TypeScript function. Review what each element of the function is doing precisely and what the author's intentions may have been. Organize your explanation as a markdown-formatted, bulleted list.

\`\`\`ts
${fn.source}
\`\`\`${context}`;
}

/** Step 2: list scenarios with examples as sub-bullets. */
export const PLAN_PROMPT = `A good unit test suite should aim to:
- Test the function's behavior for a wide range of possible inputs
- Test edge cases that the author may not have foreseen
- Take advantage of the features of vitest to make the tests easy to write and maintain
- Be easy to read and understand, with clean code and descriptive names
- Be deterministic, so that the tests always pass or fail in the same way

To help unit test the function above, list diverse scenarios that the function should be able to handle (and under each scenario, include a few examples as sub-bullets).`;

/** Step 3, when the plan is short: more edge cases. */
export const ELABORATE_PROMPT =
  "In addition to those scenarios above, list a few rare or unexpected edge cases (and as before, under each edge case, include a few examples as sub-bullets).";

/** The import line the tests must use, for the module specifier the test file will sit next to. */
export function importLine(fn: FunctionSource, specifier: string): string {
  return fn.exported === "default"
    ? `import ${fn.importName} from "${specifier}";`
    : `import { ${fn.importName} } from "${specifier}";`;
}

/** Step 4: the test file, importing the function rather than copying it. */
export function writePrompt(fn: FunctionSource, specifier: string): string {
  return `Using TypeScript and vitest, write a suite of unit tests for the function, following the cases above. Include helpful comments to explain each line. Import the function from its module as shown; do not copy it into the test file. Reply only with code, formatted as follows:

\`\`\`ts
// imports
import { describe, expect, it } from "vitest"; // used for our unit tests
${importLine(fn, specifier)}
{insert other imports as needed}

// unit tests
{insert unit test code here}
\`\`\``;
}

/** What the write step is told when its test file fails a check. */
export function writeFeedback(feedback: StepFeedback<unknown>): string {
  const issues = feedback.issues.map((i) => `- ${i.path ? `${i.path}: ` : ""}${i.message}`).join("\n");
  if (feedback.check === "vitest") {
    return `Running the test file with vitest failed:

${issues}

Fix the test file. Where an expectation is wrong, correct it. Where a failure reveals a real bug in the function, keep the test but mark it with \`it.fails\` and a comment naming the bug. Reply only with the complete test file in one \`\`\`ts code block.`;
  }
  return `The test file is not valid TypeScript:

${issues}

Reply only with the complete corrected test file in one \`\`\`ts code block.`;
}
