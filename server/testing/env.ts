// Tests that run the app under other settings: the environment changed for one call, then put back.
import { resetEnvForTests } from '@/server/env';

/** Runs `body` with environment variables changed (undefined: removed) and server/env.ts re-read, then restores them. */
export async function withEnv<T>(changes: Record<string, string | undefined>, body: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(changes).map((key) => [key, process.env[key]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetEnvForTests();
  };
  apply(changes);
  try {
    return await body();
  } finally {
    apply(previous);
  }
}

/** The local engine's configuration as `npm start` sets it (the URL is never called). */
export const LOCAL_ENGINE = { INNGEST_BASE_URL: 'http://127.0.0.1:9/', INNGEST_DEV: undefined };
