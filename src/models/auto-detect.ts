import { NoModelConfiguredError } from "../spec/errors.js";
import type { WeftConfig } from "./config.js";
import data from "./model-facts.json" with { type: "json" };

/** A model weft can use, and why it thinks so. */
export interface ModelCandidate {
  /** `provider:name`. */
  id: string;
  /** Where it came from: `--model`, `weft.config.json`, `OPENAI_API_KEY`, `ollama on http://...`, a file path. */
  source: string;
}

export interface DetectOptions {
  config?: WeftConfig;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Probe OpenAI-compatible servers on localhost (default true). */
  probeServers?: boolean;
  /** Per-server probe timeout (default 400 ms). */
  probeTimeoutMs?: number;
  fetch?: typeof fetch;
  /** Stop at the first step that finds something (default true); false lists everything. */
  firstOnly?: boolean;
}

export interface DetectResult {
  candidates: ModelCandidate[];
  /** What was checked, in order, for the "no model configured" message. */
  tried: string[];
}

const defaults = data.defaultModels;

function fromEnv(env: NodeJS.ProcessEnv): ModelCandidate[] {
  const found: ModelCandidate[] = [];
  if (env.OPENAI_API_KEY)
    found.push({ id: `openai:${env.WEFT_OPENAI_MODEL ?? defaults.openai}`, source: "OPENAI_API_KEY" });
  if (env.AZURE_OPENAI_API_KEY && env.AZURE_OPENAI_ENDPOINT && env.AZURE_OPENAI_DEPLOYMENT) {
    found.push({
      id: `azure:${env.AZURE_OPENAI_DEPLOYMENT}`,
      source: "AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT + AZURE_OPENAI_DEPLOYMENT",
    });
  }
  if (env.ANTHROPIC_API_KEY) {
    found.push({ id: `anthropic:${env.WEFT_ANTHROPIC_MODEL ?? defaults.anthropic}`, source: "ANTHROPIC_API_KEY" });
  }
  return found;
}

async function fromServers(options: DetectOptions, env: NodeJS.ProcessEnv): Promise<ModelCandidate[]> {
  const { LOCAL_SERVER_NAMES, listServerModels, localServerBaseURL } = await import("./openai/index.js");
  const probes = LOCAL_SERVER_NAMES.map(async (name) => {
    const baseURL = localServerBaseURL(name, env);
    try {
      const models = await listServerModels({
        baseURL,
        timeoutMs: options.probeTimeoutMs ?? 400,
        fetch: options.fetch,
      });
      return models.map((m) => ({ id: `${name}:${m}`, source: `${name} on ${baseURL}` }));
    } catch {
      return []; // Nothing listening there: that is the common case, not an error.
    }
  });
  return (await Promise.all(probes)).flat();
}

async function fromModelsDir(
  options: DetectOptions,
  env: NodeJS.ProcessEnv,
): Promise<{ found: ModelCandidate[]; dir: string }> {
  const { defaultModelsDir, findLocalModels } = await import("./local/index.js");
  const dir = options.config?.providers?.local?.modelsDir ?? defaultModelsDir(env);
  const files = await findLocalModels(dir).catch(() => [] as string[]);
  return { dir, found: files.map((f) => ({ id: `local:${f}`, source: `models folder ${dir}` })) };
}

/**
 * Finds usable models in weft's resolution order: config file → API keys in the environment →
 * OpenAI-compatible servers on localhost → .gguf files in the models folder.
 *
 * @example
 * const { candidates } = await detectModels({ env: process.env });
 */
export async function detectModels(options: DetectOptions = {}): Promise<DetectResult> {
  const env = options.env ?? process.env;
  const firstOnly = options.firstOnly ?? true;
  const candidates: ModelCandidate[] = [];
  const tried: string[] = [];
  const done = () => firstOnly && candidates.length > 0;

  tried.push("weft.config.json model");
  if (options.config?.model) candidates.push({ id: options.config.model, source: "weft.config.json" });
  if (done()) return { candidates, tried };

  tried.push("OPENAI_API_KEY, AZURE_OPENAI_*, ANTHROPIC_API_KEY");
  candidates.push(...fromEnv(env));
  if (done()) return { candidates, tried };

  if (options.probeServers ?? true) {
    tried.push("Ollama, llama.cpp, LM Studio and vLLM on localhost");
    candidates.push(...(await fromServers(options, env)));
    if (done()) return { candidates, tried };
  }

  const local = await fromModelsDir(options, env);
  tried.push(`.gguf files in ${local.dir}`);
  candidates.push(...local.found);
  return { candidates, tried };
}

/**
 * The model to use: the explicit id when given, else the first detected one.
 * Throws NoModelConfiguredError listing what was tried and every way to fix it.
 */
export async function resolveModelId(options: DetectOptions & { explicit?: string }): Promise<ModelCandidate> {
  if (options.explicit) return { id: options.explicit, source: "--model" };
  const { candidates, tried } = await detectModels({ ...options, firstOnly: true });
  const first = candidates[0];
  if (!first) throw new NoModelConfiguredError({ tried });
  return first;
}
