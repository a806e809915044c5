import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type HttpToolOptions, httpGetTool } from "../../../src/agents/tools/http.js";
import { blockedAddressReason, type ResolvedAddress, resolveNetPolicy } from "../../../src/agents/tools/net-policy.js";
import { requestWithPolicy } from "../../../src/agents/tools/ssrf-request.js";
import { ToolSafetyError } from "../../../src/spec/errors.js";

interface Loopback {
  server: Server;
  port: number;
  hits: string[];
}

async function listen(
  host: string,
  handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end("secret"),
  port = 0,
): Promise<Loopback> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port, hits };
}

const close = (l: Loopback | undefined) =>
  new Promise<void>((resolve) => {
    if (!l) return resolve();
    l.server.closeAllConnections();
    l.server.close(() => resolve());
  });

const context = () => ({ toolCallId: "call-1", abortSignal: new AbortController().signal });

/** A resolver for made-up names, counting how often each name was asked for. */
function fakeDns(table: Record<string, string[] | (() => string[])>) {
  const calls: string[] = [];
  const resolve = async (name: string): Promise<ResolvedAddress[]> => {
    calls.push(name);
    const entry = table[name];
    if (!entry) throw Object.assign(new Error(`ENOTFOUND ${name}`), { code: "ENOTFOUND" });
    const list = typeof entry === "function" ? entry() : entry;
    return list.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { resolve, calls };
}

// Victims: the internal services an attacker would like the agent to reach. Every test asserts
// they saw no request. 127.0.0.2 hosts the attacker-controlled but explicitly allowed servers.
let victim: Loopback;
let victim6: Loopback | undefined;
let redirector: Loopback;
let sameProtocolPort: Loopback;

beforeAll(async () => {
  victim = await listen("127.0.0.1");
  try {
    victim6 = await listen("::1");
  } catch {
    console.warn("[ssrf.test] no IPv6 loopback: the [::1] victim is not started, refusals are still checked.");
  }
  redirector = await listen("127.0.0.2", (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const to = url.searchParams.get("to");
    if (url.pathname.startsWith("/loop/")) {
      const n = Number(url.pathname.slice(6));
      res.writeHead(302, { location: `/loop/${n + 1}` }).end();
    } else if (to) {
      res.writeHead(302, { location: to }).end();
    } else {
      res.end("redirector says hi");
    }
  });
  // Same port number as the victim but on 127.0.0.2: a request that ends up on the wrong address
  // reaches the victim, one that keeps the validated address reaches this server.
  sameProtocolPort = await listen("127.0.0.2", (_req, res) => res.end("validated address"), victim.port);
});

afterAll(async () => {
  await Promise.all([close(victim), close(victim6), close(redirector), close(sameProtocolPort)]);
});

beforeEach(() => {
  victim.hits.length = 0;
  if (victim6) victim6.hits.length = 0;
  redirector.hits.length = 0;
  sameProtocolPort.hits.length = 0;
});

function victimsUntouched() {
  expect(victim.hits).toEqual([]);
  if (victim6) expect(victim6.hits).toEqual([]);
}

async function expectRefused(url: string, options: HttpToolOptions = {}, pattern?: RegExp) {
  const get = httpGetTool(options);
  const attempt = get.execute({ url }, context());
  await expect(attempt).rejects.toBeInstanceOf(ToolSafetyError);
  if (pattern) await expect(attempt).rejects.toThrow(pattern);
  victimsUntouched();
}

describe("SSRF: the harness can see a hit", () => {
  it("reaches the victim when its address is explicitly allowed (so a refusal below is meaningful)", async () => {
    const get = httpGetTool({ allowPrivateNetwork: ["127.0.0.1/32"] });
    const out = await get.execute({ url: `http://127.0.0.1:${victim.port}/control` }, context());
    expect(out.body).toBe("secret");
    expect(victim.hits).toEqual(["GET /control"]);
  });
});

describe("SSRF: literal addresses", () => {
  it("refuses http://127.0.0.1", () => expectRefused(`http://127.0.0.1:${victim.port}/`, {}, /loopback/));
  it("refuses http://localhost (resolved by the system resolver)", () =>
    expectRefused(`http://localhost:${victim.port}/`, {}, /'localhost' resolves to 127\.0\.0\.1/));
  it("refuses http://[::1]", () => expectRefused(`http://[::1]:${victim6?.port ?? victim.port}/`, {}, /loopback/));
  it("refuses http://0.0.0.0 (which Linux routes to the local host)", () =>
    expectRefused(`http://0.0.0.0:${victim.port}/`, {}, /unspecified/));
  it("refuses http://0 (short form of 0.0.0.0)", () => expectRefused(`http://0:${victim.port}/`));
  it("refuses the short form 127.1", () => expectRefused(`http://127.1:${victim.port}/`, {}, /127\.0\.0\.1/));
  it("refuses the decimal form 2130706433", () => expectRefused(`http://2130706433:${victim.port}/`, {}, /loopback/));
  it("refuses the hex form 0x7f000001", () => expectRefused(`http://0x7f000001:${victim.port}/`, {}, /loopback/));
  it("refuses the octal form 0177.0.0.1", () => expectRefused(`http://0177.0.0.1:${victim.port}/`, {}, /loopback/));
  it("refuses mixed hex octets 0x7f.0.0.1", () => expectRefused(`http://0x7f.0.0.1:${victim.port}/`));
  it("refuses percent-encoded and full-width digits", async () => {
    await expectRefused(`http://%31%32%37.0.0.1:${victim.port}/`);
    await expectRefused(`http://①②⑦.0.0.1:${victim.port}/`);
  });
  it("refuses IPv4-mapped IPv6 [::ffff:127.0.0.1]", () =>
    expectRefused(`http://[::ffff:127.0.0.1]:${victim.port}/`, {}, /loopback/));
  it("refuses IPv4-compatible IPv6 [::127.0.0.1]", () =>
    expectRefused(`http://[::127.0.0.1]:${victim.port}/`, {}, /reserved IPv6/));
  it("refuses 6to4 [2002:7f00:1::1] embedding 127.0.0.1", () =>
    expectRefused(`http://[2002:7f00:1::1]:${victim.port}/`, {}, /6to4 address embedding 127\.0\.0\.1/));
  it("refuses NAT64 [64:ff9b::7f00:1] embedding 127.0.0.1", () =>
    expectRefused(`http://[64:ff9b::7f00:1]:${victim.port}/`, {}, /NAT64 address embedding 127\.0\.0\.1/));
  it("refuses 10.0.0.1", () => expectRefused("http://10.0.0.1/", {}, /private network/));
  it("refuses 172.16.0.1", () => expectRefused("http://172.16.0.1/", {}, /private network/));
  it("refuses 192.168.1.1", () => expectRefused("http://192.168.1.1/", {}, /private network/));
  it("refuses the cloud metadata address 169.254.169.254", () =>
    expectRefused("http://169.254.169.254/latest/meta-data/", {}, /link-local/));
  it("refuses unique-local IPv6 fd00::1", () => expectRefused("http://[fd00::1]/", {}, /unique-local/));
  it("refuses link-local IPv6 fe80::1", () => expectRefused("http://[fe80::1]/", {}, /link-local/));
  it("refuses carrier-grade NAT 100.64.0.1", () => expectRefused("http://100.64.0.1/", {}, /carrier-grade NAT/));
  it("refuses broadcast and multicast", async () => {
    await expectRefused("http://255.255.255.255/", {}, /broadcast/);
    await expectRefused("http://224.0.0.1/", {}, /multicast/);
    await expectRefused("http://[ff02::1]/", {}, /multicast/);
  });
  it("refuses a loopback address other than the one allowed", () =>
    expectRefused(`http://127.0.0.1:${victim.port}/`, { allowPrivateNetwork: ["127.0.0.2/32"] }));
});

describe("SSRF: DNS names", () => {
  it("refuses a name resolving to 127.0.0.1", async () => {
    const dns = fakeDns({ "innocent.test": ["127.0.0.1"] });
    await expectRefused(`http://innocent.test:${victim.port}/`, { resolve: dns.resolve }, /resolves to 127\.0\.0\.1/);
    expect(dns.calls).toEqual(["innocent.test"]);
  });

  it("refuses a name with one public and one private address", async () => {
    const dns = fakeDns({ "mixed.test": ["93.184.216.34", "10.1.2.3"] });
    await expectRefused("http://mixed.test/", { resolve: dns.resolve }, /10\.1\.2\.3/);
  });

  it("refuses a name resolving to IPv4-mapped loopback", async () => {
    const dns = fakeDns({ "mapped.test": ["::ffff:127.0.0.1"] });
    await expectRefused(`http://mapped.test:${victim.port}/`, { resolve: dns.resolve });
  });

  it("connects to the validated address even when DNS answers differently afterwards (rebinding)", async () => {
    let answers = 0;
    const dns = fakeDns({ "rebind.test": () => (answers++ === 0 ? ["127.0.0.2"] : ["127.0.0.1"]) });
    const get = httpGetTool({ resolve: dns.resolve, allowPrivateNetwork: ["127.0.0.2/32"] });
    const out = await get.execute({ url: `http://rebind.test:${victim.port}/` }, context());
    expect(out.body).toBe("validated address");
    expect(sameProtocolPort.hits).toEqual(["GET /"]);
    expect(dns.calls).toEqual(["rebind.test"]);
    victimsUntouched();
  });
});

describe("SSRF: redirects", () => {
  const allowRedirector = { allowPrivateNetwork: ["127.0.0.2/32"] };
  const via = (to: string) => `http://127.0.0.2:${redirector.port}/?to=${encodeURIComponent(to)}`;

  it("refuses an allowed host redirecting to 127.0.0.1", async () => {
    await expectRefused(via(`http://127.0.0.1:${victim.port}/admin`), allowRedirector, /loopback/);
    expect(redirector.hits).toHaveLength(1);
  });

  it("refuses a redirect to a DNS name resolving to loopback", async () => {
    const dns = fakeDns({ "internal.test": ["127.0.0.1"] });
    await expectRefused(via(`http://internal.test:${victim.port}/`), { ...allowRedirector, resolve: dns.resolve });
    expect(dns.calls).toEqual(["internal.test"]);
  });

  it("refuses a redirect to the metadata service", () =>
    expectRefused(via("http://169.254.169.254/latest/meta-data/"), allowRedirector, /link-local/));

  it("refuses a redirect to file://", () =>
    expectRefused(via("file:///etc/passwd"), allowRedirector, /scheme 'file:'/));

  it("refuses a redirect to a host outside allowHosts", async () => {
    const dns = fakeDns({ "allowed.test": ["127.0.0.2"], "other.test": ["127.0.0.2"] });
    const options = { ...allowRedirector, resolve: dns.resolve, allowHosts: ["allowed.test"] };
    const url = `http://allowed.test:${redirector.port}/?to=${encodeURIComponent(`http://other.test:${redirector.port}/`)}`;
    await expectRefused(url, options, /'other\.test' is not on the allow list/);
  });

  it("stops after maxRedirects", async () => {
    await expectRefused(
      `http://127.0.0.2:${redirector.port}/loop/0`,
      { ...allowRedirector, maxRedirects: 3 },
      /3 redirect/,
    );
    expect(redirector.hits).toEqual(["GET /loop/0", "GET /loop/1", "GET /loop/2", "GET /loop/3"]);
  });
});

describe("SSRF: schemes, credentials and headers", () => {
  it.each([
    "file:///etc/passwd",
    "ftp://127.0.0.1/",
    "gopher://127.0.0.1:6379/_INFO",
    "data:text/plain,hello",
    "javascript:alert(1)",
    "ws://127.0.0.1/",
  ])("refuses the scheme of %s", (url) => expectRefused(url, {}, /scheme/));

  it("refuses userinfo tricks like http://evil.test@127.0.0.1", () =>
    expectRefused(`http://evil.test@127.0.0.1:${victim.port}/`, { allowPrivateNetwork: true }, /user name/));

  it("refuses an allowed address used as userinfo in front of the victim", () =>
    expectRefused(`http://127.0.0.2:${redirector.port}@127.0.0.1:${victim.port}/`, {
      allowPrivateNetwork: ["127.0.0.2/32"],
    }));

  it("refuses CRLF in a header value before connecting", async () => {
    const get = httpGetTool({ allowPrivateNetwork: ["127.0.0.2/32"] });
    const attempt = get.execute(
      { url: `http://127.0.0.2:${redirector.port}/`, headers: { "X-Note": "a\r\nX-Injected: 1" } },
      context(),
    );
    await expect(attempt).rejects.toBeInstanceOf(ToolSafetyError);
    await expect(attempt).rejects.toThrow(/header injection/);
    expect(redirector.hits).toEqual([]);
  });

  it("refuses a header name carrying CRLF and framing headers", async () => {
    const get = httpGetTool({ allowPrivateNetwork: ["127.0.0.2/32"] });
    const url = `http://127.0.0.2:${redirector.port}/`;
    await expect(get.execute({ url, headers: { "X-A\r\nX-B": "1" } }, context())).rejects.toBeInstanceOf(
      ToolSafetyError,
    );
    await expect(get.execute({ url, headers: { Host: "127.0.0.1" } }, context())).rejects.toThrow(/cannot be set/);
    await expect(get.execute({ url, headers: { "X-A": "bell\u0007" } }, context())).rejects.toThrow(/control/);
    await expect(get.execute({ url, headers: { "Transfer-Encoding": "chunked" } }, context())).rejects.toThrow(
      /cannot be set/,
    );
  });
});

describe("SSRF: response limits", () => {
  let hose: Loopback;
  let hoseClosed = false;
  beforeAll(async () => {
    hose = await listen("127.0.0.2", (req, res) => {
      if (req.url === "/bomb") {
        // 20 MB of zeros compress to about 20 kB: the limit must apply to the decompressed bytes.
        res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" });
        res.end(gzipSync(Buffer.alloc(20_000_000)));
        return;
      }
      res.writeHead(200, { "content-type": "text/plain" });
      res.on("close", () => {
        hoseClosed = true;
      });
      const chunk = Buffer.alloc(16_384, "a");
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
    });
  });
  afterAll(() => close(hose));

  it("cuts off an endless body at maxResponseBytes and closes the connection", async () => {
    const get = httpGetTool({ allowPrivateNetwork: ["127.0.0.2/32"], maxResponseBytes: 50_000 });
    const out = await get.execute({ url: `http://127.0.0.2:${hose.port}/endless` }, context());
    expect(out.truncated).toBe(true);
    expect((out.body as string).length).toBe(50_000);
    await expect.poll(() => hoseClosed).toBe(true);
  });

  it("applies the limit to decompressed bytes (gzip bomb)", async () => {
    const res = await requestWithPolicy(
      { url: `http://127.0.0.2:${hose.port}/bomb` },
      { allowPrivateNetwork: ["127.0.0.2/32"], maxResponseBytes: 100_000 },
    );
    expect(res.truncated).toBe(true);
    expect(res.bytes.length).toBe(100_000);
  });
});

describe("SSRF: allow and deny lists", () => {
  const dns = fakeDns({
    "api.test": ["127.0.0.2"],
    "v1.api.test": ["127.0.0.2"],
    "evilapi.test": ["127.0.0.2"],
    "other.test": ["127.0.0.2"],
  });
  const base = { resolve: dns.resolve, allowPrivateNetwork: ["127.0.0.2/32"] };
  const url = (host: string) => `http://${host}:${redirector.port}/`;

  it("reaches a host on allowHosts and refuses others", async () => {
    const get = httpGetTool({ ...base, allowHosts: ["api.test"] });
    expect((await get.execute({ url: url("api.test") }, context())).status).toBe(200);
    await expectRefused(url("other.test"), { ...base, allowHosts: ["api.test"] }, /not on the allow list/);
    await expectRefused(url("v1.api.test"), { ...base, allowHosts: ["api.test"] });
  });

  it("matches *.suffix against subdomains only", async () => {
    const options = { ...base, allowHosts: ["*.api.test"] };
    expect((await httpGetTool(options).execute({ url: url("v1.api.test") }, context())).status).toBe(200);
    await expectRefused(url("api.test"), options);
    await expectRefused(url("evilapi.test"), options);
  });

  it("lets denyHosts win over allowHosts", () =>
    expectRefused(url("api.test"), { ...base, allowHosts: ["*.test", "api.test"], denyHosts: ["api.test"] }, /deny/));
});

describe("address classification", () => {
  const policy = resolveNetPolicy();
  it.each([
    "127.0.0.53",
    "0.1.2.3",
    "10.255.255.255",
    "172.31.0.1",
    "192.0.2.10",
    "198.18.0.1",
    "240.0.0.1",
    "::",
    "::ffff:10.0.0.1",
    "::ffff:0:7f00:1",
    "64:ff9b:1::a00:1",
    "2001:db8::1",
    "2001:0:4136:e378:8000:63bf:80ff:fffe",
    "fec0::1",
    "100::1",
  ])("blocks %s", (address) => {
    expect(blockedAddressReason(address, policy)).toBeTypeOf("string");
  });

  it.each([
    "93.184.216.34",
    "8.8.8.8",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "2002:808:808::1",
    "64:ff9b::808:808",
  ])("allows the public address %s", (address) => {
    expect(blockedAddressReason(address, policy)).toBeUndefined();
  });

  it("allows exactly the listed ranges", () => {
    const p = resolveNetPolicy({ allowPrivateNetwork: ["10.1.0.0/16", "fd00::1"] });
    expect(blockedAddressReason("10.1.2.3", p)).toBeUndefined();
    expect(blockedAddressReason("10.2.0.1", p)).toBeTypeOf("string");
    expect(blockedAddressReason("fd00::1", p)).toBeUndefined();
    expect(blockedAddressReason("fd00::2", p)).toBeTypeOf("string");
  });

  it("rejects a malformed CIDR in the policy", () => {
    expect(() => resolveNetPolicy({ allowPrivateNetwork: ["127.0.0.1/33"] })).toThrow(/not an IP address or CIDR/);
    expect(() => resolveNetPolicy({ allowHosts: ["http://x.test/"] })).toThrow(/not a host pattern/);
  });
});
