/**
 * A JSON value, pretty-printed in a scrollable block: a labelled region a keyboard can focus,
 * so it can be scrolled without a mouse (WCAG 2.1.1; axe scrollable-region-focusable).
 */
export function JsonBlock({ value, label }: { value: unknown; label?: string }) {
  const text = value === undefined ? 'undefined' : JSON.stringify(value, null, 2);
  return (
    <pre role="region" aria-label={label ?? 'JSON'} tabIndex={0} className="max-h-80 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-relaxed text-slate-800">
      {text}
    </pre>
  );
}
