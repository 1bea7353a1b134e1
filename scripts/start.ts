// npm start — the production build (npm run build first) with the same database set-up.
import { runApp } from './lib/run-app';

await runApp('start');
