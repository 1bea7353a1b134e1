// Sends one queued mail over SMTP (server/mail/transport.ts), with Inngest's retries and
// backoff; after the last retry the mail is marked FAILED.
import { NonRetriableError } from 'inngest';
import { z } from 'zod';
import { inngest } from '@/inngest/client';
import { EMAIL_SEND } from '@/inngest/outbox';
import { db } from '@/server/db';
import { env } from '@/server/env';
import { markEmailFailed, sendQueuedEmail } from '@/server/mail/transport';

const emailIdOf = (data: unknown) => {
  const parsed = z.object({ emailId: z.uuid() }).safeParse(data);
  if (!parsed.success) throw new NonRetriableError('email/send needs data.emailId (a uuid)');
  return parsed.data.emailId;
};

export const sendEmailFunction = inngest.createFunction(
  {
    id: 'send-email',
    name: 'Send an email',
    triggers: [{ event: EMAIL_SEND }],
    retries: 6,
    onFailure: async ({ event, step }) => {
      const emailId = emailIdOf(event.data.event.data);
      await step.run('mark-failed', () => markEmailFailed(db, emailId));
    },
  },
  async ({ event, step }) => {
    const emailId = emailIdOf(event.data);
    // A deployment without mail configured will not get it by retrying (tests run without).
    if (!env.SMTP_URL) throw new NonRetriableError('SMTP_URL is not set; the mail stays unsent');
    return step.run('send', () => sendQueuedEmail(db, emailId));
  },
);
