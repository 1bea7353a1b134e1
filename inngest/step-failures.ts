// Counts failed step attempts for Prometheus (directpay_inngest_step_failures_total,
// server/metrics.ts) where the SDK knows of them: its `onStepError` hook runs for every attempt
// of a `step.run` or `step.sendEvent` that throws, retried or final, however the SDK then
// reports it to the engine (a 206 StepError/StepFailed answer or a checkpoint request), so
// nothing has to read the answers. A call that fails outside any step is counted by the route
// (app/api/inngest/route.ts).
import { internalEvents, Middleware } from 'inngest';
import { metrics } from '@/server/metrics';

/**
 * Inngest middleware, registered on the client (inngest/client.ts). Labels by the function's id
 * with the app's prefix, as the route labels the engine's calls (`directpay-settle-payment`).
 * An `onFailure` handler is served as its own function, `<id>-failure`, and runs on
 * `inngest/function.failed` (Inngest's convention), while the SDK hands middleware the function
 * it belongs to; its steps are counted under `<id>-failure`. No DirectPay function triggers on
 * that event itself.
 */
export class StepFailureMetrics extends Middleware.BaseMiddleware {
  readonly id = 'directpay-step-failure-metrics';

  override onStepError({ fn, ctx }: Middleware.OnStepErrorArgs): void {
    const failureHandler = ctx.event.name === internalEvents.FunctionFailed;
    metrics().stepFailures.inc({ function: `${fn.id(this.client.id)}${failureHandler ? '-failure' : ''}` });
  }
}
