// Synced apps and their functions, with triggers and settings; invoke one with a payload.
import type { Metadata } from 'next';
import Link from 'next/link';
import { engineDashboard, reservedEvent } from '@/inngest/dashboard';
import type { FunctionView } from '@/inngest/engine/read';
import { InvokeForm } from '@/components/inngest/invoke-form';
import { formatDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/states';
import { requireOperator } from '../access';
import { invokeFunction } from '../actions';

export const metadata: Metadata = { title: 'Apps & functions' };

/** Why `fn` is not invoked by hand (a failure handler, or a trigger reserved to another party), or null. */
function notInvokedBecause(fn: FunctionView): string | null {
  if (fn.isFailureHandler) return 'Runs when its function fails; not invoked by hand.';
  for (const trigger of fn.triggers) {
    if (!('event' in trigger)) continue;
    const reserved = reservedEvent(trigger.event);
    if (reserved) return `Runs on ${trigger.event}, which only ${reserved.by} sends; not invoked by hand${reserved.rerunnable ? ' (a run of it can be rerun)' : ''}.`;
  }
  return null;
}

function Triggers({ fn }: { fn: FunctionView }) {
  if (!fn.triggers.length) return <span className="text-sm text-slate-500">Invoked only</span>;
  return (
    <ul className="space-y-1">
      {fn.triggers.map((trigger, index) => (
        <li key={index} className="flex flex-wrap items-center gap-2">
          {'cron' in trigger ? (
            <>
              <Badge tone="purple">cron</Badge>
              <code className="text-xs">{trigger.cron}</code>
            </>
          ) : (
            <>
              <Badge tone="blue">event</Badge>
              <Link href={`/dev/inngest/events?name=${encodeURIComponent(trigger.event)}`} className="font-mono text-xs text-brand-700 hover:underline">
                {trigger.event}
              </Link>
              {trigger.expression && <code className="text-xs text-slate-500">if {trigger.expression}</code>}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function Settings({ fn }: { fn: FunctionView }) {
  const settings = [
    `${fn.retries} retr${fn.retries === 1 ? 'y' : 'ies'}`,
    ...fn.concurrency.map((rule) => `concurrency ${rule.limit}${rule.key ? ` per ${rule.key}` : ''}${rule.scope && rule.scope !== 'fn' ? ` (${rule.scope})` : ''}`),
    ...(fn.idempotency ? [`one run per ${fn.idempotency} a day`] : []),
    ...fn.cancelOn.map((rule) => `cancelled by ${rule.event}${rule.if ? ` if ${rule.if}` : ''}${rule.timeout ? ` within ${rule.timeout}` : ''}`),
  ];
  return (
    <ul className="space-y-0.5 text-xs text-slate-600">
      {settings.map((setting) => (
        <li key={setting}>{setting}</li>
      ))}
    </ul>
  );
}

export default async function FunctionsPage() {
  await requireOperator();
  const apps = await engineDashboard.apps();
  if (!apps.length) return <EmptyState title="No app synced yet" description="The engine learns the app's functions when the app syncs (on start, and every few seconds in development)." />;
  return (
    <div className="space-y-6">
      {apps.map((app) => (
        <Card key={app.id}>
          <CardHeader
            title={
              <span className="flex items-center gap-2">
                {app.id}
                <Badge>{app.functions.length} functions</Badge>
              </span>
            }
            description={
              <>
                <span className="font-mono">{app.url}</span> · synced {formatDateTime(app.syncedAt)}
                {app.sdk && ` · ${app.sdk}`}
              </>
            }
          />
          <ul className="divide-y divide-slate-100">
            {app.functions.map((fn) => (
              <li key={fn.id} data-testid="function-row" className="grid gap-3 px-4 py-4 sm:px-6 lg:grid-cols-[1fr_1fr_1fr_auto]">
                <div>
                  <p className="font-medium text-slate-900">{fn.name}</p>
                  <p className="font-mono text-xs text-slate-600">{fn.id}</p>
                  {fn.isFailureHandler && <Badge tone="red">onFailure handler</Badge>}
                </div>
                <Triggers fn={fn} />
                <Settings fn={fn} />
                <div className="flex flex-col items-start gap-2 lg:items-end">
                  <Link href={`/dev/inngest?function=${encodeURIComponent(fn.id)}`} className="text-sm font-medium text-brand-700 hover:underline">
                    Runs
                  </Link>
                  {notInvokedBecause(fn) ? (
                    <p className="max-w-sm text-xs text-slate-600 lg:text-right">{notInvokedBecause(fn)}</p>
                  ) : (
                    <details className="w-full max-w-sm lg:text-left">
                      <summary className="cursor-pointer text-sm font-medium text-brand-700">Invoke…</summary>
                      <CardBody className="px-0 sm:px-0">
                        <InvokeForm functionId={fn.id} action={invokeFunction} />
                      </CardBody>
                    </details>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </Card>
      ))}
    </div>
  );
}
