// Runs the engine as its own process: `tsx inngest/engine/cli.ts --database-url <url>
// [--app-url <serve url>] [--port <n>] [--workers <n>] [--sync]`, with the app's keys in the
// environment as the SDK names them: INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY (never on the
// command line, where `ps` shows them). Useful as an extra worker process beside
// `npm run dev` (several engines share one database; `npm run dev` keeps its keys in
// .data/secrets.json), and how the durability tests run an engine they can SIGKILL. Prints
// one JSON line `{"url": …}` when it is listening; SIGTERM/SIGINT stop it cleanly.
import { parseArgs } from 'node:util';
import { startEngine } from './engine';
import { pinoEngineLog } from './log';
import { errorMessage } from './context';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'app-url': { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    workers: { type: 'string', default: '8' },
    'backoff-scale': { type: 'string', default: '1' },
    sync: { type: 'boolean', default: false },
  },
});

const databaseUrl = values['database-url'];
if (!databaseUrl) {
  console.error('--database-url is required');
  process.exit(2);
}

const signingKey = process.env.INNGEST_SIGNING_KEY;
const eventKey = process.env.INNGEST_EVENT_KEY;
if (!signingKey || !eventKey) {
  console.error('INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY must be set (the same keys as the app)');
  process.exit(2);
}

const engine = await startEngine({
  databaseUrl,
  signingKey,
  eventKey,
  appUrl: values['app-url'],
  port: Number(values.port),
  host: values.host,
  workers: Number(values.workers),
  // JSON lines on stderr: stdout carries only the {url} line a parent process reads.
  log: pinoEngineLog(process.stderr),
  tuning: { backoffScale: Number(values['backoff-scale']) },
});
if (values.sync) {
  try {
    await engine.syncApp();
  } catch (error) {
    console.error(`[inngest-engine] ${errorMessage(error)}`);
  }
}
console.log(JSON.stringify({ url: engine.url }));

const stop = () => {
  engine.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(errorMessage(error));
      process.exit(1);
    },
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
