/** Conformance tests for traces, sessions and the cache. */
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, StoreError } from "../../src/spec/errors.js";
import type { Message } from "../../src/spec/language-model.js";
import type { Store } from "../../src/spec/store.js";
import { sampleTrace } from "./fixtures.js";

const UNICODE = "naïve café — Ünïcödé ✓ 東京 مرحبا 🚀👩‍👩‍👧 e\u0301";

export function describeRecordConformance(current: () => Store): void {
  describe("traces", () => {
    it("keeps every field of a trace", async () => {
      const trace = sampleTrace({
        id: "full",
        input: [{ role: "user", content: UNICODE }],
        output: { text: UNICODE, choices: [1, 2.5, -3, true, null, { nested: ["a"] }] },
        usage: { inputTokens: 10, outputTokens: 20, totalTokens: 30, cachedInputTokens: 4, reasoningTokens: 2 },
        costUsd: 0.0123,
        latencyMs: 12.5,
        sessionId: "s1",
        parentId: "p1",
        cached: true,
      });
      await current().traces.insert(trace);
      expect(await current().traces.get("full")).toEqual(trace);
    });

    it("keeps failed calls: null output, the error, unknown cost", async () => {
      const trace = sampleTrace({
        id: "failed",
        output: null,
        costUsd: null,
        error: { name: "RateLimitError", code: "rate-limit", message: "slow down" },
      });
      await current().traces.insert(trace);
      expect(await current().traces.get("failed")).toEqual(trace);
    });

    it("returns missing optional fields as null and false", async () => {
      const { sessionId: _s, parentId: _p, cached: _c, ...bare } = sampleTrace({ id: "bare" });
      await current().traces.insert(bare);
      expect(await current().traces.get("bare")).toEqual({ ...bare, sessionId: null, parentId: null, cached: false });
    });

    it("returns undefined for an unknown id", async () => {
      expect(await current().traces.get("nope")).toBeUndefined();
    });

    it("refuses a duplicate id with a StoreError", async () => {
      await current().traces.insert(sampleTrace({ id: "dup" }));
      await expect(current().traces.insert(sampleTrace({ id: "dup" }))).rejects.toSatisfy(StoreError.isInstance);
    });

    it("lists newest first by start time, not by insertion order", async () => {
      for (const [id, minute] of [
        ["b", 2],
        ["a", 1],
        ["c", 3],
      ] as const) {
        await current().traces.insert(sampleTrace({ id, startedAt: `2025-03-01T10:0${minute}:00.000Z` }));
      }
      expect((await current().traces.list()).map((t) => t.id)).toEqual(["c", "b", "a"]);
    });

    it("orders by instant even when offsets differ, and lists later inserts first on ties", async () => {
      await current().traces.insert(sampleTrace({ id: "utc", startedAt: "2025-03-01T10:30:00.000Z" }));
      // 11:00+02:00 is 09:00Z, earlier than 10:30Z although it sorts later as text.
      await current().traces.insert(sampleTrace({ id: "offset", startedAt: "2025-03-01T11:00:00+02:00" }));
      await current().traces.insert(sampleTrace({ id: "tie-1", startedAt: "2025-03-01T12:00:00.000Z" }));
      await current().traces.insert(sampleTrace({ id: "tie-2", startedAt: "2025-03-01T12:00:00.000Z" }));
      expect((await current().traces.list()).map((t) => t.id)).toEqual(["tie-2", "tie-1", "utc", "offset"]);
      expect((await current().traces.get("offset"))?.startedAt).toBe("2025-03-01T11:00:00+02:00");
    });

    it("limits to 20 by default and to `limit` when given", async () => {
      for (let i = 0; i < 25; i++) {
        const second = String(i).padStart(2, "0");
        await current().traces.insert(sampleTrace({ id: `t${i}`, startedAt: `2025-03-01T10:00:${second}.000Z` }));
      }
      const all = await current().traces.list();
      expect(all).toHaveLength(20);
      expect(all[0]?.id).toBe("t24");
      expect((await current().traces.list({ limit: 3 })).map((t) => t.id)).toEqual(["t24", "t23", "t22"]);
      expect(await current().traces.list({ limit: 0 })).toEqual([]);
    });

    it("filters by since (inclusive), session and parent, alone and combined", async () => {
      const rows: Array<[string, number, string | null, string | null]> = [
        ["t1", 1, "s1", null],
        ["t2", 2, "s1", "run-1"],
        ["t3", 3, "s2", "run-1"],
        ["t4", 4, null, "run-2"],
        ["t5", 5, "s1", "run-1"],
      ];
      for (const [id, minute, sessionId, parentId] of rows) {
        await current().traces.insert(
          sampleTrace({ id, startedAt: `2025-03-01T10:0${minute}:00.000Z`, sessionId, parentId }),
        );
      }
      const ids = async (query: Parameters<Store["traces"]["list"]>[0]) =>
        (await current().traces.list(query)).map((t) => t.id);
      expect(await ids({ since: "2025-03-01T10:03:00.000Z" })).toEqual(["t5", "t4", "t3"]);
      expect(await ids({ sessionId: "s1" })).toEqual(["t5", "t2", "t1"]);
      expect(await ids({ parentId: "run-1" })).toEqual(["t5", "t3", "t2"]);
      expect(await ids({ sessionId: "s1", parentId: "run-1", since: "2025-03-01T10:02:30Z" })).toEqual(["t5"]);
      expect(await ids({ sessionId: "nobody" })).toEqual([]);
    });

    it("refuses an unreadable since with InvalidArgumentError", async () => {
      await expect(current().traces.list({ since: "yesterday-ish" })).rejects.toSatisfy(
        InvalidArgumentError.isInstance,
      );
    });
  });

  describe("sessions", () => {
    const conversation: Message[] = [
      { role: "system", content: "You are terse." },
      { role: "user", content: [{ type: "text", text: UNICODE }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Let me look." },
          { type: "tool-call", toolCallId: "call-1", toolName: "search", input: { q: "weft" } },
        ],
      },
      { role: "tool", content: [{ type: "tool-result", toolCallId: "call-1", toolName: "search", output: ["a"] }] },
    ] as Message[];

    it("opens a new session with its metadata and no messages", async () => {
      const info = await current().sessions.open("chat", { model: "openai:gpt-4o-mini", system: UNICODE });
      expect(info).toMatchObject({ name: "chat", messageCount: 0, metadata: { model: "openai:gpt-4o-mini" } });
      expect(info.metadata.system).toBe(UNICODE);
      expect(Number.isNaN(Date.parse(info.createdAt))).toBe(false);
      expect(Number.isNaN(Date.parse(info.updatedAt))).toBe(false);
      expect(await current().sessions.get("chat")).toEqual(info);
    });

    it("opening an existing session keeps its metadata and messages", async () => {
      await current().sessions.open("chat", { model: "a" });
      await current().sessions.append("chat", [{ role: "user", content: "hi" }]);
      const again = await current().sessions.open("chat", { model: "b" });
      expect(again.metadata).toEqual({ model: "a" });
      expect(again.messageCount).toBe(1);
    });

    it("returns undefined and no messages for an unknown session", async () => {
      expect(await current().sessions.get("ghost")).toBeUndefined();
      expect(await current().sessions.messages("ghost")).toEqual([]);
    });

    it("appends in order across calls and creates the session when missing", async () => {
      await current().sessions.append("new", conversation.slice(0, 2));
      await current().sessions.append("new", conversation.slice(2));
      await current().sessions.append("new", []);
      expect(await current().sessions.messages("new")).toEqual(conversation);
      const info = await current().sessions.get("new");
      expect(info?.messageCount).toBe(4);
      expect(info?.metadata).toEqual({});
    });

    it("appends all or nothing", async () => {
      await current().sessions.append("atomic", [{ role: "user", content: "first" }]);
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const bad = [
        { role: "user", content: "second" },
        { role: "user", content: circular },
      ] as unknown as Message[];
      await expect(current().sessions.append("atomic", bad)).rejects.toThrow();
      expect(await current().sessions.messages("atomic")).toEqual([{ role: "user", content: "first" }]);
    });

    it("keeps each append contiguous when appends run concurrently", async () => {
      await Promise.all(
        Array.from({ length: 8 }, (_, batch) =>
          current().sessions.append(
            "busy",
            [0, 1, 2].map((i) => ({ role: "user", content: `${batch}:${i}` }) as Message),
          ),
        ),
      );
      const texts = (await current().sessions.messages("busy")).map((m) => m.content as string);
      expect(texts).toHaveLength(24);
      for (let start = 0; start < 24; start += 3) {
        const batch = texts[start]?.split(":")[0];
        expect(texts.slice(start, start + 3)).toEqual([`${batch}:0`, `${batch}:1`, `${batch}:2`]);
      }
      expect(new Set(texts).size).toBe(24);
    });

    it("replaces metadata, creating the session when missing", async () => {
      await current().sessions.open("meta", { a: 1, b: 2 });
      await current().sessions.setMetadata("meta", { c: [3] });
      expect((await current().sessions.get("meta"))?.metadata).toEqual({ c: [3] });
      await current().sessions.setMetadata("fresh", { x: "y" });
      expect((await current().sessions.get("fresh"))?.metadata).toEqual({ x: "y" });
    });

    it("clear removes the messages but keeps the session and its metadata", async () => {
      await current().sessions.open("c", { keep: true });
      await current().sessions.append("c", conversation);
      await current().sessions.clear("c");
      expect(await current().sessions.messages("c")).toEqual([]);
      expect(await current().sessions.get("c")).toMatchObject({ messageCount: 0, metadata: { keep: true } });
      await current().sessions.append("c", [{ role: "user", content: "again" }]);
      expect(await current().sessions.messages("c")).toEqual([{ role: "user", content: "again" }]);
    });

    it("delete removes the session and its messages, and only that one", async () => {
      await current().sessions.append("gone", conversation);
      await current().sessions.append("stays", conversation.slice(0, 1));
      await current().sessions.delete("gone");
      await current().sessions.delete("never-existed");
      expect(await current().sessions.get("gone")).toBeUndefined();
      expect(await current().sessions.messages("gone")).toEqual([]);
      expect((await current().sessions.list()).map((s) => s.name)).toEqual(["stays"]);
      expect(await current().sessions.messages("stays")).toEqual(conversation.slice(0, 1));
    });

    it("lists sessions by name with their message counts", async () => {
      await current().sessions.append("zeta", conversation.slice(0, 3));
      await current().sessions.open("alpha");
      await current().sessions.append("Ünïcode", conversation.slice(0, 1));
      const list = await current().sessions.list();
      expect(list.map((s) => [s.name, s.messageCount])).toEqual(
        [
          ["alpha", 0],
          ["zeta", 3],
          ["Ünïcode", 1],
        ].sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
      );
    });
  });

  describe("cache", () => {
    it("returns undefined for a missing key and stores any JSON value", async () => {
      const cache = current().cache;
      expect(await cache.get("gen", "missing")).toBeUndefined();
      const values: unknown[] = [{ text: UNICODE, n: [1, 2.5] }, ["a", 1, null], "plain", 42, 0, false, null];
      for (const [i, value] of values.entries()) await cache.set("gen", `k${i}`, value);
      for (const [i, value] of values.entries()) expect(await cache.get("gen", `k${i}`)).toEqual(value);
    });

    it("overwrites a key and keeps namespaces apart", async () => {
      const cache = current().cache;
      await cache.set("gen", "k", 1);
      await cache.set("gen", "k", { v: 2 });
      await cache.set("embed", "k", [3]);
      expect(await cache.get("gen", "k")).toEqual({ v: 2 });
      expect(await cache.get("embed", "k")).toEqual([3]);
      expect(await cache.get("select", "k")).toBeUndefined();
    });

    it("clear(namespace) removes that namespace and counts it; clear() removes the rest", async () => {
      const cache = current().cache;
      for (const key of ["a", "b", "c"]) await cache.set("gen", key, key);
      for (const key of ["a", "b"]) await cache.set("embed", key, key);
      await cache.set("gen", "a", "again");
      expect(await cache.clear("gen")).toBe(3);
      expect(await cache.get("gen", "a")).toBeUndefined();
      expect(await cache.get("embed", "a")).toBe("a");
      expect(await cache.clear("gen")).toBe(0);
      await cache.set("select", "x", 1);
      expect(await cache.clear()).toBe(3);
      expect(await cache.get("embed", "b")).toBeUndefined();
      expect(await cache.clear()).toBe(0);
    });
  });
}
