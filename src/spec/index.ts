export * from "./errors.js";
export type * from "./json-schema.js";
export type * from "./language-model.js";
export type * from "./store.js";
