import { assignVariable, gen, geneach, select } from "./builtins-model.js";
import {
  AwaitSignal,
  evaluateHash,
  locationOf,
  type ProgramMeta,
  type RunContext,
  simpleName,
  templateError,
} from "./context.js";
import type { Frame } from "./scope.js";
import type { ChatRole } from "./transcript.js";
import { jsonCopy, toText } from "./values.js";

type MustacheBuiltin = (
  rc: RunContext,
  node: hbs.AST.MustacheStatement,
  frame: Frame,
  meta: ProgramMeta,
  next: hbs.AST.Statement | undefined,
) => Promise<void>;

type BlockBuiltin = (
  rc: RunContext,
  node: hbs.AST.BlockStatement,
  frame: Frame,
  meta: ProgramMeta,
  next: hbs.AST.Statement | undefined,
) => Promise<void>;

const ROLES = new Set<ChatRole>(["system", "user", "assistant"]);

/**
 * `{{await 'name'}}` and `(await 'name')`: the value passed for `name` in this call (each value is
 * used once), else the one recorded in the saved state; without either the run stops here.
 *
 * @example
 * // Template: User: {{set 'this.input' (await 'input')}}
 */
export async function awaitValue(
  rc: RunContext,
  node: hbs.AST.MustacheStatement | hbs.AST.SubExpression,
  frame: Frame,
  meta: ProgramMeta,
  write: boolean,
): Promise<unknown> {
  const at = locationOf(node, meta);
  const param = node.params[0];
  const name = param ? await rc.evaluate(param, frame, meta) : undefined;
  if (typeof name !== "string" || name === "") {
    throw templateError(
      node,
      meta,
      "bad-argument",
      "{{await}} takes the name of the value to wait for, e.g. {{await 'reply'}}",
    );
  }
  const recorded = rc.replay.next("await", name, at);
  let value: unknown;
  if (recorded) value = recorded.value;
  else if (rc.pendingAwaits.has(name)) {
    value = rc.pendingAwaits.get(name);
    rc.pendingAwaits.delete(name);
  } else {
    throw new AwaitSignal(name, at);
  }
  const copy = jsonCopy(value);
  rc.replay.record({ kind: "await", name, value: copy.ok ? copy.value : toText(value) });
  assignVariable(rc, frame, name, value, node, meta);
  if (write) rc.emit(toText(value), frame, "await", name);
  return value;
}

/** `{{set 'name' value hidden=true}}` writes the value unless hidden; `{{set a=1 b=2}}` sets silently. */
async function set(rc: RunContext, node: hbs.AST.MustacheStatement, frame: Frame, meta: ProgramMeta): Promise<void> {
  if (node.params.length === 0) {
    for (const pair of node.hash?.pairs ?? []) {
      assignVariable(rc, frame, pair.key, await rc.evaluate(pair.value, frame, meta), node, meta);
    }
    return;
  }
  const [nameNode, valueNode] = node.params;
  const name = nameNode ? await rc.evaluate(nameNode, frame, meta) : undefined;
  if (typeof name !== "string" || !valueNode) {
    throw templateError(node, meta, "bad-argument", "{{set}} takes a quoted name and a value, e.g. {{set 'count' 3}}");
  }
  const value = await rc.evaluate(valueNode, frame, meta);
  const hash = await evaluateHash(rc, node.hash, frame, meta);
  assignVariable(rc, frame, name, value, node, meta);
  if (hash.hidden !== true) rc.emit(toText(value), frame, "value", name);
}

async function roleBlock(rc: RunContext, node: hbs.AST.BlockStatement, frame: Frame, meta: ProgramMeta): Promise<void> {
  const tag = simpleName(node.path) as string;
  const hash = await evaluateHash(rc, node.hash, frame, meta);
  const named =
    tag === "role" ? (node.params[0] ? await rc.evaluate(node.params[0], frame, meta) : (hash.role ?? hash.name)) : tag;
  if (typeof named !== "string" || !ROLES.has(named as ChatRole)) {
    throw templateError(
      node,
      meta,
      "bad-argument",
      `Role ${JSON.stringify(named)} is not one of system, user, assistant`,
    );
  }
  if (rc.capture)
    throw templateError(node, meta, "bad-argument", "Role blocks cannot appear inside the options of a select");
  if (rc.transcript.role) {
    throw templateError(
      node,
      meta,
      "bad-argument",
      `{{#${tag}}} opens inside a ${rc.transcript.role} block; close that block first`,
    );
  }
  const hiddenId = hash.hidden === true ? rc.transcript.beginHidden() : undefined;
  rc.transcript.beginRole(named as ChatRole);
  await rc.render(node.program, frame, meta);
  rc.transcript.endRole();
  if (hiddenId !== undefined) rc.transcript.endHidden(hiddenId);
}

/** `{{#block hidden=true}}` hides its text from later calls; `{{#block 'name'}}` also saves its text. */
async function blockBuiltin(rc: RunContext, node: hbs.AST.BlockStatement, frame: Frame, meta: ProgramMeta) {
  const hash = await evaluateHash(rc, node.hash, frame, meta);
  const name = node.params[0] ? await rc.evaluate(node.params[0], frame, meta) : undefined;
  if (name !== undefined && typeof name !== "string") {
    throw templateError(
      node,
      meta,
      "bad-argument",
      "{{#block}} takes an optional quoted name, e.g. {{#block 'intro'}}",
    );
  }
  const hiddenId = hash.hidden === true ? rc.transcript.beginHidden() : undefined;
  const recording = name ? rc.transcript.beginRecording() : undefined;
  await rc.render(node.program, frame, meta);
  if (recording !== undefined && name)
    assignVariable(rc, frame, name, rc.transcript.endRecording(recording), node, meta);
  if (hiddenId !== undefined) rc.transcript.endHidden(hiddenId);
}

export const MUSTACHE_BUILTINS: Record<string, MustacheBuiltin> = {
  gen,
  select: (rc, node, frame, meta) => select(rc, node, frame, meta),
  set,
  await: async (rc, node, frame, meta) => {
    await awaitValue(rc, node, frame, meta, true);
  },
};

export const BLOCK_BUILTINS: Record<string, BlockBuiltin> = {
  select: (rc, node, frame, meta) => select(rc, node, frame, meta),
  geneach,
  system: roleBlock,
  user: roleBlock,
  assistant: roleBlock,
  role: roleBlock,
  block: blockBuiltin,
};
