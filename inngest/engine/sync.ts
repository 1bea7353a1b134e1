// Sync: the app tells the engine its functions. `syncApp` PUTs the app's serve URL, signed
// (what Inngest Cloud does); the SDK answers by POSTing its function configs to /fn/register
// (out-of-band sync, with its bearer token, checked in server.ts), handled by `registerApp`.
// A config using anything the engine does not implement refuses the whole sync: the SDK's
// PUT then answers 400 with our message, and `syncApp` throws it.
//
// The URL the engine calls is its own configured app URL, never the one in the sync body:
// that one comes from the request the SDK answered (its `Host`), which anyone can write.
import { createHash } from 'node:crypto';
import { ConfigError, defineFunction, type FunctionDefinition } from './config';
import { errorMessage, json, type ServingContext } from './context';
import { parseCron } from './cron';
import { signatureHeader } from './signing';

export interface RegisterAnswer {
  httpStatus: number;
  body: { status: number; error?: string; modified: boolean; skipped?: boolean };
}

function refuse(message: string): RegisterAnswer {
  return { httpStatus: 400, body: { status: 400, error: message, modified: false } };
}

/** The URL the engine calls for one function: the configured serve URL with `fnId` and `stepId=step`. */
export function functionUrl(appUrl: string, functionId: string): string {
  const url = new URL(appUrl);
  url.search = '';
  url.searchParams.set('fnId', functionId);
  url.searchParams.set('stepId', 'step');
  return url.toString();
}

/** Handles the SDK's POST /fn/register (already authorized by its bearer token). */
export async function registerApp(ctx: ServingContext, body: unknown): Promise<RegisterAnswer> {
  if (!ctx.appUrl) return refuse('this engine was started without an app URL, so it accepts no sync');
  if (typeof body !== 'object' || body === null) return refuse('sync body must be a JSON object');
  const { appName, url: reportedUrl, functions, framework, sdk } = body as Record<string, unknown>;
  if (typeof appName !== 'string' || !appName) return refuse('sync body needs `appName`');
  if (typeof reportedUrl !== 'string' || !reportedUrl) return refuse('sync body needs `url`');
  if (!Array.isArray(functions)) return refuse('sync body needs a `functions` array');
  const url = ctx.appUrl;
  if (reportedUrl !== url) ctx.log(`app "${appName}" reported its serve URL as ${reportedUrl}; calling the configured ${url}`);

  const definitions: FunctionDefinition[] = [];
  const problems: string[] = [];
  for (const config of functions) {
    try {
      const fn = defineFunction(config);
      // Stored and called with the configured URL only (the config is the parsed copy).
      fn.url = functionUrl(url, fn.id);
      fn.config.steps.step.runtime.url = fn.url;
      definitions.push(fn);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length) {
    const message = `The local Inngest engine refused to sync app "${appName}":\n- ${problems.join('\n- ')}`;
    ctx.log(message);
    return refuse(message);
  }

  const hash = createHash('sha256').update(JSON.stringify({ url, functions: definitions.map((fn) => fn.config) })).digest('hex');
  const now = ctx.now();
  const client = await ctx.pool.connect();
  try {
    await client.query('begin');
    // One sync of an app at a time (two engine processes may be asked together).
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`inngest_engine.sync:${appName}`]);
    const { rows: apps } = await client.query<{ config_hash: string }>('select config_hash from inngest_engine.apps where id = $1', [appName]);
    if (apps[0]?.config_hash === hash) {
      await client.query('commit');
      return { httpStatus: 200, body: { status: 200, modified: false } };
    }
    const { rows: owned } = await client.query<{ id: string; app_id: string }>('select id, app_id from inngest_engine.functions where id = any($1) and app_id <> $2', [
      definitions.map((fn) => fn.id),
      appName,
    ]);
    if (owned.length) {
      await client.query('rollback');
      return refuse(owned.map((row) => `function "${row.id}" already belongs to app "${row.app_id}"`).join('; '));
    }
    await client.query(
      `insert into inngest_engine.apps (id, url, framework, sdk, config_hash, synced_at) values ($1, $2, $3, $4, $5, $6)
       on conflict (id) do update set url = excluded.url, framework = excluded.framework, sdk = excluded.sdk,
         config_hash = excluded.config_hash, synced_at = excluded.synced_at`,
      [appName, url, typeof framework === 'string' ? framework : null, typeof sdk === 'string' ? sdk : null, hash, new Date(now)],
    );
    await client.query('delete from inngest_engine.functions where app_id = $1 and not (id = any($2))', [appName, definitions.map((fn) => fn.id)]);
    for (const fn of definitions) {
      // updated_at only moves when the config does, so cached parses stay valid.
      await client.query(
        `insert into inngest_engine.functions (id, app_id, name, url, max_attempts, config, updated_at) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (id) do update set name = excluded.name, url = excluded.url, max_attempts = excluded.max_attempts, config = excluded.config,
           updated_at = case when inngest_engine.functions.config = excluded.config then inngest_engine.functions.updated_at else excluded.updated_at end`,
        [fn.id, appName, fn.name, fn.url, fn.maxAttempts, json(fn.config), new Date(now)],
      );
      await client.query('delete from inngest_engine.triggers where function_id = $1', [fn.id]);
      for (const [position, trigger] of fn.events.entries()) {
        await client.query('insert into inngest_engine.triggers (function_id, position, event_name, expression) values ($1, $2, $3, $4)', [
          fn.id,
          position,
          trigger.event,
          trigger.expression ?? null,
        ]);
      }
      // A cron that stays keeps its next fire time; a new one starts from now.
      await client.query('delete from inngest_engine.crons where function_id = $1 and not (expression = any($2))', [fn.id, fn.crons]);
      for (const cron of fn.crons) {
        await client.query('insert into inngest_engine.crons (function_id, expression, next_at) values ($1, $2, $3) on conflict do nothing', [
          fn.id,
          cron,
          new Date(parseCron(cron).next(now)),
        ]);
      }
    }
    await client.query('commit');
    ctx.log('synced app', { appName, url, functions: definitions.length });
    return { httpStatus: 200, body: { status: 200, modified: true } };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export class SyncError extends Error {}

/** Asks the app at `appUrl` to sync itself with this engine (a signed PUT); throws with the reason if it does not. */
export async function syncApp(appUrl: string, signingKey: string, abort: AbortSignal): Promise<{ modified: boolean }> {
  let response: Response;
  try {
    response = await fetch(appUrl, {
      method: 'PUT',
      // An empty body: the signature covers "" and the timestamp.
      headers: { 'content-type': 'application/json', 'x-inngest-signature': signatureHeader('', signingKey) },
      signal: AbortSignal.any([abort, AbortSignal.timeout(60_000)]),
    });
  } catch (error) {
    throw new SyncError(`could not reach the app at ${appUrl} to sync it: ${errorMessage(error)}`);
  }
  const text = await response.text();
  let body: { message?: string; modified?: boolean } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { message: text };
  }
  if (response.status !== 200) throw new SyncError(`syncing the app at ${appUrl} failed (HTTP ${response.status}): ${body.message ?? 'no message'}`);
  return { modified: Boolean(body.modified) };
}
