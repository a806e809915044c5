/** A JSON Schema object. Kept loose on purpose: providers pass schemas through to their APIs. */
export type JSONSchema = { [key: string]: unknown };
