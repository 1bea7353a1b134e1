// Where to go after signing in or up: a path on this site (e.g. back to the page that sent a
// signed-out visitor to sign in, or to a /verify-email link), never another origin. A value is
// kept only when it resolves, as a browser would resolve it, to this same origin: `//evil.com`,
// `/\evil.com`, `https://evil.com` and paths hiding a tab or newline (which browsers strip,
// turning `/\t/evil.com` into `//evil.com`) or dot segments (`/.//evil.com`) are dropped.
const BASE = 'http://directpay.invalid';

export function nextPath(value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.length > 2000) return undefined;
  // Control characters and backslashes have no place in our own paths.
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE) return undefined;
  // Dot segments collapse (`/.//evil.com` resolves to the path `//evil.com`): a path that starts
  // with two slashes would itself be read as another origin.
  if (url.pathname.startsWith('//')) return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page that returns to `path` afterwards (plain /sign-in when `path` is not ours). */
export function signInPath(path: string | undefined): string {
  const next = nextPath(path);
  return next && next !== '/' ? `/sign-in?${new URLSearchParams({ next })}` : '/sign-in';
}
