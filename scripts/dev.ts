// npm run dev — the portal in development mode with everything it needs (see lib/run-app.ts).
import { runApp } from './lib/run-app';

await runApp('dev');
