// The dashboard's forms refuse what the engine cannot store (its rule, `unstorable`), before the
// engine is asked: an operator's event data with NUL or half a surrogate pair answered 500 (found
// by a stranger: the engine's insert failed with 22P05 / 22P02), as did a NUL in an event's name
// or a function id, and data nested 3,000 deep.
import { describe, expect, it } from 'vitest';
import { unstorable } from '@/inngest/engine/context';
import { invokeInput, sendEventInput } from './schemas';

const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.success ? [] : result.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);

describe('the dashboard forms', () => {
  it.each([
    ['NUL in a value', '{"a":"\\u0000"}'],
    ['NUL in a key', '{"\\u0000":1}'],
    ['a lone high surrogate', '{"a":"\\ud800"}'],
    ['a lone low surrogate, deep inside', '{"a":[{"b":["x","\\udfff"]}]}'],
    ['3,000 levels of arrays (found by a stranger: the first check recursed, and overflowed)', `{"a":${'['.repeat(3000)}${']'.repeat(3000)}}`],
    ['257 levels of objects', `${'{"a":'.repeat(257)}1${'}'.repeat(257)}`],
    ['256 levels of objects (found by a stranger: the engine, which stores data inside its event, refused what the form passed)', `${'{"a":'.repeat(256)}1${'}'.repeat(256)}`],
    ['a number JSON cannot carry (JSON.parse reads it as Infinity, which was stored as null)', '{"amountCents":1e999}'],
    ['a negative one, in an array', '{"a":[1,-1e400]}'],
  ])('refuse event data and a payload with %s', (_label, data) => {
    expect(issuesOf(sendEventInput.safeParse({ name: 'test/event', data }))).toEqual([expect.stringMatching(/^data: Cannot be stored: /)]);
    expect(issuesOf(invokeInput.safeParse({ functionId: 'directpay-settle-payment', data }))).toEqual([expect.stringMatching(/^data: Cannot be stored: /)]);
  });

  it('take the deepest data the engine stores, as it stores it (in its event or payload)', () => {
    const data = `${'{"a":'.repeat(255)}1${'}'.repeat(255)}`;
    const event = sendEventInput.parse({ name: 'test/event', data });
    expect(unstorable(event)).toBeNull();
    const payload = invokeInput.parse({ functionId: 'directpay-settle-payment', data });
    expect(unstorable(payload)).toBeNull();
  });

  it('take text PostgreSQL stores: a surrogate pair (an emoji), escapes of other control characters', () => {
    const data = '{"note":"rent \\ud83c\\udfe0 paid","tab":"a\\tb","bell":"\\u0007"}';
    expect(sendEventInput.safeParse({ name: 'test/event', data }).success).toBe(true);
    expect(invokeInput.parse({ functionId: 'directpay-settle-payment', data }).data).toEqual({ note: 'rent 🏠 paid', tab: 'a\tb', bell: '\u0007' });
  });

  it('refuse a name or function id that is not one line of text', () => {
    for (const name of ['test/\u0000event', 'test\nevent', 'test/\u202Eevent', '\u200B']) {
      expect(issuesOf(sendEventInput.safeParse({ name, data: '{}' }))).toHaveLength(1);
      expect(issuesOf(invokeInput.safeParse({ functionId: name, data: '{}' }))).toHaveLength(1);
    }
    expect(issuesOf(invokeInput.safeParse({ functionId: '', data: '{}' }))).toEqual(['functionId: Choose a function']);
  });
});
