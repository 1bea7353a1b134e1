// The "Concerns" links of a run or event: the payment or lease its data names, in the portal.
import Link from 'next/link';
import { cx } from '@/components/ui/cx';
import { relatedLinks } from './links';

/** Nothing when the data names neither; `sm` where the links stand alone, `xs` in a table cell. */
export function RelatedLinks({ data, size = 'xs' }: { data: unknown; size?: 'xs' | 'sm' }) {
  const links = relatedLinks(data);
  if (!links.length) return null;
  return (
    <span className={cx('flex flex-wrap', size === 'xs' ? 'gap-2 text-xs' : 'gap-3 text-sm')}>
      {links.map((link) => (
        <Link key={link.href} href={link.href} className="font-medium text-brand-700 hover:underline">
          {link.label}
        </Link>
      ))}
    </span>
  );
}
