import { describe, expect, it } from 'vitest';
import { loadEnv } from './env';

const good = {
  DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db',
  NEXTAUTH_SECRET: 'x'.repeat(32),
  ACCOUNT_TOKEN_SECRET: 'y'.repeat(32),
};

describe('the environment', () => {
  it('accepts a complete environment and fills in defaults', () => {
    const env = loadEnv(good);
    expect(env.SETTLEMENT_TIME_SCALE).toBe(1 / 2880);
    expect(env.BANK_SUCCESS_RATE).toBe(0.9);
    expect(env.OPERATOR_DASHBOARD).toBe(false);
  });

  it('refuses to start naming each bad variable and why', () => {
    expect(() => loadEnv({ ...good, DATABASE_URL: 'mysql://x/y', NEXTAUTH_SECRET: 'short' })).toThrow(
      /DATABASE_URL: must be a postgresql:\/\/ connection string[\s\S]*NEXTAUTH_SECRET: must be at least 32 characters/,
    );
    expect(() => loadEnv({ ...good, ACCOUNT_TOKEN_SECRET: undefined })).toThrow(/ACCOUNT_TOKEN_SECRET/);
    expect(() => loadEnv({ ...good, BANK_SUCCESS_RATE: '2' })).toThrow(/BANK_SUCCESS_RATE/);
  });
});
