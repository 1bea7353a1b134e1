import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv, resetEnvForTests } from '@/server/env';
import { appendSocketAddress, clientAddress, recordSocketAddress } from './client-address';

function withTrustedProxies(value: string | undefined) {
  if (value === undefined) delete process.env.TRUSTED_PROXIES;
  else process.env.TRUSTED_PROXIES = value;
  resetEnvForTests();
}

afterEach(() => withTrustedProxies(undefined));

const xff = (value: string) => new Headers({ 'x-forwarded-for': value });

describe('clientAddress', () => {
  it('by default is the socket peer (the rightmost entry): whatever the client wrote is ignored', () => {
    expect(clientAddress(xff('203.0.113.7'))).toBe('203.0.113.7');
    expect(clientAddress(xff('1.2.3.4, 5.6.7.8, 203.0.113.7'))).toBe('203.0.113.7');
    expect(clientAddress({ 'x-forwarded-for': ['made-up', '198.51.100.2'] })).toBe('198.51.100.2');
    expect(clientAddress(new Headers())).toBeNull();
  });

  it('with a hop count, skips that many proxies of ours from the right', () => {
    withTrustedProxies('1');
    // client → our proxy (appends the client) → app (appends the proxy as socket peer)
    expect(clientAddress(xff('made-up, 203.0.113.9, 10.0.0.5'))).toBe('203.0.113.9');
    withTrustedProxies('2');
    expect(clientAddress(xff('made-up, 203.0.113.9, 10.0.0.4, 10.0.0.5'))).toBe('203.0.113.9');
    // Fewer entries than hops: the leftmost is as close as we know.
    expect(clientAddress(xff('10.0.0.5'))).toBe('10.0.0.5');
  });

  it('with a CIDR list, skips entries from our proxies and takes the first other one from the right', () => {
    withTrustedProxies('10.0.0.0/8, 127.0.0.1, fd00::/8');
    expect(clientAddress(xff('made-up, 198.51.100.4, 10.1.2.3, 127.0.0.1'))).toBe('198.51.100.4');
    expect(clientAddress(xff('2001:db8::1, fd00::2'))).toBe('2001:db8::1');
    // A client that is not behind our proxies at all is the socket peer itself.
    expect(clientAddress(xff('10.0.0.1, 198.51.100.5'))).toBe('198.51.100.5');
    // Every entry ours: the leftmost.
    expect(clientAddress(xff('10.0.0.1, 10.0.0.2'))).toBe('10.0.0.1');
  });

  it('normalizes ports, brackets and IPv4-mapped IPv6 addresses', () => {
    expect(clientAddress(xff('198.51.100.6:4431'))).toBe('198.51.100.6');
    expect(clientAddress(xff('[2001:DB8::7]:443'))).toBe('2001:db8::7');
    expect(clientAddress(xff('::ffff:198.51.100.8'))).toBe('198.51.100.8');
  });

  it('TRUSTED_PROXIES accepts a hop count or CIDR blocks and names anything else', () => {
    const base = { DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db', NEXTAUTH_SECRET: 'x'.repeat(32), ACCOUNT_TOKEN_SECRET: 'y'.repeat(32), INNGEST_DEV: '1' };
    expect(loadEnv(base).TRUSTED_PROXIES).toEqual({ hops: 0 });
    expect(loadEnv({ ...base, TRUSTED_PROXIES: '2' }).TRUSTED_PROXIES).toEqual({ hops: 2 });
    expect(loadEnv({ ...base, TRUSTED_PROXIES: '10.0.0.0/8,::1' }).TRUSTED_PROXIES).toEqual({
      cidrs: [
        { address: '10.0.0.0', prefix: 8, family: 'ipv4' },
        { address: '::1', prefix: 128, family: 'ipv6' },
      ],
    });
    expect(() => loadEnv({ ...base, TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadEnv({ ...base, TRUSTED_PROXIES: 'proxy.internal' })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadEnv({ ...base, TRUSTED_PROXIES: '11' })).toThrow(/TRUSTED_PROXIES/);
  });
});

describe('recording the socket peer', () => {
  it('appends the peer to whatever X-Forwarded-For a client sent, on every HTTP server of the process', async () => {
    recordSocketAddress();
    recordSocketAddress(); // idempotent: appended once
    const seen: (string | string[] | undefined)[] = [];
    const server = http.createServer((request, response) => {
      seen.push(request.headers['x-forwarded-for']);
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '6.6.6.6' } });
      await fetch(`http://127.0.0.1:${port}/`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(seen).toEqual(['6.6.6.6, 127.0.0.1', '127.0.0.1']);
    expect(clientAddress({ 'x-forwarded-for': seen[0] })).toBe('127.0.0.1');
  });

  it('appendSocketAddress leaves a request without a socket address alone', () => {
    const request = { socket: {}, headers: { 'x-forwarded-for': '1.2.3.4' } } as unknown as http.IncomingMessage;
    appendSocketAddress(request);
    expect(request.headers['x-forwarded-for']).toBe('1.2.3.4');
  });
});
