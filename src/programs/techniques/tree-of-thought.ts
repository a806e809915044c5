import { modelIdOf } from "../../generate/call-settings.js";
import { generateText } from "../../generate/generate-text.js";
import { toMessages } from "../../generate/prompt.js";
import { InvalidArgumentError } from "../../spec/errors.js";
import type { LanguageModel } from "../../spec/language-model.js";
import { type AnswerFormat, extractAnswer } from "./answer-formats.js";
import { createLimiter, type Limiter } from "./concurrency.js";
import { sampleTexts, type TechniqueSettings } from "./sample.js";
import { defaultTreeOfThoughtPrompts, type TreeOfThoughtPrompts } from "./tree-of-thought-prompts.js";
import { createUsageTotals, type TechniqueUsage, type UsageTotals } from "./usage.js";

export interface TreeOfThoughtOptions extends TechniqueSettings {
  model: LanguageModel;
  problem: string;
  /** System prompt sent with every call. */
  system?: string;
  /** States kept after each step (b, default 5). */
  breadth?: number;
  /** Steps of thought (T, default 3). */
  depth?: number;
  /** Thoughts generated per state (k, default 3). */
  candidatesPerState?: number;
  /** `sample`: k independent samples of one next thought; `propose`: one reply listing k thoughts (default `sample`). */
  generate?: "sample" | "propose";
  /** `value`: each state rated on its own; `vote`: the model picks the best of a step's candidates (default `value`). */
  evaluate?: "value" | "vote";
  /** Evaluation samples per state (value) or per step (vote), default 3. */
  evaluationSamples?: number;
  /** Value labels and their scores (default `{ sure: 20, likely: 1, impossible: 0.001 }`, as in the paper). */
  valueLabels?: Record<string, number>;
  prompts?: Partial<TreeOfThoughtPrompts>;
  /** Extracts `answer` from the best state's last thought. */
  format?: AnswerFormat;
  /** Calls in flight across the whole search (default 4). */
  maxConcurrency?: number;
}

export interface ThoughtNode {
  /** Creation order: 0 is the root, then each step's candidates by parent rank, then generation order. */
  id: number;
  parentId: number | null;
  /** 0 for the root; the step that produced the thought otherwise. */
  depth: number;
  /** This node's thought ("" for the root). */
  thought: string;
  /** Thoughts from the root to this node. */
  thoughts: string[];
  /** `duplicate`: same path as an earlier candidate of the step, neither evaluated nor kept. */
  status: "root" | "kept" | "pruned" | "duplicate";
  /** Value: mean label score over the samples; vote: share of the votes. */
  score?: number;
  /** Value mode: the label of each evaluation sample (undefined when a reply had none). */
  labels?: Array<string | undefined>;
  /** Vote mode: votes received. */
  votes?: number;
}

export interface TreeOfThoughtStep {
  step: number;
  /** States expanded, in frontier order (best first). */
  expanded: number[];
  /** New candidates in id order (duplicates excluded). */
  candidates: number[];
  /** Candidates kept for the next step, best first. */
  kept: number[];
  pruned: number[];
  duplicates: number[];
}

export interface TreeOfThoughtResult extends TechniqueUsage {
  /** The best state after the last step (the root when no thought was produced). */
  best: ThoughtNode;
  /** Nodes from the first thought to `best`. */
  bestPath: ThoughtNode[];
  /** The answer extracted from the best state's last thought, when `format` is given. */
  answer?: string;
  /** Every node, in id order. */
  nodes: ThoughtNode[];
  steps: TreeOfThoughtStep[];
  model: string;
}

const DEFAULT_LABELS = { sure: 20, likely: 1, impossible: 0.001 };

function positiveInteger(argument: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError({ argument, message: `${argument} must be a positive integer, got ${value}.` });
  }
  return value;
}

interface SearchContext {
  options: TreeOfThoughtOptions;
  prompts: TreeOfThoughtPrompts;
  settings: TechniqueSettings;
  limiter: Limiter;
  totals: UsageTotals;
  samples: number;
  labels: Record<string, number>;
}

function ask(ctx: SearchContext, prompt: string, n: number): Promise<string[]> {
  const messages = toMessages({ system: ctx.options.system, prompt });
  return sampleTexts({
    ...ctx.settings,
    model: ctx.options.model,
    messages,
    n,
    limiter: ctx.limiter,
    totals: ctx.totals,
  });
}

async function generateThoughts(ctx: SearchContext, state: ThoughtNode, step: number, k: number): Promise<string[]> {
  const context = {
    problem: ctx.options.problem,
    thoughts: state.thoughts,
    step,
    depth: ctx.options.depth ?? 3,
    count: k,
  };
  if (ctx.options.generate === "propose") {
    const messages = toMessages({ system: ctx.options.system, prompt: ctx.prompts.propose(context) });
    const result = await ctx.limiter(() => generateText({ ...ctx.settings, model: ctx.options.model, messages }));
    ctx.totals.add(result);
    return ctx.prompts.parseProposals(result.text, k);
  }
  return ask(ctx, ctx.prompts.sample(context), k);
}

async function rateState(
  ctx: SearchContext,
  node: ThoughtNode,
): Promise<{ score: number; labels: Array<string | undefined> }> {
  const names = Object.keys(ctx.labels);
  const prompt = ctx.prompts.value({ problem: ctx.options.problem, thoughts: node.thoughts, labels: names });
  const labels = (await ask(ctx, prompt, ctx.samples)).map((text) => ctx.prompts.parseValue(text, names));
  // A reply without a label scores 0: the model could not vouch for the state.
  const score = labels.reduce((sum, l) => sum + (l === undefined ? 0 : (ctx.labels[l] ?? 0)), 0) / labels.length;
  return { score, labels };
}

async function evaluate(ctx: SearchContext, candidates: ThoughtNode[]): Promise<void> {
  if (ctx.options.evaluate === "vote") {
    const prompt = ctx.prompts.vote({ problem: ctx.options.problem, candidates: candidates.map((c) => c.thoughts) });
    const votes = new Array<number>(candidates.length).fill(0);
    for (const text of await ask(ctx, prompt, ctx.samples)) {
      const choice = ctx.prompts.parseVote(text, candidates.length);
      if (choice !== undefined) votes[choice - 1] = (votes[choice - 1] ?? 0) + 1;
    }
    for (const [i, node] of candidates.entries()) {
      node.votes = votes[i] ?? 0;
      node.score = node.votes / ctx.samples;
    }
    return;
  }
  const ratings = await Promise.all(candidates.map((node) => rateState(ctx, node)));
  for (const [i, node] of candidates.entries()) {
    node.score = ratings[i]?.score;
    node.labels = ratings[i]?.labels;
  }
}

/**
 * Tree-of-thought search, breadth-first (Yao et al. 2023): from each kept state the model proposes
 * `candidatesPerState` next thoughts, the model rates the new states (`value`: sure/likely/impossible
 * averaged over samples; `vote`: votes for the most promising), the best `breadth` states are kept,
 * for `depth` steps. Ties in score keep the earlier node (lower id), so the search is deterministic
 * for deterministic replies.
 *
 * @example
 * const { bestPath, answer, nodes } = await treeOfThought({
 *   model,
 *   problem: "Use 4 9 10 13 and + - * / to make 24.",
 *   breadth: 2, depth: 3, candidatesPerState: 3,
 *   evaluate: "value",
 *   format: numberAnswer(),
 * });
 * bestPath.map((n) => n.thought);
 */
export async function treeOfThought(options: TreeOfThoughtOptions): Promise<TreeOfThoughtResult> {
  const {
    model,
    problem,
    system: _system,
    breadth = 5,
    depth = 3,
    candidatesPerState = 3,
    generate: _generate,
    evaluate: _evaluate,
    evaluationSamples = 3,
    valueLabels = DEFAULT_LABELS,
    prompts,
    format,
    maxConcurrency = 4,
    temperature = 0.7,
    ...rest
  } = options;
  positiveInteger("breadth", breadth);
  positiveInteger("depth", depth);
  positiveInteger("candidatesPerState", candidatesPerState);
  positiveInteger("evaluationSamples", evaluationSamples);
  if (!problem.trim()) throw new InvalidArgumentError({ argument: "problem", message: "problem is empty." });
  const ctx: SearchContext = {
    options: { ...options, depth },
    prompts: { ...defaultTreeOfThoughtPrompts, ...prompts },
    settings: { ...rest, temperature },
    limiter: createLimiter(maxConcurrency),
    totals: createUsageTotals(),
    samples: evaluationSamples,
    labels: valueLabels,
  };
  const root: ThoughtNode = { id: 0, parentId: null, depth: 0, thought: "", thoughts: [], status: "root" };
  const nodes: ThoughtNode[] = [root];
  const steps: TreeOfThoughtStep[] = [];
  let frontier = [root];

  for (let step = 1; step <= depth; step++) {
    const generated = await Promise.all(frontier.map((s) => generateThoughts(ctx, s, step, candidatesPerState)));
    const record: TreeOfThoughtStep = {
      step,
      expanded: frontier.map((s) => s.id),
      candidates: [],
      kept: [],
      pruned: [],
      duplicates: [],
    };
    const seen = new Set<string>();
    const candidates: ThoughtNode[] = [];
    for (const [i, parent] of frontier.entries()) {
      for (const text of generated[i] ?? []) {
        const thought = text.trim();
        if (!thought) continue;
        const thoughts = [...parent.thoughts, thought];
        const key = thoughts.join("\n");
        const node: ThoughtNode = {
          id: nodes.length,
          parentId: parent.id,
          depth: step,
          thought,
          thoughts,
          status: seen.has(key) ? "duplicate" : "pruned",
        };
        nodes.push(node);
        if (node.status === "duplicate") record.duplicates.push(node.id);
        else candidates.push(node);
        seen.add(key);
      }
    }
    record.candidates = candidates.map((c) => c.id);
    steps.push(record);
    if (candidates.length === 0) break;
    await evaluate(ctx, candidates);
    const ranked = [...candidates].sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.id - b.id);
    frontier = ranked.slice(0, breadth);
    for (const node of frontier) node.status = "kept";
    record.kept = frontier.map((n) => n.id);
    record.pruned = ranked.slice(breadth).map((n) => n.id);
  }

  const best = frontier[0] ?? root;
  const bestPath: ThoughtNode[] = [];
  for (let node: ThoughtNode | undefined = best; node && node.id !== 0; ) {
    bestPath.unshift(node);
    node = node.parentId === null ? undefined : nodes[node.parentId];
  }
  const answer = format && best.thought ? extractAnswer(best.thought, format)?.answer : undefined;
  return { best, bestPath, answer, nodes, steps, ...ctx.totals.total(), model: modelIdOf(model) };
}
