// Who the client is: the one answer every rate limit uses.
//
// Next.js does not hand a route handler its socket: its server only fills in
// `X-Forwarded-For` with the socket's address when the request has no such header
// (node_modules/next/dist/server/base-server.js: `req.headers['x-forwarded-for'] ??=
// socket.remoteAddress`), so a client that sends a made-up header would hide its address.
// `recordSocketAddress` (installed at start-up by instrumentation.ts, server/startup.ts)
// therefore appends the socket peer to the header of every request the process receives,
// the way a proxy does (nginx's `$proxy_add_x_forwarded_for`). The rightmost entry is then
// always the socket peer, and the entries to its left are claims made by whoever connected.
//
// `clientAddress` reads it from the right, as TRUSTED_PROXIES says (server/env.ts):
// - a hop count N (default 0): N proxies we run append to the header, so the entry N places
//   left of the rightmost is the client (0: the socket peer itself; the header is ignored);
// - a CIDR list: entries from the right that fall in the list are our proxies and are skipped;
//   the first one that does not is the client.
// Entries a client made up are to the left of what our own proxies appended, so they are never
// read: a new made-up value cannot buy a fresh allowance.
import http from 'node:http';
import { BlockList, isIP } from 'node:net';
import { env, type Cidr } from '@/server/env';
import { addGateStep } from '@/server/request-gate';

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

/** An address as the header or the socket wrote it, without port, brackets or IPv4-mapping. */
function normalizeAddress(entry: string): string {
  let value = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(value);
  if (mapped) value = mapped[1]!;
  return value.toLowerCase().slice(0, 64);
}

function forwardedFor(headers: HeaderSource): string[] {
  const raw = headers instanceof Headers ? headers.get('x-forwarded-for') : headers['x-forwarded-for'];
  const joined = Array.isArray(raw) ? raw.join(',') : raw;
  if (!joined) return [];
  return joined
    .split(',')
    .map(normalizeAddress)
    .filter((entry) => entry !== '');
}

const blockLists = new WeakMap<Cidr[], BlockList>();

function trustedBlockList(cidrs: Cidr[]): BlockList {
  let list = blockLists.get(cidrs);
  if (!list) {
    list = new BlockList();
    for (const cidr of cidrs) list.addSubnet(cidr.address, cidr.prefix, cidr.family);
    blockLists.set(cidrs, list);
  }
  return list;
}

function isTrusted(address: string, list: BlockList): boolean {
  const version = isIP(address);
  return version !== 0 && list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The client's address for rate limits: the X-Forwarded-For entry TRUSTED_PROXIES designates,
 * counted from the right (see the module header), or null when the request carries no address
 * at all (a call that did not come through the HTTP server, such as a test's direct call).
 */
export function clientAddress(headers: HeaderSource): string | null {
  const entries = forwardedFor(headers);
  if (entries.length === 0) return null;
  const trusted = env.TRUSTED_PROXIES;
  if ('hops' in trusted) return entries[Math.max(0, entries.length - 1 - trusted.hops)]!;
  const list = trustedBlockList(trusted.cidrs);
  for (let index = entries.length - 1; index >= 0; index -= 1) {
    if (!isTrusted(entries[index]!, list)) return entries[index]!;
  }
  // Every entry is one of ours: the leftmost is as close to the client as we know.
  return entries[0]!;
}

/** Appends the socket peer's address to X-Forwarded-For, as a proxy would. */
export function appendSocketAddress(request: http.IncomingMessage): void {
  const peer = request.socket?.remoteAddress;
  if (!peer) return;
  const existing = request.headers['x-forwarded-for'];
  const joined = Array.isArray(existing) ? existing.join(', ') : existing;
  request.headers['x-forwarded-for'] = joined ? `${joined}, ${peer}` : peer;
}

/**
 * Makes every HTTP server in this process record the socket peer in X-Forwarded-For before
 * anything (Next included) sees the request (server/request-gate.ts). Idempotent. Called once at start-up.
 */
export function recordSocketAddress(): void {
  addGateStep('socket address', (request) => appendSocketAddress(request));
}
