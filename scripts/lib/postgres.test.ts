// The embedded PostgreSQL's roles are not reachable with public passwords: a fresh cluster's
// superuser and app role have the passwords the caller keeps (secrets.json for `npm run dev`),
// and a cluster made when they were postgres/postgres and directpay_app/directpay_app is moved
// to the caller's at its next start — but not by a read-only opening (existingOnly).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '@/server/testing/temp-dir';
import { randomPassword, startEmbeddedPostgres, withCredentials, type RunningPostgres } from './postgres';

/** 'ok', or the error code PostgreSQL answers (28P01: password authentication failed). */
async function signIn(url: string, user: string, password: string): Promise<string> {
  const client = new pg.Client({ connectionString: withCredentials(url, user, password), connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return 'ok';
  } catch (error) {
    return String((error as { code?: string }).code ?? error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A program that listens on a free loopback port, prints it, then prints "connected" for each connection. */
const IMPOSTOR = `const s = require('node:net').createServer((c) => { process.stdout.write('connected'); c.destroy(); }); s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port)));`;

/** A data directory the server's own user may enter (under root it runs as `postgres`). */
function clusterDir(): string {
  const parent = testTempDir('directpay-pg-passwords-');
  fs.chmodSync(parent, 0o755);
  return `${parent}/postgres`;
}

async function stopped<T>(server: RunningPostgres, check: (server: RunningPostgres) => Promise<T>): Promise<T> {
  try {
    return await check(server);
  } finally {
    await server.stop();
  }
}

/** The roles sign in with `passwords` and no longer with the old public ones (28P01: wrong password). */
async function expectOnlyPasswords(url: string, passwords: { superuser: string; app: string }): Promise<void> {
  expect(await signIn(url, 'postgres', 'postgres')).toBe('28P01');
  expect(await signIn(url, 'directpay_app', 'directpay_app')).toBe('28P01');
  expect(await signIn(url, 'postgres', passwords.superuser)).toBe('ok');
  expect(await signIn(url, 'directpay_app', passwords.app)).toBe('ok');
}

describe('the embedded PostgreSQL', () => {
  it('gives a fresh cluster the passwords it is handed: the public ones do not sign in', { timeout: 180_000 }, async () => {
    const passwords = { superuser: randomPassword(), app: randomPassword() };
    const server = await startEmbeddedPostgres({ dir: clusterDir(), persistent: true, passwords });
    await stopped(server, async () => {
      await expectOnlyPasswords(server.url('postgres'), passwords);
      expect(server.appRole).toEqual({ user: 'directpay_app', password: passwords.app });
    });
  });

  it('moves a cluster still on the public passwords to the kept ones at start, and a read-only opening changes nothing', { timeout: 300_000 }, async () => {
    const dir = clusterDir();
    // A cluster as earlier versions made it.
    const legacy = { superuser: 'postgres', app: 'directpay_app' };
    await (await startEmbeddedPostgres({ dir, persistent: true, passwords: legacy })).stop();

    const passwords = { superuser: randomPassword(), app: randomPassword() };
    const readOnly = await startEmbeddedPostgres({ dir, persistent: true, existingOnly: true, passwords });
    await stopped(readOnly, async () => {
      expect(await signIn(readOnly.url('postgres'), 'postgres', 'postgres')).toBe('ok');
      expect(await signIn(readOnly.url('postgres'), 'directpay_app', 'directpay_app')).toBe('ok');
    });

    const lines: string[] = [];
    const server = await startEmbeddedPostgres({ dir, persistent: true, passwords, log: (line) => lines.push(line) });
    await stopped(server, async () => {
      await expectOnlyPasswords(server.url('postgres'), passwords);
      expect(lines).toContain("the PostgreSQL superuser's public password was replaced by the one in secrets.json");
    });
  });

  it('reuses its own server left running, but never a stranger on the port a killed run left in the port file', { timeout: 300_000 }, async () => {
    const dir = clusterDir();
    const passwords = { superuser: randomPassword(), app: randomPassword() };
    const first = await startEmbeddedPostgres({ dir, persistent: true, passwords });
    const port = Number(fs.readFileSync(`${dir}/port`, 'utf8'));
    // A second start while it runs (a runner killed a moment ago left it): the same server.
    const lines: string[] = [];
    const again = await startEmbeddedPostgres({ dir, persistent: true, passwords, log: (line) => lines.push(line) });
    expect(lines).toContain(`reusing PostgreSQL already running on port ${port}`);
    expect(new URL(again.url('postgres')).port).toBe(String(port));
    await first.stop();

    // The port file of a run that was killed (SIGKILL, a reboot) outlives its server, and another
    // local process now listens on that port: it must not even be connected to.
    const connections: string[] = [];
    const stranger = net.createServer((socket) => {
      connections.push('connected');
      socket.destroy();
    });
    await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.1', resolve));
    const strangerPort = (stranger.address() as net.AddressInfo).port;
    fs.writeFileSync(`${dir}/port`, String(strangerPort));
    try {
      const server = await startEmbeddedPostgres({ dir, persistent: true, passwords });
      await stopped(server, async () => {
        expect(new URL(server.url('postgres')).port).not.toBe(String(strangerPort));
        await expectOnlyPasswords(server.url('postgres'), passwords);
      });
    } finally {
      await new Promise((resolve) => stranger.close(resolve));
    }
    expect(connections).toEqual([]);

    // Nor when a stale postmaster.pid (the server was killed with its runner) names a pid another
    // program got since, even one named "postgres": it did not start when the file says.
    const impostor = spawn(process.execPath, ['-e', IMPOSTOR, 'postgres-impostor'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const impostorPort = Number(await new Promise<string>((resolve) => impostor.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString()))));
      fs.writeFileSync(`${dir}/port`, String(impostorPort));
      fs.writeFileSync(`${dir}/data/postmaster.pid`, `${impostor.pid}\n${dir}/data\n${Math.floor(Date.now() / 1000) - 3600}\n${impostorPort}\n/tmp\nlocalhost\n0\nready\n`);
      const output: string[] = [];
      impostor.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      const server = await startEmbeddedPostgres({ dir, persistent: true, passwords });
      await stopped(server, async () => expect(new URL(server.url('postgres')).port).not.toBe(String(impostorPort)));
      expect(output.join('')).not.toContain('connected');
    } finally {
      impostor.kill();
    }
  });

  it('opens a cluster whose first start was killed before its init password was replaced, and replaces it then (found by a stranger: Ctrl-C on the first start under root left a cluster nobody could open)', { timeout: 300_000 }, async () => {
    const dir = clusterDir();
    const init = randomPassword();
    // The state a first start leaves when killed between initdb and replacing the superuser's password.
    await (await startEmbeddedPostgres({ dir, persistent: true, passwords: { superuser: init, app: randomPassword() } })).stop();

    const passwords = { superuser: randomPassword(), app: randomPassword(), init };
    const server = await startEmbeddedPostgres({ dir, persistent: true, passwords });
    await stopped(server, async () => {
      await expectOnlyPasswords(server.url('postgres'), passwords);
      expect(await signIn(server.url('postgres'), 'postgres', init)).toBe('28P01');
    });
    // Without the kept init password the message names the cluster's directory.
    fs.rmSync(`${dir}/port`, { force: true });
    await expect(startEmbeddedPostgres({ dir, persistent: true, passwords: { superuser: randomPassword(), app: randomPassword() } })).rejects.toThrow(`cannot sign in to the embedded PostgreSQL in ${dir} (port`);
  });
});

