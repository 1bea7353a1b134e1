'use client';
// Live updating for the dashboard: re-renders the server components on an interval while
// the tab is visible. Polling keeps it simple and works through any proxy.
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

export function AutoRefresh({ intervalMs = 2000 }: { intervalMs?: number }) {
  const router = useRouter();
  const [live, setLive] = useState(true);
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') router.refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [live, intervalMs, router]);
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
