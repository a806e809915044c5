/**
 * Network policy for tools that reach the network: which hosts and addresses a request may go to.
 * By default only public hosts are reachable; loopback, private, link-local (cloud metadata),
 * CGNAT, multicast and reserved addresses are refused, also when a DNS name or an IPv6 embedding
 * points at them.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { createRequire } from "node:module";
import { isIP } from "node:net";
import type { IPv4, IPv6 } from "ipaddr.js";
import { InvalidArgumentError, ToolExecutionError, ToolSafetyError } from "../../spec/errors.js";

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface NetPolicy {
  /** Hosts that may be reached: exact names (`api.example.com`) or `*.example.com` (subdomains only). Unset: any public host. */
  allowHosts?: string[];
  /** Hosts that are always refused, same patterns as `allowHosts`; wins over `allowHosts`. */
  denyHosts?: string[];
  /**
   * `true` allows every address (loopback and private included). A list of CIDRs or addresses
   * (`["127.0.0.1/32", "10.1.0.0/16"]`) allows just those. Default: none.
   */
  allowPrivateNetwork?: boolean | string[];
  /** Response bodies are cut off past this many bytes (after decompression). Default 1 MB. */
  maxResponseBytes?: number;
  /** Redirects followed at most; each hop is checked again. Default 5. */
  maxRedirects?: number;
  /** Time limit for the whole exchange, redirects and body included. Default 30 000 ms. */
  timeoutMs?: number;
  /** Resolves a host name to every address it has. Default: `dns.lookup` with `all: true`. */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
}

/** A policy with defaults applied and its CIDRs parsed. */
export interface ResolvedNetPolicy {
  allowHosts?: string[];
  denyHosts: string[];
  allowAllAddresses: boolean;
  allowedRanges: Array<[IPv4 | IPv6, number]>;
  maxResponseBytes: number;
  maxRedirects: number;
  timeoutMs: number;
  resolve: (hostname: string) => Promise<ResolvedAddress[]>;
}

/** Where a checked request may connect: the URL and the one validated address to use for it. */
export interface CheckedTarget {
  url: URL;
  /** The host without IPv6 brackets or a trailing dot, lower case. */
  hostname: string;
  address: string;
  family: 4 | 6;
}

type IpAddr = typeof import("ipaddr.js");
let ipaddrModule: IpAddr | undefined;
/** ipaddr.js, loaded on first use so that importing weft stays cheap. */
function ipaddrLib(): IpAddr {
  ipaddrModule ??= createRequire(import.meta.url)("ipaddr.js") as IpAddr;
  return ipaddrModule;
}

const DEFAULTS = { maxResponseBytes: 1_000_000, maxRedirects: 5, timeoutMs: 30_000 };
const HOST_PATTERN = /^(\*\.)?[a-z0-9_.:-]+$/;

async function systemResolve(hostname: string): Promise<ResolvedAddress[]> {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

function normaliseHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  return h.endsWith(".") ? h.slice(0, -1) : h;
}

function hostPatterns(list: string[] | undefined, argument: string): string[] | undefined {
  if (list === undefined) return undefined;
  return list.map((raw) => {
    const pattern = normaliseHost(raw);
    if (!HOST_PATTERN.test(pattern)) {
      throw new InvalidArgumentError({
        argument,
        message: `'${raw}' in ${argument} is not a host pattern: use an exact host name ("api.example.com") or "*.example.com".`,
      });
    }
    return pattern;
  });
}

/**
 * Applies the defaults and validates a policy; throws InvalidArgumentError for a bad CIDR or limit.
 *
 * @example
 * resolveNetPolicy({ allowPrivateNetwork: ["127.0.0.1/32"] }).maxRedirects; // 5
 */
export function resolveNetPolicy(policy: NetPolicy = {}): ResolvedNetPolicy {
  const allowedRanges: ResolvedNetPolicy["allowedRanges"] = [];
  if (Array.isArray(policy.allowPrivateNetwork)) {
    for (const entry of policy.allowPrivateNetwork) {
      try {
        allowedRanges.push(
          entry.includes("/") ? ipaddrLib().parseCIDR(entry) : [ipaddrLib().parse(entry), isIP(entry) === 6 ? 128 : 32],
        );
      } catch {
        throw new InvalidArgumentError({
          argument: "allowPrivateNetwork",
          message: `'${entry}' in allowPrivateNetwork is not an IP address or CIDR range; write it like "127.0.0.1/32" or "fd00::/8".`,
        });
      }
    }
  }
  for (const key of ["maxResponseBytes", "maxRedirects", "timeoutMs"] as const) {
    const value = policy[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new InvalidArgumentError({
        argument: key,
        message: `${key} must be a non-negative integer, got ${value}.`,
      });
    }
  }
  return {
    allowHosts: hostPatterns(policy.allowHosts, "allowHosts"),
    denyHosts: hostPatterns(policy.denyHosts, "denyHosts") ?? [],
    allowAllAddresses: policy.allowPrivateNetwork === true,
    allowedRanges,
    maxResponseBytes: policy.maxResponseBytes ?? DEFAULTS.maxResponseBytes,
    maxRedirects: policy.maxRedirects ?? DEFAULTS.maxRedirects,
    timeoutMs: policy.timeoutMs ?? DEFAULTS.timeoutMs,
    resolve: policy.resolve ?? systemResolve,
  };
}

/** Whether `host` matches one pattern: exact, or `*.suffix` for any subdomain of suffix. */
export function hostMatches(host: string, pattern: string): boolean {
  const h = normaliseHost(host);
  if (pattern.startsWith("*.")) return h.endsWith(pattern.slice(1)) && h.length > pattern.length - 1;
  return h === pattern;
}

const V4_REASONS: Record<string, string> = {
  unspecified: "an unspecified 'this host' address",
  broadcast: "the broadcast address",
  multicast: "a multicast address",
  linkLocal: "a link-local address (cloud metadata services live here)",
  loopback: "a loopback address",
  carrierGradeNat: "a carrier-grade NAT address",
  private: "a private network address",
  reserved: "a reserved address",
};

function v4Reason(address: IPv4): string | undefined {
  const range = address.range();
  return range === "unicast" ? undefined : (V4_REASONS[range] ?? `a special-purpose address (${range})`);
}

function v4FromParts(high: number, low: number): IPv4 {
  return new (ipaddrLib().IPv4)([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

const GLOBAL_UNICAST_V6 = "2000::/3";
const NAT64_WELL_KNOWN = "64:ff9b::/96";
const cidr = (range: string) => ipaddrLib().parseCIDR(range);

/** IPv6 forms that carry an IPv4 address a relay or translator may forward to. */
function embeddedV4(address: IPv6): Array<{ v4: IPv4; via: string }> {
  const p = address.parts as [number, number, number, number, number, number, number, number];
  switch (address.range()) {
    case "rfc6145":
      return [{ v4: v4FromParts(p[6], p[7]), via: "an IPv4-translated address" }];
    case "rfc6052":
      return address.match(cidr(NAT64_WELL_KNOWN)) ? [{ v4: v4FromParts(p[6], p[7]), via: "a NAT64 address" }] : [];
    case "6to4":
      return [{ v4: v4FromParts(p[1], p[2]), via: "a 6to4 address" }];
    case "teredo":
      // The Teredo client address is stored bit-inverted in the last 32 bits; the server in bits 32-63.
      return [
        { v4: v4FromParts(p[2], p[3]), via: "a Teredo address" },
        { v4: v4FromParts(p[6] ^ 0xffff, p[7] ^ 0xffff), via: "a Teredo address" },
      ];
    default:
      return [];
  }
}

function v6Reason(address: IPv6): string | undefined {
  const embedded = embeddedV4(address);
  for (const { v4, via } of embedded) {
    const reason = v4Reason(v4);
    if (reason) return `${via} embedding ${v4.toString()}, ${reason}`;
  }
  if (embedded.length > 0) return undefined;
  const range = address.range();
  if (range !== "unicast") {
    const names: Record<string, string> = {
      unspecified: "the unspecified address",
      loopback: "a loopback address",
      linkLocal: "a link-local address",
      uniqueLocal: "a unique-local (private) address",
      multicast: "a multicast address",
    };
    return names[range] ?? `a special-purpose IPv6 address (${range})`;
  }
  // Outside 2000::/3 nothing is assigned for public use; this also covers IPv4-compatible ::a.b.c.d.
  return address.match(cidr(GLOBAL_UNICAST_V6)) ? undefined : "a reserved IPv6 address outside 2000::/3";
}

/**
 * Why an address is refused under the policy, or undefined when it may be reached.
 *
 * @example
 * blockedAddressReason("169.254.169.254", resolveNetPolicy()); // "a link-local address (cloud metadata ...)"
 * blockedAddressReason("93.184.216.34", resolveNetPolicy()); // undefined
 */
export function blockedAddressReason(address: string, policy: ResolvedNetPolicy): string | undefined {
  if (policy.allowAllAddresses) return undefined;
  let parsed: IPv4 | IPv6;
  try {
    parsed = ipaddrLib().parse(address);
  } catch {
    return "not a valid IP address";
  }
  // ::ffff:a.b.c.d reaches a.b.c.d on dual-stack sockets, so it is judged as that IPv4 address.
  if (parsed.kind() === "ipv6" && (parsed as IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as IPv6).toIPv4Address();
  }
  const target = parsed;
  if (policy.allowedRanges.some(([net, bits]) => net.kind() === target.kind() && target.match(net, bits))) {
    return undefined;
  }
  return target.kind() === "ipv4" ? v4Reason(target as IPv4) : v6Reason(target as IPv6);
}

/**
 * Checks a URL against the policy before any connection: scheme, credentials, host lists, and every
 * address the host resolves to. Returns the one validated address the connection must use.
 * Throws ToolSafetyError when refused, ToolExecutionError when the URL or name is unusable.
 */
export async function checkUrl(raw: string | URL, policy: ResolvedNetPolicy, tool: string): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch (cause) {
    throw new ToolExecutionError({
      tool,
      message: `'${String(raw).slice(0, 200)}' is not an absolute URL; pass one like "https://example.com/path".`,
      cause,
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ToolSafetyError({
      tool,
      message: `The URL scheme '${url.protocol}' is not allowed; only http: and https: URLs can be requested.`,
    });
  }
  if (url.username || url.password) {
    throw new ToolSafetyError({
      tool,
      message: "URLs with a user name or password (user@host) are refused; send credentials in a header instead.",
    });
  }
  const hostname = normaliseHost(url.hostname);
  if (policy.denyHosts.some((p) => hostMatches(hostname, p))) {
    throw new ToolSafetyError({ tool, message: `The host '${hostname}' is on the deny list of the network policy.` });
  }
  if (policy.allowHosts && !policy.allowHosts.some((p) => hostMatches(hostname, p))) {
    throw new ToolSafetyError({
      tool,
      message: `The host '${hostname}' is not on the allow list (${policy.allowHosts.join(", ") || "empty"}); add it to allowHosts to reach it.`,
    });
  }
  const family = isIP(hostname);
  let addresses: ResolvedAddress[];
  if (family !== 0) {
    addresses = [{ address: hostname, family: family === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await policy.resolve(hostname);
    } catch (cause) {
      throw new ToolExecutionError({
        tool,
        message: `Could not resolve the host '${hostname}'; check the spelling or the network.`,
        cause,
        retryable: true,
      });
    }
    if (addresses.length === 0) {
      throw new ToolExecutionError({ tool, message: `The host '${hostname}' has no addresses.` });
    }
  }
  // One bad address is enough to refuse: the OS could pick any of them, and a DNS answer mixing
  // public and internal addresses is a classic way around single-address checks.
  for (const { address } of addresses) {
    const reason = blockedAddressReason(address, policy);
    if (reason) {
      const via = family === 0 ? `'${hostname}' resolves to ${address}, which is` : `${address} is`;
      throw new ToolSafetyError({
        tool,
        message: `Refused ${url.origin}: ${via} ${reason}. Only public hosts are reachable; to allow it, add "${address}" to allowPrivateNetwork in the network policy.`,
      });
    }
  }
  const first = addresses[0] as ResolvedAddress;
  return { url, hostname, address: first.address, family: first.family };
}
