import { SegmentLoading } from '@/components/ui/segment-states';

export default function Loading() {
  return <SegmentLoading what="your dashboard" />;
}
