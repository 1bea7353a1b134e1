'use client';
import { SegmentError } from '@/components/ui/segment-states';

export default function ErrorPage(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <SegmentError {...props} what="your settings" />;
}
