import type { ChatCompletion, ChatCompletionTokenLogprob } from "openai/resources/chat/completions";
import type { Completion, CompletionChoice, CompletionUsage } from "openai/resources/completions";
import { InvalidResponseError } from "../../spec/errors.js";
import type { Choice, FinishReason, GenerateResult, TokenLogprob, ToolCall, Usage } from "../../spec/language-model.js";

/**
 * Maps a wire finish reason to weft's.
 *
 * @example
 * mapFinishReason("tool_calls"); // "tool-calls"
 */
export function mapFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    case "tool_calls":
    case "function_call":
      return "tool-calls";
    case "content_filter":
      return "content-filter";
    case null:
    case undefined:
      return "unknown";
    default:
      return "other";
  }
}

/**
 * Maps wire usage, including cached prompt tokens and reasoning tokens when the server reports them.
 *
 * @example
 * mapUsage({ prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 }); // { inputTokens: 3, outputTokens: 5, totalTokens: 8 }
 */
export function mapUsage(usage: CompletionUsage | null | undefined): Usage {
  if (!usage) return {};
  const out: Usage = {};
  if (typeof usage.prompt_tokens === "number") out.inputTokens = usage.prompt_tokens;
  if (typeof usage.completion_tokens === "number") out.outputTokens = usage.completion_tokens;
  if (typeof usage.total_tokens === "number") out.totalTokens = usage.total_tokens;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === "number") out.cachedInputTokens = cached;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === "number") out.reasoningTokens = reasoning;
  return out;
}

/**
 * Maps Chat Completions logprobs (`choice.logprobs.content`).
 *
 * @example
 * mapChatLogprobs([{ token: "Hi", logprob: -0.1, bytes: null, top_logprobs: [] }]); // [{ token: "Hi", logprob: -0.1 }]
 */
export function mapChatLogprobs(content: ChatCompletionTokenLogprob[] | null | undefined): TokenLogprob[] | undefined {
  if (!content) return undefined;
  return content.map((entry) => ({
    token: entry.token,
    logprob: entry.logprob,
    ...(entry.top_logprobs?.length
      ? { topLogprobs: entry.top_logprobs.map((alt) => ({ token: alt.token, logprob: alt.logprob })) }
      : {}),
  }));
}

/**
 * Maps legacy Completions logprobs (parallel `tokens` / `token_logprobs` / `top_logprobs` arrays).
 *
 * @example
 * mapCompletionLogprobs({ tokens: ["Hi"], token_logprobs: [-0.1] }); // [{ token: "Hi", logprob: -0.1 }]
 */
export function mapCompletionLogprobs(
  logprobs: CompletionChoice.Logprobs | null | undefined,
): TokenLogprob[] | undefined {
  if (!logprobs?.tokens) return undefined;
  return logprobs.tokens.map((token, i) => {
    const top = logprobs.top_logprobs?.[i];
    const alternatives = top ? Object.entries(top).map(([t, logprob]) => ({ token: t, logprob })) : [];
    return {
      token,
      logprob: logprobs.token_logprobs?.[i] ?? 0,
      ...(alternatives.length ? { topLogprobs: alternatives } : {}),
    };
  });
}

/**
 * Parses a tool call's JSON arguments; an empty string means no arguments.
 *
 * @example
 * parseToolArguments("openai", "weather", '{"city":"Paris"}'); // { city: "Paris" }
 */
export function parseToolArguments(provider: string, toolName: string, args: string | undefined): unknown {
  if (args === undefined || args.trim() === "") return {};
  try {
    return JSON.parse(args);
  } catch (cause) {
    const shown = args.length > 200 ? `${args.slice(0, 200)}...` : args;
    throw new InvalidResponseError({
      provider,
      detail: `the arguments of tool call '${toolName}' are not valid JSON (${shown})`,
      cause,
    });
  }
}

/**
 * Throws InvalidResponseError unless the value looks like a response with a `choices` array
 * (the SDK hands back a string when a proxy answers with HTML).
 *
 * @example
 * assertChoices("openai", "<html>", "chat completion"); // throws
 */
export function assertChoices(provider: string, value: unknown, what: string): void {
  if (typeof value === "object" && value !== null && Array.isArray((value as { choices?: unknown }).choices)) return;
  const shown = typeof value === "string" ? value.slice(0, 120) : JSON.stringify(value)?.slice(0, 120);
  throw new InvalidResponseError({ provider, detail: `expected a ${what} with a choices array, got ${shown}` });
}

/**
 * Maps a non-streaming Chat Completions response, choices in index order.
 *
 * @example
 * mapChatCompletion("openai", await client.chat.completions.create(body)).choices[0].text;
 */
export function mapChatCompletion(provider: string, response: ChatCompletion): Omit<GenerateResult, "warnings"> {
  assertChoices(provider, response, "chat completion");
  const choices = [...response.choices]
    .sort((a, b) => a.index - b.index)
    .map((choice): Choice => {
      const toolCalls: ToolCall[] = (choice.message?.tool_calls ?? []).flatMap((call) =>
        call.type === "function"
          ? [
              {
                toolCallId: call.id,
                toolName: call.function.name,
                input: parseToolArguments(provider, call.function.name, call.function.arguments),
              },
            ]
          : [],
      );
      const logprobs = mapChatLogprobs(choice.logprobs?.content);
      return {
        text: choice.message?.content ?? choice.message?.refusal ?? "",
        toolCalls,
        finishReason: mapFinishReason(choice.finish_reason),
        ...(logprobs ? { logprobs } : {}),
      };
    });
  return finish(provider, choices, response.usage, response.id, response.model);
}

/**
 * Maps a non-streaming legacy Completions response.
 *
 * @example
 * mapCompletion("vllm", await client.completions.create(body)).choices[0].text;
 */
export function mapCompletion(provider: string, response: Completion): Omit<GenerateResult, "warnings"> {
  assertChoices(provider, response, "completion");
  const choices = [...response.choices]
    .sort((a, b) => a.index - b.index)
    .map((choice): Choice => {
      const logprobs = mapCompletionLogprobs(choice.logprobs);
      return {
        text: choice.text ?? "",
        toolCalls: [],
        finishReason: mapFinishReason(choice.finish_reason),
        ...(logprobs ? { logprobs } : {}),
      };
    });
  return finish(provider, choices, response.usage, response.id, response.model);
}

function finish(
  provider: string,
  choices: Choice[],
  usage: CompletionUsage | null | undefined,
  id: string | undefined,
  model: string | undefined,
): Omit<GenerateResult, "warnings"> {
  if (choices.length === 0) throw new InvalidResponseError({ provider, detail: "the response has no choices" });
  return { choices, usage: mapUsage(usage), response: responseInfo(id, model) };
}

/**
 * Response id and reported model, leaving out what the server did not send.
 *
 * @example
 * responseInfo("chatcmpl-1", undefined); // { id: "chatcmpl-1" }
 */
export function responseInfo(id: string | undefined, model: string | undefined) {
  return { ...(id ? { id } : {}), ...(model ? { modelId: model } : {}) };
}
