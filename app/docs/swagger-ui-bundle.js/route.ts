// GET /docs/swagger-ui-bundle.js: swagger-ui-dist's prebuilt, self-contained browser bundle
// (its own React and OpenAPI 3.1 resolver), served as-is from this origin. It is not passed
// through Next's bundler, which broke swagger-ui's resolver ("refract is not a function"); the
// /docs page loads it from a nonce'd chunk, so the pages' CSP ('self' + nonce + 'strict-dynamic')
// allows it unchanged. Same version as package.json's swagger-ui-dist, read once per process.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

let bundle: Promise<Buffer> | undefined;

export async function GET() {
  bundle ??= readFile(path.join(process.cwd(), 'node_modules', 'swagger-ui-dist', 'swagger-ui-bundle.js'));
  return new Response(new Uint8Array(await bundle), {
    headers: {
      'Content-Type': 'text/javascript; charset=utf-8',
      // An hour: the file changes only with the dependency's version (a deploy).
      'Cache-Control': 'public, max-age=3600',
    },
  });
}
