'use client';
// Live updating for the dashboard: re-renders the server components while the tab is visible.
// Polling keeps it simple and works through any proxy.
import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';

/**
 * Refreshes the page's server components `intervalMs` (ms) after the previous refresh has been
 * shown, never on a fixed clock: a refresh is a transition, and the router holds every
 * transition until the newest has arrived, so refreshes fired faster than the server answers
 * them would hold back everything else, a filter's navigation too, for as long as they kept
 * coming (a busy server or a slow link made the runs filters do nothing).
 */
export function AutoRefresh({ intervalMs = 2000 }: { intervalMs?: number }) {
  const router = useRouter();
  const [live, setLive] = useState(true);
  const [refreshing, startRefresh] = useTransition();
  useEffect(() => {
    if (!live || refreshing) return;
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      if (document.visibilityState === 'visible') startRefresh(() => router.refresh());
      else timer = setTimeout(tick, intervalMs);
    };
    timer = setTimeout(tick, intervalMs);
    return () => clearTimeout(timer);
  }, [live, refreshing, intervalMs, router]);
  return (
    <label className="inline-flex cursor-pointer items-center gap-2 text-sm text-slate-600">
      <input type="checkbox" className="h-4 w-4 rounded border-slate-300 text-brand-600" checked={live} onChange={(event) => setLive(event.target.checked)} />
      <span className="inline-flex items-center gap-1.5">
        {live && <span aria-hidden data-live-indicator className="h-2 w-2 animate-pulse rounded-full bg-emerald-500" />}
        Live
      </span>
    </label>
  );
}
