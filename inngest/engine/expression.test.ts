// The CEL subset used by trigger filters, keys, cancelOn and waitForEvent conditions.
import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionError } from './expression';

const event = { name: 'payment/created', data: { paymentId: 'p-1', amount: 1200, ok: true, tags: ['rent', 'ach'], nested: { level: 2 } } };

describe('compileExpression', () => {
  it('compares an event with the awaited one, as match: does', () => {
    const expression = compileExpression('event.data.paymentId == async.data.paymentId');
    expect(expression.matches({ event, async: { data: { paymentId: 'p-1' } } })).toBe(true);
    expect(expression.matches({ event, async: { data: { paymentId: 'p-2' } } })).toBe(false);
  });

  it('evaluates the operators the SDK and Inngest docs use', () => {
    const holds = (source: string) => compileExpression(source).matches({ event });
    expect(holds("event.data.paymentId == 'p-1' && event.data.amount >= 1000")).toBe(true);
    expect(holds('event.data.amount > 5000 || event.data.ok')).toBe(true);
    expect(holds('!event.data.ok')).toBe(false);
    expect(holds('event.data.tags[0] == "rent" && "ach" in event.data.tags')).toBe(true);
    expect(holds('event.data.nested.level * 10 % 7 == 6')).toBe(true);
    expect(holds('size(event.data.tags) == 2 && event.data.paymentId.startsWith("p-")')).toBe(true);
    expect(holds('event.data.amount in [1200, 1300] ? true : false')).toBe(true);
  });

  it('treats a missing field as an error that does not match, unless the other side decides', () => {
    expect(compileExpression('event.data.missing == 1').matches({ event })).toBe(false);
    expect(compileExpression('event.data.missing != 1').matches({ event })).toBe(false);
    expect(compileExpression('event.data.missing == 1 || event.data.ok').matches({ event })).toBe(true);
    expect(compileExpression('has(event.data.missing) && event.data.missing > 1').matches({ event })).toBe(false);
    expect(() => compileExpression('event.data.missing').value({ event })).toThrow(ExpressionError);
  });

  it('computes key values', () => {
    expect(compileExpression('event.data.paymentId').value({ event })).toBe('p-1');
    expect(compileExpression('"user-" + event.data.paymentId').value({ event })).toBe('user-p-1');
  });

  it('refuses syntax it does not implement', () => {
    for (const bad of ['event.data.x = 1', 'matches(event.data.x, "a")', 'event.data.x.lowerAscii()', "'open", 'event.data.']) {
      expect(() => compileExpression(bad), bad).toThrow(ExpressionError);
    }
  });
});
