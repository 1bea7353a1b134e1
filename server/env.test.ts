import { describe, expect, it } from 'vitest';
import { booleanSetting, demoAccountsOn, loadEnv } from './env';

const good = {
  DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db',
  NEXTAUTH_SECRET: 'x'.repeat(32),
  ACCOUNT_TOKEN_SECRET: 'y'.repeat(32),
  NEXTAUTH_URL: 'https://pay.example.com/portal',
  INNGEST_SIGNING_KEY: `signkey-prod-${'ab'.repeat(32)}`,
  INNGEST_EVENT_KEY: 'event-key',
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

  it('requires Inngest keys and a configured serve origin unless INNGEST_DEV points at the Dev Server', () => {
    expect(() => loadEnv({ ...good, INNGEST_SIGNING_KEY: undefined })).toThrow(/INNGEST_SIGNING_KEY: is required/);
    expect(() => loadEnv({ ...good, INNGEST_EVENT_KEY: undefined })).toThrow(/INNGEST_EVENT_KEY: is required/);
    expect(() => loadEnv({ ...good, INNGEST_SIGNING_KEY: 'signkey-prod-not-hex' })).toThrow(/INNGEST_SIGNING_KEY: must look like signkey-<env>-<hex>/);
    expect(() => loadEnv({ ...good, INNGEST_DEV: '0', INNGEST_SIGNING_KEY: undefined })).toThrow(/INNGEST_SIGNING_KEY/);
    expect(() => loadEnv({ ...good, NEXTAUTH_URL: undefined })).toThrow(/INNGEST_SERVE_ORIGIN: is required/);
    // The serve URL reported at sync comes from configuration: NEXTAUTH_URL's origin, or INNGEST_SERVE_ORIGIN.
    expect(loadEnv(good)).toMatchObject({ INNGEST_DEV: false, INNGEST_SERVE_ORIGIN: 'https://pay.example.com', INNGEST_SERVE_PATH: '/api/inngest' });
    expect(loadEnv({ ...good, INNGEST_SERVE_ORIGIN: 'http://127.0.0.1:3000' }).INNGEST_SERVE_ORIGIN).toBe('http://127.0.0.1:3000');
    const beside = loadEnv({ ...good, INNGEST_DEV: '1', INNGEST_SIGNING_KEY: undefined, INNGEST_EVENT_KEY: undefined });
    expect(beside.INNGEST_DEV).toBe(true);
  });

  it('reads DIRECTPAY_DEMO_SEED as every boolean setting, and refuses anything else naming it', () => {
    for (const [value, parsed] of [['true', true], ['1', true], ['false', false], ['0', false], [undefined, undefined]] as const) {
      expect(booleanSetting('DIRECTPAY_DEMO_SEED', value)).toBe(parsed);
    }
    for (const value of ['TRUE', 'yes', 'no', 'off', ' true', '']) {
      expect(() => booleanSetting('DIRECTPAY_DEMO_SEED', value)).toThrow(/DIRECTPAY_DEMO_SEED: Invalid option: expected one of "0"\|"1"\|"true"\|"false"/);
    }
    expect(() => loadEnv({ ...good, DIRECTPAY_DEMO_SEED: 'yes' })).toThrow(/DIRECTPAY_DEMO_SEED: Invalid option/);
    expect(loadEnv({ ...good, DIRECTPAY_DEMO_SEED: '1' }).DIRECTPAY_DEMO_SEED).toBe(true);
  });

  it('turns the demo accounts on in development and off in production unless DIRECTPAY_DEMO_SEED says otherwise', () => {
    // npm run dev: on unless an explicit false; npm start (production): off unless an explicit true.
    expect(demoAccountsOn(false, undefined)).toBe(true);
    expect(demoAccountsOn(false, false)).toBe(false);
    expect(demoAccountsOn(false, true)).toBe(true);
    expect(demoAccountsOn(true, undefined)).toBe(false);
    expect(demoAccountsOn(true, true)).toBe(true);
    expect(demoAccountsOn(true, false)).toBe(false);
  });
});
