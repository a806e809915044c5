import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelFunctions, LlamaText, Token } from "node-llama-cpp";
import type { Message, TextPart } from "../../spec/language-model.js";
import type { ChatRuntime } from "./engine.js";

/** A prompt ready for evaluation. */
export interface PreparedPrompt {
  /** Tokens passed to LlamaCompletion, which prepends `bos` itself. */
  tokens: Token[];
  /** Everything the model evaluates: `bos` (when the model uses one) plus `tokens`. */
  evaluated: Token[];
  /** End-of-turn markers of the chat template; empty for raw prompts. */
  stopTriggers: LlamaText[];
  /**
   * Raw text the output continues: the output's first token is decoded after the prompt's, so a
   * leading space is kept ("a little" + " girl"). A chat reply starts fresh and drops it.
   */
  continuesText: boolean;
  /** The conversation as node-llama-cpp chat history (chat prompts only), for LlamaChat. */
  history?: ChatHistoryItem[];
  warnings: string[];
}

/**
 * Tokenizes a raw completion prompt the way llama.cpp does (SentencePiece models get their usual
 * leading-space marker), so `countTokens(prompt)` plus the beginning token is what gets evaluated.
 *
 * @example
 * const prompt = rawPrompt(runtime, "Once upon a time");
 */
export function rawPrompt(runtime: Pick<ChatRuntime, "model" | "bos">, text: string): PreparedPrompt {
  const tokens = runtime.model.tokenize(text, false);
  return { tokens, evaluated: withBos(runtime.bos, tokens), stopTriggers: [], continuesText: true, warnings: [] };
}

/**
 * Renders `messages` with the model's chat wrapper (its own template, or the wrapper node-llama-cpp
 * infers for models without one). A trailing assistant message is continued, not closed. With
 * `functions`, the template also documents them the way the model expects to read tools.
 *
 * @example
 * const prompt = chatPrompt(runtime, [{ role: "user", content: "Hi" }]);
 */
export function chatPrompt(
  runtime: Pick<ChatRuntime, "model" | "bos" | "chatWrapper">,
  messages: Message[],
  functions?: ChatModelFunctions,
): PreparedPrompt {
  const { history, warnings } = toChatHistory(messages);
  const state = runtime.chatWrapper.generateContextState({
    chatHistory: history,
    ...(functions ? { availableFunctions: functions, documentFunctionParams: true } : {}),
  });
  let tokens = state.contextText.tokenize(runtime.model.tokenizer);
  if (runtime.bos != null && tokens[0] === runtime.bos) tokens = tokens.slice(1);
  return {
    tokens,
    evaluated: withBos(runtime.bos, tokens),
    stopTriggers: state.stopGenerationTriggers,
    continuesText: false,
    history,
    warnings,
  };
}

function withBos(bos: Token | null, tokens: Token[]): Token[] {
  return bos == null ? tokens.slice() : [bos, ...tokens];
}

type ModelResponse = Extract<ChatHistoryItem, { type: "model" }>;

/**
 * Converts weft messages to node-llama-cpp chat history ending with the model turn to generate.
 *
 * Tool calls become node-llama-cpp function calls, each carrying its result from the tool message
 * that answers it (matched by `toolCallId`), so the chat template renders them in the model's own
 * function-calling syntax. As in node-llama-cpp, a model turn goes on after its function results:
 * an assistant message that follows tool results continues the same model response.
 *
 * @example
 * toChatHistory([{ role: "user", content: "Hi" }]).history; // [{ type: "user", text: "Hi" }, { type: "model", response: [] }]
 */
export function toChatHistory(messages: Message[]): { history: ChatHistoryItem[]; warnings: string[] } {
  const history: ChatHistoryItem[] = [];
  const warnings = new Set<string>();
  const calls = new Map<string, ChatModelFunctionCall>();
  const unanswered = new Set<ChatModelFunctionCall>();
  // The model response that tool results were just added to; the next assistant message continues it.
  let open: ModelResponse | undefined;
  for (const message of messages) {
    if (message.role !== "assistant" && message.role !== "tool") open = undefined;
    switch (message.role) {
      case "system":
        history.push({ type: "system", text: message.content });
        break;
      case "user":
        history.push({ type: "user", text: textOf(message.content) });
        break;
      case "assistant": {
        const response: ModelResponse["response"] = open ? open.response : [];
        const parts =
          typeof message.content === "string" ? [{ type: "text" as const, text: message.content }] : message.content;
        for (const part of parts) {
          if (part.type === "text") {
            if (part.text !== "") response.push(part.text);
            continue;
          }
          const call: ChatModelFunctionCall = {
            type: "functionCall",
            name: part.toolName,
            params: part.input,
            result: null,
          };
          calls.set(part.toolCallId, call);
          unanswered.add(call);
          response.push(call);
        }
        if (!open) history.push({ type: "model", response });
        open = undefined;
        break;
      }
      case "tool": {
        const orphans: string[] = [];
        for (const result of message.content) {
          const call = calls.get(result.toolCallId);
          if (!call) {
            orphans.push(
              `[tool result ${result.toolName}${result.isError ? " (error)" : ""}] ${JSON.stringify(result.output)}`,
            );
            continue;
          }
          call.result = result.isError ? { error: result.output } : result.output;
          unanswered.delete(call);
        }
        const last = history.at(-1);
        if (orphans.length) {
          warnings.add(
            "Some tool results answer no tool call in the history (unknown toolCallId); they were sent as user text.",
          );
          history.push({ type: "user", text: orphans.join("\n") });
          open = undefined;
        } else if (last?.type === "model") {
          open = last;
        }
        break;
      }
    }
  }
  if (unanswered.size > 0) {
    warnings.add(
      `The history has tool calls without results (${[...unanswered].map((c) => c.name).join(", ")}); they were shown with a null result.`,
    );
  }
  const last = history.at(-1);
  if (last?.type !== "model") history.push({ type: "model", response: [] });
  return { history, warnings: [...warnings] };
}

function textOf(content: string | TextPart[]): string {
  return typeof content === "string" ? content : content.map((part) => part.text).join("");
}
