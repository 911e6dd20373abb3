import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../server/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, destination };
}

describe('logging never leaks secrets', () => {
  const secret = 'shpss_super_secret_value_123';
  const wmsToken = 'gwms-token-abcdef-987';

  it('secret keys are redacted wherever they sit in a logged object', () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination });
    log.info({ session: { accessToken: 'shpat_live_token_1', refreshToken: 'shprt_1' }, token: wmsToken, apiSecret: secret }, 'session stored');
    const out = lines.join('');
    expect(out).toContain('session stored');
    expect(out).not.toContain('shpat_live_token_1');
    expect(out).not.toContain('shprt_1');
    expect(out).not.toContain(wmsToken);
    expect(out).not.toContain(secret);
    expect(out).toContain('[Redacted]');
  });

  it('known secret values are masked even inside messages and error texts', () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination, secrets: [secret, wmsToken] });
    log.error({ err: new Error(`GreaterWMS said no to token ${wmsToken}`) }, `config was ${secret}`);
    const out = lines.join('');
    expect(out).not.toContain(secret);
    expect(out).not.toContain(wmsToken);
    expect(out).toContain('GreaterWMS said no to token [Redacted]');
  });

  it('request headers carrying credentials are redacted', () => {
    const { lines, destination } = capture();
    const log = createLogger({ destination });
    log.info({ req: { headers: { authorization: 'Bearer eyJsession', token: wmsToken, 'x-shopify-hmac-sha256': 'abc=' } } }, 'req');
    const out = lines.join('');
    expect(out).not.toContain('eyJsession');
    expect(out).not.toContain(wmsToken);
    expect(out).not.toContain('abc=');
  });
});
