// Refuse to start with a clear message when the environment is invalid, instead of failing
// on the first request.
import { EnvError, loadEnv } from '@/server/env';

try {
  loadEnv();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
