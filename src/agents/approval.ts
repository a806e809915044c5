/**
 * Approval of side-effecting tool calls. The agent asks an Approver before running any tool marked
 * `sideEffect: true`; without one, such calls are denied and the model is told so.
 */
import { createInterface } from "node:readline";

export interface ApprovalRequest {
  /** The tool's name. */
  tool: string;
  /** The validated arguments the tool would run with. */
  input: unknown;
  toolCallId: string;
  /** The tool's description, for showing the user what it does. */
  description: string;
  /** Aborted when the agent's time limit passes or the run is cancelled: stop asking then. */
  abortSignal?: AbortSignal;
}

/** Decides whether a side-effecting tool call may run. */
export type Approver = (request: ApprovalRequest) => boolean | Promise<boolean>;

/**
 * Approves every call. For trusted tools, tests and `--yes`.
 *
 * @example
 * await runAgent({ model, tools: [sendMail], prompt, approve: autoApprove });
 */
export const autoApprove: Approver = () => true;

const MAX_SHOWN = 500;

function show(input: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(input) ?? String(input);
  } catch {
    text = String(input);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length} characters)` : text;
}

/**
 * Asks on a terminal before each side-effecting call: `Allow <tool> with {...}? [y/N]`. Only `y` or
 * `yes` approves; an empty line, end of input or an abort denies. Questions are asked one at a time
 * even when the agent runs tools in parallel.
 *
 * @example
 * const approve = terminalApprover(); // process.stdin / process.stderr
 * await runAgent({ model, tools, prompt, approve });
 */
export function terminalApprover(
  options: { input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream } = {},
): Approver {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stderr;
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (request: ApprovalRequest) =>
    new Promise<boolean>((resolve) => {
      if (request.abortSignal?.aborted) return resolve(false);
      const rl = createInterface({ input, output, terminal: false });
      let settled = false;
      const finish = (answer: boolean) => {
        if (settled) return;
        settled = true;
        request.abortSignal?.removeEventListener("abort", onAbort);
        rl.close();
        resolve(answer);
      };
      const onAbort = () => {
        output.write("\n");
        finish(false);
      };
      request.abortSignal?.addEventListener("abort", onAbort, { once: true });
      rl.once("close", () => finish(false));
      rl.question(`Allow ${request.tool} with ${show(request.input)}? [y/N] `, (answer) =>
        finish(/^\s*y(es)?\s*$/i.test(answer)),
      );
    });
  return (request) => {
    const next = queue.then(() => ask(request));
    queue = next.catch(() => {});
    return next;
  };
}
