import { InvalidArgumentError } from "../../spec/errors.js";
import type { Env } from "./connection.js";

export type LocalServerName = "ollama" | "llamacpp" | "lmstudio" | "vllm";

/** The names of {@link LOCAL_OPENAI_COMPATIBLE_SERVERS}, in probing order. */
export const LOCAL_SERVER_NAMES: readonly LocalServerName[] = ["ollama", "llamacpp", "lmstudio", "vllm"];

/**
 * Whether a provider name is one of the well-known local servers.
 *
 * @example
 * isLocalServerName("ollama"); // true
 */
export function isLocalServerName(name: string): name is LocalServerName {
  return (LOCAL_SERVER_NAMES as readonly string[]).includes(name);
}

export interface LocalServerInfo {
  name: LocalServerName;
  /** Human name, e.g. "Ollama". */
  label: string;
  defaultBaseURL: string;
  /** Environment variable that overrides `defaultBaseURL`. */
  baseURLEnv: string;
  /** What to do when the server cannot be reached. */
  hint: string;
}

/** OpenAI-compatible servers commonly running on localhost, with their default addresses. */
export const LOCAL_OPENAI_COMPATIBLE_SERVERS: Readonly<Record<LocalServerName, LocalServerInfo>> = {
  ollama: {
    name: "ollama",
    label: "Ollama",
    defaultBaseURL: "http://127.0.0.1:11434/v1",
    baseURLEnv: "OLLAMA_BASE_URL",
    hint: "Start Ollama (ollama serve) or set OLLAMA_BASE_URL.",
  },
  llamacpp: {
    name: "llamacpp",
    label: "llama.cpp server",
    defaultBaseURL: "http://127.0.0.1:8080/v1",
    baseURLEnv: "LLAMACPP_BASE_URL",
    hint: "Start the llama.cpp server (llama-server -m model.gguf) or set LLAMACPP_BASE_URL.",
  },
  lmstudio: {
    name: "lmstudio",
    label: "LM Studio",
    defaultBaseURL: "http://127.0.0.1:1234/v1",
    baseURLEnv: "LMSTUDIO_BASE_URL",
    hint: "Start the LM Studio server (lms server start) or set LMSTUDIO_BASE_URL.",
  },
  vllm: {
    name: "vllm",
    label: "vLLM",
    defaultBaseURL: "http://127.0.0.1:8000/v1",
    baseURLEnv: "VLLM_BASE_URL",
    hint: "Start vLLM (vllm serve <model>) or set VLLM_BASE_URL.",
  },
};

/**
 * The base URL of a local server: its `*_BASE_URL` variable, for Ollama also `OLLAMA_HOST`
 * (`host`, `host:port` or a URL, as Ollama reads it), else the default.
 *
 * @example
 * localServerBaseURL("ollama", { OLLAMA_HOST: "0.0.0.0:11500" }); // "http://127.0.0.1:11500/v1"
 */
export function localServerBaseURL(name: LocalServerName | string, env: Env = process.env): string {
  if (!isLocalServerName(name)) {
    throw new InvalidArgumentError({
      argument: "name",
      message: `'${name}' is not a known local server; use one of ${LOCAL_SERVER_NAMES.join(", ")}.`,
    });
  }
  const server = LOCAL_OPENAI_COMPATIBLE_SERVERS[name];
  const explicit = env[server.baseURLEnv]?.trim();
  if (explicit) return explicit.replace(/\/+$/, "");
  const host = name === "ollama" ? env.OLLAMA_HOST?.trim() : undefined;
  return host ? ollamaHostURL(host) : server.defaultBaseURL;
}

function ollamaHostURL(host: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `http://${host}`;
  try {
    const url = new URL(withScheme);
    // A server bound to every interface is reached on loopback.
    if (url.hostname === "0.0.0.0" || url.hostname === "[::]" || url.hostname === "") url.hostname = "127.0.0.1";
    if (!url.port && !/:\d+$/.test(host)) url.port = url.protocol === "https:" ? "443" : "11434";
    const path = url.pathname.replace(/\/+$/, "");
    return `${url.protocol}//${url.host}${path}/v1`;
  } catch {
    return LOCAL_OPENAI_COMPATIBLE_SERVERS.ollama.defaultBaseURL;
  }
}
