// Where a background run or event leads: the payment or lease its data names, as the runs about
// it (the dashboard is for operators, who are seldom a party to the payment, so a portal link
// would be their 404).
export interface RelatedLink {
  href: string;
  label: string;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/**
 * Links for `paymentId` / `leaseId` in event data — also one level down, in the triggering
 * event carried by `inngest/function.*` events (`data.event.data`).
 */
export function relatedLinks(data: unknown): RelatedLink[] {
  const links: RelatedLink[] = [];
  const seen = new Set<string>();
  const visit = (candidate: Record<string, unknown> | null) => {
    if (!candidate) return;
    for (const [key, label] of [
      ['paymentId', 'Payment'],
      ['leaseId', 'Lease'],
    ] as const) {
      const id = candidate[key];
      if (typeof id === 'string' && id && !seen.has(id)) {
        seen.add(id);
        links.push({ href: `/dev/inngest?concerns=${encodeURIComponent(id)}`, label: `${label} ${id.slice(0, 8)}` });
      }
    }
  };
  const top = record(data);
  visit(top);
  visit(record(record(top?.event)?.data));
  return links;
}

export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}
