import { InvalidArgumentError } from "../../spec/errors.js";
import { throwIfAborted } from "./run-leaf.js";
import type { Step } from "./types.js";

/**
 * Composes steps into one: each step's output is the next one's input, and the types follow.
 * A chain is itself a step, so chains nest (the way to compose more than ten steps).
 *
 * @example
 * const pipeline = chain(
 *   modelStep({ name: "draft", model: fast, prompt: (topic: string) => `Write a paragraph on ${topic}.` }),
 *   modelStep({ name: "edit", model: strong, prompt: (draft: string) => `Tighten this:\n\n${draft}` }),
 *   transformStep({ name: "words", run: (text: string) => text.split(/\s+/).length }),
 * );
 * const { output } = await runChain(pipeline, "tides"); // output: number
 */
export function chain<A, B>(s1: Step<A, B>): Step<A, B>;
export function chain<A, B, C>(s1: Step<A, B>, s2: Step<B, C>): Step<A, C>;
export function chain<A, B, C, D>(s1: Step<A, B>, s2: Step<B, C>, s3: Step<C, D>): Step<A, D>;
export function chain<A, B, C, D, E>(s1: Step<A, B>, s2: Step<B, C>, s3: Step<C, D>, s4: Step<D, E>): Step<A, E>;
export function chain<A, B, C, D, E, F>(
  s1: Step<A, B>,
  s2: Step<B, C>,
  s3: Step<C, D>,
  s4: Step<D, E>,
  s5: Step<E, F>,
): Step<A, F>;
export function chain<A, B, C, D, E, F, G>(
  s1: Step<A, B>,
  s2: Step<B, C>,
  s3: Step<C, D>,
  s4: Step<D, E>,
  s5: Step<E, F>,
  s6: Step<F, G>,
): Step<A, G>;
export function chain<A, B, C, D, E, F, G, H>(
  s1: Step<A, B>,
  s2: Step<B, C>,
  s3: Step<C, D>,
  s4: Step<D, E>,
  s5: Step<E, F>,
  s6: Step<F, G>,
  s7: Step<G, H>,
): Step<A, H>;
export function chain<A, B, C, D, E, F, G, H, I>(
  s1: Step<A, B>,
  s2: Step<B, C>,
  s3: Step<C, D>,
  s4: Step<D, E>,
  s5: Step<E, F>,
  s6: Step<F, G>,
  s7: Step<G, H>,
  s8: Step<H, I>,
): Step<A, I>;
export function chain<A, B, C, D, E, F, G, H, I, J>(
  s1: Step<A, B>,
  s2: Step<B, C>,
  s3: Step<C, D>,
  s4: Step<D, E>,
  s5: Step<E, F>,
  s6: Step<F, G>,
  s7: Step<G, H>,
  s8: Step<H, I>,
  s9: Step<I, J>,
): Step<A, J>;
export function chain<A, B, C, D, E, F, G, H, I, J, K>(
  s1: Step<A, B>,
  s2: Step<B, C>,
  s3: Step<C, D>,
  s4: Step<D, E>,
  s5: Step<E, F>,
  s6: Step<F, G>,
  s7: Step<G, H>,
  s8: Step<H, I>,
  s9: Step<I, J>,
  s10: Step<J, K>,
): Step<A, K>;
export function chain(...steps: Array<Step<unknown, unknown>>): Step<unknown, unknown> {
  if (steps.length === 0) {
    throw new InvalidArgumentError({ argument: "steps", message: "chain() needs at least one step." });
  }
  return {
    name: steps.map((s) => s.name).join(" → "),
    kind: "chain",
    async run(input, run) {
      let value = input;
      for (const step of steps) {
        throwIfAborted(run.abortSignal);
        value = await step.run(value, run);
      }
      return value;
    },
  };
}
