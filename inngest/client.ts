// The app's one Inngest client, written exactly as for Inngest Cloud. Where it sends events
// and syncs is decided by the SDK's own environment variables: INNGEST_DEV=1 with
// INNGEST_BASE_URL for the local engine or `npx inngest-cli dev`; INNGEST_EVENT_KEY and
// INNGEST_SIGNING_KEY for Inngest Cloud.
import { Inngest } from 'inngest';

export const inngest = new Inngest({ id: 'directpay' });
