/** Structured data: load spreadsheets and databases, check and run SQL safely, answer questions with tables and charts. */

export type * from "./types.js";
