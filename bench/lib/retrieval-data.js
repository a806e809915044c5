// The shared retrieval datasets (BEIR SciFact, the HotpotQA slice) and the scratch space the memory
// benchmarks write their stores to.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "./process.js";

/** The folder of shared data and models next to the repository. */
export const SHARED = path.resolve(repoRoot, "../shared");
export const SCIFACT_DIR = path.join(SHARED, "data/beir-scifact");
export const HOTPOT_FILE = path.join(SHARED, "data/hotpotqa-ircot-dev500/dev_subsampled_first100.jsonl");

/** Why a benchmark cannot run when one of `paths` is missing; undefined when all are there. */
export function missingData(...paths) {
  const gone = paths.find((p) => !existsSync(p));
  return gone && `${gone} is missing (the shared datasets in ../shared are not on this machine).`;
}

function readJsonl(file) {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
}

/**
 * BEIR SciFact with its train queries: `docs` ({ id, title, text }), `queries` ({ id, text }, only those
 * with judgments) and `qrels` (query id → Map of document id → grade).
 */
export function loadSciFact(dir = SCIFACT_DIR) {
  const parts = readdirSync(dir)
    .filter((name) => /^corpus\.part\d+of\d+\.jsonl$/.test(name))
    .sort((a, b) => Number(a.match(/\d+/)[0]) - Number(b.match(/\d+/)[0]));
  const docs = parts.flatMap((name) =>
    readJsonl(path.join(dir, name)).map((d) => ({ id: String(d._id), title: d.title ?? "", text: d.text ?? "" })),
  );
  const qrels = new Map();
  const rows = readFileSync(path.join(dir, "qrels/train.tsv"), "utf8").split(/\r?\n/).slice(1);
  for (const row of rows) {
    const [queryId, docId, grade] = row.split("\t");
    if (!docId) continue;
    if (!qrels.has(queryId)) qrels.set(queryId, new Map());
    qrels.get(queryId).set(docId, Number(grade));
  }
  const queries = readJsonl(path.join(dir, "queries_train.jsonl"))
    .map((q) => ({ id: String(q._id), text: q.text }))
    .filter((q) => qrels.has(q.id));
  return { docs, queries, qrels };
}

/** The text every engine indexes for one abstract: its title, a blank line, the abstract. */
export function sciFactPassage(doc) {
  return `${doc.title}\n\n${doc.text}`;
}

/**
 * The HotpotQA slice as questions with their paragraphs; `gold` marks the supporting ones.
 * `{ id, question, paragraphs: [{ title, text, gold }] }`.
 */
export function loadHotpot(file = HOTPOT_FILE) {
  return readJsonl(file).map((q) => ({
    id: q.question_id,
    question: q.question_text,
    paragraphs: q.contexts.map((c) => ({ title: c.title, text: c.paragraph_text, gold: c.is_supporting === true })),
  }));
}

/** A seeded pseudo-random generator (mulberry32) in [0, 1), so every run builds the same data. */
export function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A fresh folder under the system temp folder; `remove()` deletes it with everything in it. */
export function createScratch(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `weft-bench-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `count` items spread evenly over `list` (the same ones every run). */
export function evenSample(list, count) {
  if (count >= list.length) return [...list];
  return Array.from({ length: count }, (_, i) => list[Math.floor((i * list.length) / count)]);
}
