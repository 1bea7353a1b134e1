import { recordLayout, trpcServer } from '@/server/api/caller';

// A payment that is not there, or not the caller's, is an HTTP 404 (../not-found.tsx).
export default recordLayout((id) => trpcServer.payment.byId.queryOptions({ id }));
