// Runs once when the Next server starts (Node runtime only): see server/startup.ts.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await import('@/server/startup');
}
