// Where to go after signing in or up: a path on this site (e.g. back to a /verify-email link),
// never another origin.
export function nextPath(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : undefined;
}
