// Shown while a page of this portal renders on the server (its data is prefetched there).
import { LoadingRows } from '@/components/ui/states';

export default function Loading() {
  return (
    <div className="space-y-6">
      <div className="h-8 w-64 animate-pulse rounded bg-slate-100" aria-hidden />
      <LoadingRows rows={6} label="Loading page" />
    </div>
  );
}
