import type { ChatHistoryItem, LlamaText, Token } from "node-llama-cpp";
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
 * infers for models without one). A trailing assistant message is continued, not closed.
 *
 * @example
 * const prompt = chatPrompt(runtime, [{ role: "user", content: "Hi" }]);
 */
export function chatPrompt(
  runtime: Pick<ChatRuntime, "model" | "bos" | "chatWrapper">,
  messages: Message[],
): PreparedPrompt {
  const { history, warnings } = toChatHistory(messages);
  const state = runtime.chatWrapper.generateContextState({ chatHistory: history });
  let tokens = state.contextText.tokenize(runtime.model.tokenizer);
  if (runtime.bos != null && tokens[0] === runtime.bos) tokens = tokens.slice(1);
  return {
    tokens,
    evaluated: withBos(runtime.bos, tokens),
    stopTriggers: state.stopGenerationTriggers,
    continuesText: false,
    warnings,
  };
}

function withBos(bos: Token | null, tokens: Token[]): Token[] {
  return bos == null ? tokens.slice() : [bos, ...tokens];
}

/** Converts weft messages to node-llama-cpp chat history ending with the model turn to generate. */
export function toChatHistory(messages: Message[]): { history: ChatHistoryItem[]; warnings: string[] } {
  const history: ChatHistoryItem[] = [];
  let toolContent = false;
  for (const message of messages) {
    switch (message.role) {
      case "system":
        history.push({ type: "system", text: message.content });
        break;
      case "user":
        history.push({ type: "user", text: textOf(message.content) });
        break;
      case "assistant": {
        const parts =
          typeof message.content === "string" ? [{ type: "text" as const, text: message.content }] : message.content;
        const text = parts
          .map((part) => {
            if (part.type === "text") return part.text;
            toolContent = true;
            return `[tool call ${part.toolName}] ${JSON.stringify(part.input)}`;
          })
          .join("");
        history.push({ type: "model", response: text === "" ? [] : [text] });
        break;
      }
      case "tool":
        toolContent = true;
        history.push({
          type: "user",
          text: message.content
            .map((r) => `[tool result ${r.toolName}${r.isError ? " (error)" : ""}] ${JSON.stringify(r.output)}`)
            .join("\n"),
        });
        break;
    }
  }
  const last = history.at(-1);
  if (last?.type !== "model") history.push({ type: "model", response: [] });
  const warnings = toolContent
    ? ["Local models do not support tool calling; tool calls and results in the history were sent as plain text."]
    : [];
  return { history, warnings };
}

function textOf(content: string | TextPart[]): string {
  return typeof content === "string" ? content : content.map((part) => part.text).join("");
}
