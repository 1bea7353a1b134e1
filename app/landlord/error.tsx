'use client';
// A page of this portal that failed to render: the app's one error page (app/error.tsx), here
// inside the portal's layout so the header and navigation stay.
export { default } from '@/app/error';
