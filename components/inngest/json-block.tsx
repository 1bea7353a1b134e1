/** A JSON value, pretty-printed in a scrollable block. */
export function JsonBlock({ value, label }: { value: unknown; label?: string }) {
  const text = value === undefined ? 'undefined' : JSON.stringify(value, null, 2);
  return (
    <pre aria-label={label} className="max-h-80 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs leading-relaxed text-slate-800">
      {text}
    </pre>
  );
}
