import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AnyTool } from "../../../src/agents/tool.js";
import { openApiTools } from "../../../src/agents/tools/openapi.js";
import { InvalidArgumentError, ToolExecutionError, ToolSafetyError } from "../../../src/spec/errors.js";

const SPEC_PATH = new URL("../../fixtures/openapi/plant-nursery.json", import.meta.url).pathname;
const spec = JSON.parse(readFileSync(SPEC_PATH, "utf8")) as Record<string, unknown>;
const allow = { allowPrivateNetwork: ["127.0.0.1/32"] };
const context = () => ({ toolCallId: "call-1", abortSignal: new AbortController().signal });

interface Plant {
  id: number;
  name: string;
  light: string;
  tags?: string[];
}
interface Seen {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: IncomingMessage["headers"];
  body: unknown;
}

// A loopback implementation of the plant nursery API (test/fixtures/openapi/plant-nursery.json).
let server: Server;
let baseUrl: string;
let plants: Plant[];
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const query: Record<string, string[]> = {};
      for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key);
      const body = raw ? JSON.parse(raw) : undefined;
      seen.push({ method: req.method ?? "", path: url.pathname, query, headers: req.headers, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      const one = /^\/v1\/plants\/([^/]+)(\/waterings)?$/.exec(url.pathname);
      if (url.pathname === "/v1/plants" && req.method === "GET") {
        const tags = query.tag ?? [];
        const hits = plants.filter((p) => tags.every((t) => p.tags?.includes(t)));
        return json(200, hits.slice(0, Number(query.limit?.[0] ?? 10)));
      }
      if (url.pathname === "/v1/plants" && req.method === "POST") {
        const plant = { id: plants.length + 1, ...body };
        plants.push(plant);
        return json(201, plant);
      }
      if (one) {
        const plant = plants.find((p) => p.id === Number(one[1]));
        if (!plant) return json(404, { title: "No such plant", status: 404 });
        if (one[2] && req.method === "POST") return json(201, { plantId: plant.id, ...body });
        if (req.method === "DELETE") {
          plants = plants.filter((p) => p !== plant);
          res.writeHead(204).end();
          return;
        }
        return json(200, plant);
      }
      json(404, { title: "Not found", status: 404 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

beforeEach(() => {
  seen.length = 0;
  plants = [
    { id: 1, name: "Monstera", light: "partial", tags: ["indoor", "easy"] },
    { id: 2, name: "Rosemary", light: "full-sun", tags: ["herb"] },
    { id: 3, name: "Pothos", light: "shade", tags: ["indoor", "easy", "trailing"] },
  ];
});

async function nurseryTools(extra: Partial<Parameters<typeof openApiTools>[0]> = {}) {
  const tools = await openApiTools({ spec, baseUrl, policy: allow, ...extra });
  return Object.fromEntries(tools.map((t) => [t.name, t])) as Record<string, AnyTool>;
}

interface Schema {
  type?: unknown;
  properties: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  $defs?: Record<string, Schema>;
  [keyword: string]: unknown;
}
const schemaOf = (t: AnyTool | undefined) => t?.jsonSchema as Schema;

describe("openApiTools: tool generation", () => {
  it("makes one tool per operation, named from operationId or method and path", async () => {
    const tools = await nurseryTools();
    expect(Object.keys(tools).sort()).toEqual(
      ["createPlant", "deletePlant", "getPlant", "get_categories", "listPlants", "log_watering"].sort(),
    );
    expect(tools.listPlants?.description).toBe("List plants\n\nPlants in stock, newest first. (GET /plants)");
  });

  it("marks GET operations read-only and the others as side effects", async () => {
    const tools = await nurseryTools();
    const flags = Object.fromEntries(Object.values(tools).map((t) => [t.name, t.sideEffect]));
    expect(flags).toEqual({
      listPlants: false,
      getPlant: false,
      get_categories: false,
      createPlant: true,
      deletePlant: true,
      log_watering: true,
    });
  });

  it("builds the input schema from query parameters and resolves schema references into $defs", async () => {
    const schema = schemaOf((await nurseryTools()).listPlants);
    expect(Object.keys(schema.properties)).toEqual(["limit", "tag", "light"]);
    expect(schema.properties.tag).toMatchObject({ type: "array", description: "Only plants carrying all these tags" });
    expect(schema.properties.light).toEqual({ $ref: "#/$defs/Light" });
    expect(schema.$defs?.Light).toEqual({ type: "string", enum: ["shade", "partial", "full-sun"] });
    expect(schema.required).toBeUndefined();
  });

  it("makes path parameters required, including a path-level $ref parameter", async () => {
    const schema = schemaOf((await nurseryTools()).getPlant);
    expect(schema.properties.plantId).toMatchObject({ type: "integer", minimum: 1, description: "The plant's id" });
    expect(schema.required).toEqual(["plantId"]);
  });

  it("adds the JSON request body, with recursive schemas kept as $defs", async () => {
    const schema = schemaOf((await nurseryTools()).createPlant);
    expect(schema.properties.body).toEqual({ $ref: "#/$defs/NewPlant" });
    expect(schema.required).toEqual(["body"]);
    expect(Object.keys(schema.$defs ?? {}).sort()).toEqual(["Category", "Light", "NewPlant"]);
    expect(schema.$defs?.Category?.properties.children?.items).toEqual({ $ref: "#/$defs/Category" });
    expect(JSON.stringify(schema)).not.toMatch(/"example"|"nullable"/);
    expect(schema.$defs?.NewPlant?.properties.species?.type).toEqual(["string", "null"]);
  });

  it("turns OpenAPI 3.0 boolean exclusiveMaximum into the JSON Schema form and keeps header parameters", async () => {
    const schema = schemaOf((await nurseryTools()).log_watering);
    expect(schema.properties.body?.properties).toMatchObject({ millilitres: { exclusiveMaximum: 5000, minimum: 1 } });
    expect(schema.properties.body?.properties.millilitres?.maximum).toBeUndefined();
    expect(schema.properties["X-Request-Id"]).toMatchObject({ type: "string", minLength: 8 });
    expect(schema.required?.sort()).toEqual(["X-Request-Id", "body", "plantId"]);
  });

  it("keeps only the operations named in include", async () => {
    const tools = await openApiTools({ spec, baseUrl, include: ["getPlant", "get_categories"] });
    expect(tools.map((t) => t.name).sort()).toEqual(["getPlant", "get_categories"]);
    await expect(openApiTools({ spec, baseUrl, include: ["feedPlant"] })).rejects.toThrow(/no operation 'feedPlant'/);
  });

  it("reads a spec from a JSON file path", async () => {
    const tools = await openApiTools({ spec: SPEC_PATH, baseUrl });
    expect(tools).toHaveLength(6);
  });
});

describe("openApiTools: argument validation", () => {
  it("rejects arguments that break the schema", async () => {
    const tools = await nurseryTools();
    const create = tools.createPlant?.inputSchema;
    expect(create?.safeParse({ body: { name: "Fern", light: "shade" } }).success).toBe(true);
    expect(create?.safeParse({ body: { light: "shade" } }).success).toBe(false);
    expect(create?.safeParse({ body: { name: "Fern", light: "moonlight" } }).success).toBe(false);
    expect(create?.safeParse({}).success).toBe(false);
    expect(create?.safeParse({ body: { name: "Fern", light: "shade" }, extra: 1 }).success).toBe(false);
    const nested = { name: "Fern", light: "shade", category: { name: "a", children: [{ name: "b", children: [{}] }] } };
    expect(create?.safeParse({ body: nested }).success).toBe(false);
    nested.category.children[0]?.children.splice(0, 1, { name: "c" } as never);
    expect(create?.safeParse({ body: nested }).success).toBe(true);
  });

  it("checks types, bounds and nullability", async () => {
    const tools = await nurseryTools();
    expect(tools.getPlant?.inputSchema.safeParse({ plantId: "one" }).success).toBe(false);
    expect(tools.getPlant?.inputSchema.safeParse({ plantId: 0 }).success).toBe(false);
    const water = tools.log_watering?.inputSchema;
    const ok = { plantId: 1, "X-Request-Id": "req-00001", body: { millilitres: 4999, note: null } };
    expect(water?.safeParse(ok).success).toBe(true);
    expect(water?.safeParse({ ...ok, body: { millilitres: 5000 } }).success).toBe(false);
    expect(water?.safeParse({ ...ok, "X-Request-Id": "short" }).success).toBe(false);
  });

  it("falls back to ajv for schemas zod cannot express", async () => {
    const tools = await openApiTools({
      baseUrl,
      spec: {
        openapi: "3.1.0",
        info: { title: "t", version: "1" },
        paths: {
          "/ship": {
            post: {
              operationId: "ship",
              requestBody: {
                required: true,
                content: {
                  "application/json": {
                    schema: {
                      type: "object",
                      properties: { country: { type: "string" }, postcode: { type: "string" } },
                      if: { properties: { country: { const: "NL" } } },
                      // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, not a thenable
                      then: { properties: { postcode: { pattern: "^[0-9]{4}[A-Z]{2}$" } } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    });
    const input = tools[0]?.inputSchema;
    expect(input?.safeParse({ body: { country: "NL", postcode: "1234AB" } }).success).toBe(true);
    expect(input?.safeParse({ body: { country: "NL", postcode: "12345" } }).success).toBe(false);
    expect(input?.safeParse({ body: { country: "US", postcode: "12345" } }).success).toBe(true);
  });
});

describe("openApiTools: calls", () => {
  it("sends query parameters, arrays exploded", async () => {
    const tools = await nurseryTools();
    const out = (await tools.listPlants?.execute({ limit: 5, tag: ["indoor", "easy"], light: "shade" }, context())) as {
      status: number;
      body: Plant[];
    };
    expect(seen[0]).toMatchObject({
      method: "GET",
      path: "/v1/plants",
      query: { limit: ["5"], tag: ["indoor", "easy"], light: ["shade"] },
    });
    expect(out.status).toBe(200);
    expect(out.body.map((p) => p.name)).toEqual(["Monstera", "Pothos"]);
  });

  it("posts the JSON body and returns the created resource", async () => {
    const tools = await nurseryTools();
    const out = await tools.createPlant?.execute({ body: { name: "Fern", light: "shade" } }, context());
    expect(seen[0]).toMatchObject({ method: "POST", path: "/v1/plants", body: { name: "Fern", light: "shade" } });
    expect(seen[0]?.headers["content-type"]).toBe("application/json");
    expect(out).toMatchObject({ status: 201, body: { id: 4, name: "Fern" } });
  });

  it("fills path parameters and returns error statuses as data", async () => {
    const tools = await nurseryTools();
    expect(await tools.getPlant?.execute({ plantId: 2 }, context())).toMatchObject({
      status: 200,
      body: { name: "Rosemary" },
    });
    expect(await tools.getPlant?.execute({ plantId: 99 }, context())).toMatchObject({
      status: 404,
      body: { title: "No such plant" },
    });
    expect(await tools.deletePlant?.execute({ plantId: 3 }, context())).toMatchObject({ status: 204, body: "" });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      "GET /v1/plants/2",
      "GET /v1/plants/99",
      "DELETE /v1/plants/3",
    ]);
  });

  it("sends header parameters, with the configured auth header winning", async () => {
    const tools = await nurseryTools({ headers: { Authorization: "Bearer nursery-key" } });
    await tools.log_watering?.execute(
      { plantId: 1, "X-Request-Id": "req-12345", Authorization: "Bearer model", body: { millilitres: 250 } },
      context(),
    );
    expect(seen[0]?.path).toBe("/v1/plants/1/waterings");
    expect(seen[0]?.headers["x-request-id"]).toBe("req-12345");
    expect(seen[0]?.headers.authorization).toBe("Bearer nursery-key");
    expect(seen[0]?.body).toEqual({ millilitres: 250 });
  });

  it("encodes path parameters so they cannot change the path", async () => {
    const tools = await openApiTools({
      baseUrl,
      policy: allow,
      spec: {
        openapi: "3.1.0",
        info: { title: "t", version: "1" },
        paths: {
          "/plants/{plantId}": {
            get: {
              operationId: "byName",
              parameters: [{ name: "plantId", in: "path", required: true, schema: { type: "string" } }],
            },
          },
        },
      },
    });
    await tools[0]?.execute({ plantId: "../admin?x=1" }, context());
    expect(seen[0]?.path).toBe("/v1/plants/..%2Fadmin%3Fx%3D1");
    await expect(tools[0]?.execute({ plantId: ".." }, context())).rejects.toBeInstanceOf(ToolExecutionError);
  });

  it("goes through the network policy", async () => {
    const tools = await openApiTools({ spec, baseUrl, include: ["getPlant"] });
    await expect(tools[0]?.execute({ plantId: 1 }, context())).rejects.toBeInstanceOf(ToolSafetyError);
    expect(seen).toEqual([]);
  });

  it("uses the spec's server URL with its variables when no baseUrl is given", async () => {
    const resolve = async () => [{ address: "10.0.0.7", family: 4 as const }];
    const tools = await openApiTools({ spec, include: ["getPlant"], policy: { resolve } });
    await expect(tools[0]?.execute({ plantId: 1 }, context())).rejects.toThrow(
      /https:\/\/eu\.nursery\.example: 'eu\.nursery\.example' resolves to 10\.0\.0\.7/,
    );
  });
});

describe("openApiTools: specs it refuses", () => {
  const minimal = (extra: Record<string, unknown>) => ({
    openapi: "3.0.0",
    info: { title: "t", version: "1" },
    ...extra,
  });

  it("refuses Swagger 2.0", async () => {
    await expect(openApiTools({ spec: { swagger: "2.0", paths: {} }, baseUrl })).rejects.toThrow(/Swagger 2\.0/);
  });

  it("refuses remote $refs", async () => {
    const spec = minimal({
      paths: { "/a": { get: { parameters: [{ $ref: "https://evil.example/params.json#/p" }] } } },
    });
    const attempt = openApiTools({ spec, baseUrl });
    await expect(attempt).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(attempt).rejects.toThrow(/remote \$ref 'https:\/\/evil\.example/);
  });

  it("refuses a dangling $ref", async () => {
    const spec = minimal({
      paths: {
        "/a": {
          post: { requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Gone" } } } } },
        },
      },
    });
    await expect(openApiTools({ spec, baseUrl })).rejects.toThrow(/'#\/components\/schemas\/Gone' points to nothing/);
  });

  it("asks for baseUrl when the server URL is relative", async () => {
    const spec = minimal({ servers: [{ url: "/api" }], paths: {} });
    await expect(openApiTools({ spec })).rejects.toThrow(/pass baseUrl/);
  });

  it("explains that YAML is not supported", async () => {
    await expect(openApiTools({ spec: "openapi: 3.0.0\ninfo:\n  title: t\n" })).rejects.toThrow(/YAML/);
    await expect(openApiTools({ spec: "/no/such/spec.json" })).rejects.toThrow(/Could not read the OpenAPI spec/);
  });
});
