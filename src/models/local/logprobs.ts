import type { LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import type { TokenLogprob } from "../../spec/language-model.js";

/** Enough preceding tokens for the detokenizer to get a token's leading space right. */
const DETOKENIZE_CONTEXT = 8;

/**
 * Log probabilities of `continuation` after `prefix` under the model's raw next-token distribution
 * (softmax of the logits: no temperature, top-k/top-p or grammar applied). Re-evaluates the
 * continuation on the sequence, reusing the cached prefix; the caller must hold the sequence.
 *
 * @example
 * const logprobs = await scoreTokens({ model, sequence, prefix: promptTokens, continuation: generated, top: 3 });
 */
export async function scoreTokens(options: {
  model: LlamaModel;
  sequence: LlamaContextSequence;
  prefix: Token[];
  continuation: Token[];
  /** Alternatives to return per position. */
  top: number;
}): Promise<TokenLogprob[]> {
  const { model, sequence, prefix, continuation, top } = options;
  if (continuation.length === 0 || prefix.length === 0) return [];
  await keepAllButLast(sequence, prefix);
  const inputs = [prefix[prefix.length - 1] as Token, ...continuation.slice(0, -1)];
  const outputs = await sequence.controlledEvaluate(
    inputs.map((token) => [token, { generateNext: { probabilities: true } }] as const),
  );
  const history = prefix.slice(-DETOKENIZE_CONTEXT);
  const result: TokenLogprob[] = [];
  continuation.forEach((token, index) => {
    const probabilities = outputs[index]?.next.probabilities ?? new Map<Token, number>();
    const context = history.slice(-DETOKENIZE_CONTEXT);
    const entry: TokenLogprob = {
      token: model.detokenize([token], false, context),
      logprob: toLogprob(probabilities.get(token)),
    };
    if (top > 0) {
      entry.topLogprobs = [...takeFirst(probabilities, top)].map(([candidate, probability]) => ({
        token: model.detokenize([candidate], false, context),
        logprob: toLogprob(probability),
      }));
    }
    result.push(entry);
    history.push(token);
  });
  return result;
}

/**
 * The model's raw next-token distribution after `prefix` (most probable first), reusing the
 * cached part of the prefix; the caller must hold the sequence.
 *
 * @example
 * const next = await nextTokenProbabilities({ sequence, prefix: promptTokens });
 */
export async function nextTokenProbabilities(options: {
  sequence: LlamaContextSequence;
  prefix: Token[];
}): Promise<Map<Token, number>> {
  const { sequence, prefix } = options;
  if (prefix.length === 0) return new Map();
  await keepAllButLast(sequence, prefix);
  const [output] = await sequence.controlledEvaluate([
    [prefix[prefix.length - 1] as Token, { generateNext: { probabilities: true } }],
  ]);
  return output?.next.probabilities ?? new Map<Token, number>();
}

/** Leaves the sequence holding every prefix token but the last, evaluating only what is not cached. */
async function keepAllButLast(sequence: LlamaContextSequence, prefix: Token[]): Promise<void> {
  const keep = prefix.slice(0, -1);
  await sequence.adaptStateToTokens(keep, false);
  if (sequence.nextTokenIndex !== keep.length) {
    await sequence.clearHistory();
    if (keep.length > 0) await sequence.evaluateWithoutGeneratingNewTokens(keep);
  }
}

function* takeFirst<K, V>(map: Map<K, V>, count: number): Generator<[K, V]> {
  let taken = 0;
  for (const entry of map) {
    if (taken++ >= count) return;
    yield entry;
  }
}

/** Natural log, floored so that a zero probability stays a finite, JSON-safe number. */
function toLogprob(probability: number | undefined): number {
  return Math.log(Math.max(probability ?? 0, Number.MIN_VALUE));
}
