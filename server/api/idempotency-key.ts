// The idempotency key of a request: the `Idempotency-Key` header or the `idempotencyKey`
// field. Both present and different is a mistake worth refusing.
import { idempotencyKey } from '@/server/api/schemas/payment';
import { badRequest } from '@/server/domain/errors';

export function idempotencyKeyOf(headers: Headers, field: string | undefined): string | null {
  const header = headers.get('idempotency-key');
  if (header !== null) {
    const parsed = idempotencyKey.safeParse(header);
    if (!parsed.success) throw badRequest(`Idempotency-Key header ${parsed.error.issues[0]!.message}`, { idempotencyKey: [parsed.error.issues[0]!.message] });
    if (field !== undefined && field !== header) {
      throw badRequest('The Idempotency-Key header and the idempotencyKey field differ; send one, or the same value in both', {
        idempotencyKey: ['differs from the Idempotency-Key header'],
      });
    }
    return header;
  }
  return field ?? null;
}
