// Tree-of-thought search (Yao et al. 2023, BFS) on the Game of 24: combine 4 9 10 13 with + - * /
// to reach 24. The mock model proposes every arithmetic step on the numbers left and rates a state
// "sure" (24 reached), "likely" (24 still reachable) or "impossible", so it runs offline.
// Run: npx tsx examples/techniques/tree-of-thought.ts
import { fileURLToPath } from "node:url";
import type { CallOptions } from "weft";
import { treeOfThought } from "weft";
import { createMockLanguageModel } from "weft/testing";

const near = (a: number, b: number) => Math.abs(a - b) < 1e-9;
const show = (n: number) => String(Math.round(n * 1000) / 1000);

function steps(numbers: number[]): Array<{ text: string; left: number[] }> {
  const out: Array<{ text: string; left: number[] }> = [];
  for (let i = 0; i < numbers.length; i++) {
    for (let j = 0; j < numbers.length; j++) {
      const [a, b] = [numbers[i] as number, numbers[j] as number];
      if (i === j) continue;
      const rest = numbers.filter((_, x) => x !== i && x !== j);
      const ops: Array<[string, number]> = [
        ["+", a + b],
        ["*", a * b],
      ];
      if (a >= b) ops.push(["-", a - b]);
      if (b !== 0 && a >= b) ops.push(["/", a / b]);
      for (const [op, value] of ops) {
        if ((op === "+" || op === "*") && i > j) continue; // commutative: one order is enough
        const left = [...rest, value].sort((x, y) => x - y);
        out.push({ text: `${show(a)} ${op} ${show(b)} = ${show(value)} (left: ${left.map(show).join(" ")})`, left });
      }
    }
  }
  return out;
}

function reaches24(numbers: number[]): boolean {
  if (numbers.length === 1) return near(numbers[0] as number, 24);
  return steps(numbers).some((s) => reaches24(s.left));
}

function numbersIn(prompt: string): number[] {
  const last = [...prompt.matchAll(/\(left: ([^)]*)\)/g)].at(-1)?.[1] ?? prompt.match(/Numbers: ([\d ]+)/)?.[1] ?? "";
  return last.trim().split(/\s+/).map(Number);
}

function reply(call: CallOptions): string {
  const prompt = String(call.messages.at(-1)?.content);
  const numbers = numbersIn(prompt);
  if (prompt.startsWith("Evaluate whether")) {
    if (numbers.length === 1) return near(numbers[0] as number, 24) ? "sure" : "impossible";
    return reaches24(numbers) ? "likely" : "impossible";
  }
  // Proposals that can still reach 24 first, as a good model would list them.
  const all = steps(numbers);
  return [...all.filter((s) => reaches24(s.left)), ...all.filter((s) => !reaches24(s.left))]
    .map((s) => s.text)
    .join("\n");
}

export async function main() {
  const model = createMockLanguageModel({ capabilities: { multipleChoices: false }, reply });
  const result = await treeOfThought({
    model,
    problem: "Numbers: 4 9 10 13\nUse each number once with + - * / to reach 24. Each step combines two numbers.",
    generate: "propose",
    evaluate: "value",
    breadth: 3,
    depth: 3,
    candidatesPerState: 4,
    evaluationSamples: 1,
  });
  for (const step of result.steps) {
    console.log(
      `step ${step.step}: expanded ${step.expanded.join(",")} kept ${step.kept.join(",")} pruned ${step.pruned.length}`,
    );
  }
  console.log(result.bestPath.map((n) => n.thought).join("\n"), `\nscore ${result.best.score}, ${result.calls} calls`);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
