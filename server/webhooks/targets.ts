// Where webhooks may go (SSRF): with private targets refused, a URL whose host is — or resolves
// to — a loopback, private, link-local, carrier-grade NAT, multicast or otherwise reserved
// address is refused, at creation and again at every delivery (the connection uses the address
// that was checked, so a DNS answer that changes in between cannot redirect it).
import dns from 'node:dns';
import net from 'node:net';

const blocked = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  // ::/96 holds ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d (also written ::7f00:1); IPv4-mapped
  // (::ffff:a.b.c.d) is judged by its IPv4 address in isPrivateAddress (a ::ffff:0:0/96 rule here would
  // match every IPv4 address: BlockList checks IPv4 against IPv6 rules in that form);
  // ::ffff:0:0:0/96 IPv4-translated; NAT64
  // (64:ff9b::/96, 64:ff9b:1::/48) and 6to4 (2002::/16) embed IPv4 addresses too.
  ['::', 96], ['::ffff:0:0:0', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['2002::', 16],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) blocked.addSubnet(network, prefix, 'ipv6');

/** True for an address no webhook may reach when private targets are refused. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms are judged by their IPv4 address.
  const mapped = /^::(ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[2]!);
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hexMapped) {
    const [hi, lo] = [parseInt(hexMapped[1]!, 16), parseInt(hexMapped[2]!, 16)];
    return isPrivateAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return blocked.check(address, 'ipv6');
}

export class RefusedTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedTargetError';
  }
}

/** The only refusal message: not whether the name resolved, nor to what. */
const REFUSED = 'the host is not a public internet address (private, loopback and reserved addresses, and names that do not resolve to a public one, are refused)';

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** Checks a URL's host (and every address it resolves to) now; throws RefusedTargetError. */
export async function assertPublicTarget(url: URL): Promise<void> {
  const host = hostOf(url);
  const addresses = net.isIP(host) ? [host] : (await dns.promises.lookup(host, { all: true, verbatim: true }).catch(() => [])).map((entry) => entry.address);
  // One answer for "does not resolve" and "is private", naming no address: the refusal must not
  // tell a user which internal names exist or what they resolve to.
  if (!addresses.length || addresses.some(isPrivateAddress)) throw new RefusedTargetError(REFUSED);
}

/**
 * A `lookup` for http.request that refuses private answers, so the address connected to is
 * the one checked.
 */
export const publicOnlyLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true, verbatim: true }, (error, entries) => {
    if (error) return (callback as (e: NodeJS.ErrnoException | null, a: dns.LookupAddress[]) => void)(error, []);
    const list = entries as dns.LookupAddress[];
    const bad = list.find((entry) => isPrivateAddress(entry.address));
    if (bad || !list.length) {
      const refused = new RefusedTargetError(REFUSED);
      return (callback as (e: NodeJS.ErrnoException | null, a: dns.LookupAddress[]) => void)(refused, []);
    }
    if (options.all) return (callback as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    return (callback as (e: null, a: string, f: number) => void)(null, list[0]!.address, list[0]!.family);
  });
};
