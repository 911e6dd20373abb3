import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../server/config.js';

describe('configuration', () => {
  it('an empty environment gives working defaults (embedded database, all roles)', () => {
    const cfg = parseConfig({});
    expect(cfg.DATABASE_URL).toBeUndefined();
    expect(cfg.PORT).toBe(3000);
    expect([...cfg.roles].sort()).toEqual(['scheduler', 'web', 'worker']);
  });

  it('a bad value is reported on one line naming the variable and the expected shape', () => {
    let error: unknown;
    try {
      parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ROLES: 'web,cook' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/DATABASE_URL must be a postgresql:\/\/ URL/);
    expect(message).toMatch(/ROLES must be a comma-separated list of web, worker, scheduler/);
  });

  it('a single role can be chosen', () => {
    expect([...parseConfig({ ROLES: 'worker' }).roles]).toEqual(['worker']);
  });
});
