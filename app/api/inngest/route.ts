// The endpoint Inngest (or the local engine) calls to sync the app's functions and to run
// their steps.
import { serve } from 'inngest/next';
import { inngest } from '@/inngest/client';
import { functions } from '@/inngest/functions';

export const { GET, POST, PUT } = serve({ client: inngest, functions });
