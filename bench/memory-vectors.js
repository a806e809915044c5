// Exact vector search on the embedded store at 100k vectors of 384 dimensions: is brute force fast
// enough, or does the store need an approximate index?
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMain, reply, runWorker } from "./lib/process.js";
import { createRandom, createScratch } from "./lib/retrieval-data.js";
import { mean, recallAt, timeEach } from "./lib/retrieval-metrics.js";
import { formatNumber } from "./lib/stats.js";
import { renderResult } from "./lib/table.js";

const file = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);
const COUNT = 100_000;
const DIMENSIONS = 384;
const BATCH = 1_000;
const QUERIES = 20;
const K = 10;

/** Random unit vectors (normal coordinates, then normalised), the same every run. */
function createUnitVectors(seed) {
  const random = createRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return () => {
    const v = Array.from({ length: DIMENSIONS }, normal);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
}

/**
 * The same vectors copied into a sqlite-vec `vec0` table (its own compact storage, exact KNN), and
 * every vector loaded into one Float32Array for the plain JavaScript scan.
 */
function openAlternatives(location) {
  const Database = require("better-sqlite3");
  const db = new Database(location);
  require("sqlite-vec").load(db);
  const start = performance.now();
  db.exec(`CREATE VIRTUAL TABLE bench_vec USING vec0(embedding float[${DIMENSIONS}] distance_metric=cosine);
    INSERT INTO bench_vec (rowid, embedding) SELECT seq, embedding FROM chunks WHERE embedding IS NOT NULL;`);
  const vec0BuildMs = performance.now() - start;
  const knn = db.prepare(
    "SELECT c.id FROM bench_vec v JOIN chunks c ON c.seq = v.rowid WHERE v.embedding MATCH ? AND k = ? ORDER BY v.distance",
  );
  return {
    vec0BuildMs,
    vec0: (vector) => knn.all(Buffer.from(new Float32Array(vector).buffer), K).map((row) => row.id),
    loadAll: () => {
      const rows = db.prepare("SELECT id, embedding FROM chunks WHERE embedding IS NOT NULL ORDER BY seq").all();
      const all = new Float32Array(rows.length * DIMENSIONS);
      rows.forEach((row, i) => {
        all.set(new Float32Array(new Uint8Array(row.embedding).buffer), i * DIMENSIONS);
      });
      return { all, ids: rows.map((row) => row.id) };
    },
    close: () => db.close(),
  };
}

/** Exact top k by dot product (cosine, for unit vectors) over a flat array: one pass, one core. */
function scanTopK(all, ids, query) {
  const q = Float32Array.from(query);
  const best = [];
  for (let row = 0, offset = 0; offset < all.length; row++, offset += DIMENSIONS) {
    let dot = 0;
    for (let i = 0; i < DIMENSIONS; i++) dot += all[offset + i] * q[i];
    if (best.length < K || dot > best[best.length - 1].dot) {
      best.push({ dot, row });
      best.sort((a, b) => b.dot - a.dot);
      if (best.length > K) best.pop();
    }
  }
  return best.map((b) => ids[b.row]);
}

async function measure() {
  const { openSqliteStore } = await import("../dist/index.js");
  const scratch = createScratch("vectors");
  try {
    const location = path.join(scratch.dir, "vectors.db");
    // Exact search only: the default store answers large stores from an approximate index instead.
    const store = await openSqliteStore({ path: location, vectorIndex: false });
    await store.documents.setVectorConfig({ embedder: "bench:random", dimensions: DIMENSIONS });
    const nextVector = createUnitVectors(7);
    let start = performance.now();
    for (let first = 0; first < COUNT; first += BATCH) {
      const id = `batch-${first}`;
      const chunks = [];
      for (let n = first; n < Math.min(COUNT, first + BATCH); n++) {
        chunks.push({
          id: `v${n}`,
          documentId: id,
          ordinal: n - first,
          text: `vector ${n}`,
          metadata: {},
          embedding: nextVector(),
        });
      }
      await store.documents.put({ id, source: id, contentHash: id, metadata: {} }, chunks);
    }
    const buildMs = performance.now() - start;
    const queries = Array.from({ length: QUERIES }, createUnitVectors(11));
    const warmup = { warmup: 2 };
    const weft = await timeEach(
      queries,
      (v) => store.documents.searchVector(v, { limit: K }).then((hits) => hits.map((hit) => hit.chunk.id)),
      warmup,
    );
    await store.close();
    const alternatives = openAlternatives(location);
    const vec0 = await timeEach(queries, (v) => alternatives.vec0(v), warmup);
    start = performance.now();
    const { all, ids } = alternatives.loadAll();
    const loadMs = performance.now() - start;
    const scan = await timeEach(queries, (v) => scanTopK(all, ids, v), warmup);
    alternatives.close();
    // The JavaScript scan is exact, so it is the truth the others are checked against.
    const recall = (t) => mean(t.results.map((list, i) => recallAt(list, scan.results[i], K)));
    const pick = (t) => ({ p50: t.p50, p95: t.p95, recall: recall(t) });
    return {
      buildMs,
      loadMs,
      vec0BuildMs: alternatives.vec0BuildMs,
      weft: pick(weft),
      vec0: pick(vec0),
      scan: pick(scan),
    };
  } finally {
    scratch.remove();
  }
}

/** Runs the benchmark (in a fresh process) and returns its result for the report. */
export async function run() {
  const r = runWorker(file, []);
  const ms = (value) => formatNumber(value);
  const row = (what, how, t) => [what, how, ms(t.p50), ms(t.p95), t.recall.toFixed(3)];
  return {
    id: "memory-vectors",
    title: "Exact vector search latency: 100k vectors × 384 dimensions (embedded store)",
    method: `${COUNT.toLocaleString("en-US")} random unit vectors of ${DIMENSIONS} float32 dimensions, written with \`store.documents.put\` in documents of ${BATCH.toLocaleString("en-US")} chunks (build: ${formatNumber(r.buildMs / 1000)} s) into a SQLite store file under the system temp folder, opened with \`vectorIndex: false\` so that every search is exact (from 20,000 vectors the default store answers from its approximate index instead; not measured here). Each chunk's text is a few bytes, so the figures are for the vectors alone; recall@${K} is against the exact top ${K} of the JavaScript scan. ${QUERIES} random unit query vectors, top ${K}, one at a time after 2 warm-up queries.`,
    columns: ["search", "how", "ms p50", "ms p95", `recall@${K}`],
    rows: [
      row(
        "`store.documents.searchVector(v, { limit: 10 })`",
        "sqlite-vec `vec_distance_cosine` over every chunk row",
        r.weft,
      ),
      row(
        "sqlite-vec `vec0` table, `MATCH ? AND k = 10`",
        `the same vectors copied into sqlite-vec's own exact KNN table (built in ${formatNumber(r.vec0BuildMs / 1000)} s)`,
        r.vec0,
      ),
      row(
        "reference: plain JavaScript scan",
        `all vectors in one Float32Array (loaded in ${formatNumber(r.loadMs / 1000)} s), dot products, 1 core`,
        r.scan,
      ),
    ],
    notes: [
      "Measured elsewhere, not in this run (see the design notes): an HNSW index (usearch) answers the same 100k × 384 top-10 query in 0.2–0.3 ms at recall@10 ≈ 1.00; a C AVX-512 exact scan needs about 3.8 ms, the machine's floor for brute force.",
      "The plan for the store is an approximate index once exact search costs more than a few milliseconds; every exact variant above costs tens to hundreds of milliseconds.",
    ],
    command: "node bench/memory-vectors.js",
  };
}

if (isMain(import.meta.url)) {
  if (process.argv[2] === "--worker") reply(await measure());
  else console.log(renderResult(await run()));
}
