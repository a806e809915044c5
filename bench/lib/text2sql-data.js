// The shared text-to-SQL datasets: the Spider dev slice (SQLite databases + gold SQL) and GeoQuery.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { SHARED } from "./retrieval-data.js";

export const SPIDER_DIR = path.join(SHARED, "data/spider-dev-sqlite");
export const GEOQUERY_DIR = path.join(SHARED, "data/geoquery-text2sql");

/**
 * One question with its gold SQL: `{ dataset, db, dbPath, question, gold }`. Spider's items come
 * from `dev_subset.json` (database `database/<db>/<db>.sqlite`); GeoQuery's from the dev split of
 * the question split, without the few gold queries the dataset marks as not executable.
 */
export function loadText2SqlItems() {
  const items = [];
  if (existsSync(path.join(SPIDER_DIR, "dev_subset.json"))) {
    const spider = JSON.parse(readFileSync(path.join(SPIDER_DIR, "dev_subset.json"), "utf8"));
    for (const item of spider) {
      items.push({
        dataset: "spider",
        db: item.db_id,
        dbPath: path.join(SPIDER_DIR, "database", item.db_id, `${item.db_id}.sqlite`),
        question: item.question,
        gold: item.query,
      });
    }
  }
  const geoFile = path.join(GEOQUERY_DIR, "geoquery_dev.jsonl");
  if (existsSync(geoFile)) {
    const lines = readFileSync(geoFile, "utf8")
      .split("\n")
      .filter((l) => l.trim());
    for (const line of lines) {
      const item = JSON.parse(line);
      if (item.exec_error) continue;
      items.push({
        dataset: "geoquery",
        db: "geography",
        dbPath: path.join(GEOQUERY_DIR, "geography-db.added-in-2020.sqlite"),
        question: item.question,
        gold: item.sql,
      });
    }
  }
  return items;
}
