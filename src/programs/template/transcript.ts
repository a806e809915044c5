import type { Message } from "../../spec/language-model.js";

export type ChatRole = "system" | "user" | "assistant";

/** One piece of a program's output, in order. Hidden pieces are kept here but left out of `transcript`. */
export interface TranscriptSegment {
  text: string;
  /** `text` from the template, `value` from variables and helpers, `role` for role markers. */
  kind: "text" | "value" | "gen" | "select" | "await" | "role";
  /** The variable a gen, select or await set. */
  name?: string;
  role?: ChatRole;
  hidden: boolean;
}

interface Segment extends TranscriptSegment {
  /** Ids of the hidden scopes this text was written in; it is visible to calls made inside all of them. */
  hiddenBy: number[];
  roleId?: number;
}

/** What the model receives for a call at the current point of the program. */
export type ModelInput = { mode: "raw"; text: string } | { mode: "chat"; messages: Message[] };

export interface Transcript {
  /**
   * Appends text; consecutive pieces of the same kind and scope merge into one segment, except gen
   * and select values, which merge only with `continues` (streamed deltas of one value).
   */
  write(text: string, meta?: { kind?: TranscriptSegment["kind"]; name?: string; continues?: boolean }): void;
  /** Starts a hidden scope and returns its id; text written until `endHidden` is hidden from later calls. */
  beginHidden(): number;
  endHidden(id: number): void;
  /** Writes text that no later call sees (a `hidden=true` gen). */
  writeHidden(text: string, meta: { kind: TranscriptSegment["kind"]; name?: string }): void;
  beginRole(role: ChatRole): void;
  endRole(): void;
  readonly role: ChatRole | undefined;
  /** True inside a hidden scope. */
  readonly hidden: boolean;
  /** Everything written while the recorder runs, hidden or not (named blocks). */
  beginRecording(): number;
  endRecording(id: number): string;
  /** What a model call made now sees. */
  input(): ModelInput;
  /** The visible text. */
  text(): string;
  segments(): TranscriptSegment[];
  /** The visible conversation (empty when the program uses no role blocks). */
  messages(): Message[];
}

const ROLE_END = "<|im_end|>";

/**
 * Collects a program's output and turns it into model input: text outside role blocks is a raw
 * prompt; role blocks become chat messages; hidden scopes are excluded from later calls.
 *
 * @example
 * const t = createTranscript({ onText: (d) => process.stdout.write(d) });
 * t.write("Once upon a time");
 * t.input(); // { mode: "raw", text: "Once upon a time" }
 */
export function createTranscript(options: { onText?: (delta: string) => void } = {}): Transcript {
  const segments: Segment[] = [];
  const openHidden: number[] = [];
  const recorders = new Map<number, string>();
  let nextId = 1;
  let role: { role: ChatRole; id: number; hiddenBy: number[] } | undefined;
  let usedRoles = false;
  let lastVisible = "";

  function append(
    text: string,
    meta: { kind: TranscriptSegment["kind"]; name?: string; continues?: boolean },
    hiddenBy: number[],
  ) {
    if (text === "") return;
    for (const [id, recorded] of recorders) recorders.set(id, recorded + text);
    const hidden = hiddenBy.length > 0;
    const last = segments[segments.length - 1];
    const sameScope =
      last &&
      last.kind === meta.kind &&
      last.name === meta.name &&
      last.roleId === role?.id &&
      last.hiddenBy.length === hiddenBy.length &&
      last.hiddenBy.every((id, i) => id === hiddenBy[i]);
    if (sameScope && (meta.continues || (meta.kind !== "gen" && meta.kind !== "select"))) last.text += text;
    else {
      segments.push({
        text,
        kind: meta.kind,
        name: meta.name,
        role: meta.kind === "role" ? undefined : role?.role,
        roleId: meta.kind === "role" ? undefined : role?.id,
        hidden,
        hiddenBy,
      });
    }
    if (!hidden) {
      lastVisible = text;
      options.onText?.(text);
    }
  }

  const visibleTo = (open: number[]) => (s: Segment) => s.hiddenBy.every((id) => open.includes(id));

  function build(included: Segment[], currentRoleId: number | undefined): ModelInput {
    const content = included.filter((s) => s.kind !== "role");
    if (!usedRoles) return { mode: "raw", text: content.map((s) => s.text).join("") };
    const groups: Array<{ role: ChatRole; id: number | "free"; text: string }> = [];
    for (const s of content) {
      const id = s.roleId ?? "free";
      const last = groups[groups.length - 1];
      if (last && last.id === id) last.text += s.text;
      else groups.push({ role: s.role ?? "user", id, text: s.text });
    }
    const messages: Message[] = [];
    for (const g of groups) {
      if (g.id === "free" ? g.text.trim() === "" : g.text === "") continue;
      const prev = messages[messages.length - 1];
      if (prev && prev.role === g.role && g.id !== currentRoleId) prev.content = `${prev.content}\n${g.text}`;
      else messages.push({ role: g.role, content: g.text } as Message);
    }
    return { mode: "chat", messages };
  }

  return {
    write(text, meta = {}) {
      append(text, { kind: meta.kind ?? "text", name: meta.name, continues: meta.continues }, [...openHidden]);
    },
    beginHidden() {
      const id = nextId++;
      openHidden.push(id);
      return id;
    },
    endHidden(id) {
      const at = openHidden.lastIndexOf(id);
      if (at >= 0) openHidden.splice(at, 1);
    },
    writeHidden(text, meta) {
      append(text, meta, [...openHidden, nextId++]);
    },
    beginRole(name) {
      usedRoles = true;
      const hiddenBy = [...openHidden];
      if (hiddenBy.length === 0 && lastVisible !== "" && !lastVisible.endsWith("\n")) {
        append("\n", { kind: "role" }, hiddenBy);
      }
      append(`<|im_start|>${name}\n`, { kind: "role" }, hiddenBy);
      role = { role: name, id: nextId++, hiddenBy };
    },
    endRole() {
      if (!role) return;
      const hiddenBy = role.hiddenBy;
      role = undefined;
      append(ROLE_END, { kind: "role" }, hiddenBy);
    },
    get role() {
      return role?.role;
    },
    get hidden() {
      return openHidden.length > 0;
    },
    beginRecording() {
      const id = nextId++;
      recorders.set(id, "");
      return id;
    },
    endRecording(id) {
      const text = recorders.get(id) ?? "";
      recorders.delete(id);
      return text;
    },
    input() {
      return build(segments.filter(visibleTo(openHidden)), role?.id);
    },
    text() {
      return segments
        .filter((s) => !s.hidden)
        .map((s) => s.text)
        .join("");
    },
    segments() {
      return segments.map(({ text, kind, name, role: r, hidden }) => ({
        text,
        kind,
        hidden,
        ...(name === undefined ? {} : { name }),
        ...(r === undefined ? {} : { role: r }),
      }));
    },
    messages() {
      if (!usedRoles) return [];
      const input = build(
        segments.filter((s) => !s.hidden),
        undefined,
      );
      return input.mode === "chat" ? input.messages : [];
    },
  };
}
