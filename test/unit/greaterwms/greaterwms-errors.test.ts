// Retry classification of real GreaterWMS 2.1.50 answers (captured in greaterwms-trace-a.jsonl and the
// transcript; copied to test/fixtures/greaterwms/transcript-responses.json).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRetryable, PermanentError, RetryableError } from '../../../server/core/errors.js';
import {
  GreaterWmsBadResponseError,
  GreaterWmsConnectionResetError,
  GreaterWmsDatabaseBusyError,
  GreaterWmsNotFoundError,
  GreaterWmsRejectedError,
  GreaterWmsServerCrashError,
  GreaterWmsTextRefusedError,
  GreaterWmsThrottledError,
  GreaterWmsTimeoutError,
  GreaterWmsTokenRejectedError,
  GreaterWmsUnavailableError,
  GreaterWmsUnreachableError,
  GreaterWmsValidationError,
  classifyAnswer,
  classifyNetworkError,
  debugPageException,
  isCodeMissing,
  isDataExists,
} from '../../../server/adapters/greaterwms/greaterwms-errors.js';

interface Captured {
  request: { method: string; path: string; headers: Record<string, string> };
  status: number;
  content_type: string;
  body: unknown;
}
const fixture = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, '../../fixtures/greaterwms/transcript-responses.json'), 'utf8'),
) as { responses: Record<string, Captured> };

function replay(name: string): unknown {
  const c = fixture.responses[name];
  if (!c) throw new Error(`no fixture ${name}`);
  const text = typeof c.body === 'string' ? c.body : JSON.stringify(c.body);
  return classifyAnswer(
    { method: c.request.method, path: c.request.path, operatorSent: 'operator' in c.request.headers },
    { status: c.status, contentType: c.content_type, text },
  );
}

function errorOf(name: string): Error {
  try {
    replay(name);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`fixture ${name} did not throw`);
}

describe('classification of captured real answers', () => {
  it.each(['no_token', 'unknown_token', 'bearer_only'])('%s: HTTP 200 + status_code 500 → permanent "GreaterWMS rejected the token"', (name) => {
    const err = errorOf(name);
    expect(err).toBeInstanceOf(GreaterWmsTokenRejectedError);
    expect(err).toBeInstanceOf(PermanentError);
    expect(isRetryable(err)).toBe(false);
    expect(err.message).toMatch(/^GreaterWMS rejected the token/);
    expect((err as GreaterWmsTokenRejectedError).code).toBe('wms.token_rejected');
  });

  it.each(['supplier_data_exists', 'goods_data_exists'])('%s: "Data exists" is a permanent refusal the ensure-operations recognise', (name) => {
    const err = errorOf(name);
    expect(err).toBeInstanceOf(GreaterWmsRejectedError);
    expect(isRetryable(err)).toBe(false);
    expect(isDataExists(err)).toBe(true);
  });

  it('text filter refusal ("Bad Data can‘not be store") has its own type', () => {
    const err = errorOf('text_refused');
    expect(err).toBeInstanceOf(GreaterWmsTextRefusedError);
    expect((err as GreaterWmsTextRefusedError).code).toBe('wms.text_refused');
    expect(isRetryable(err)).toBe(false);
  });

  it.each([
    ['goods_unit_unknown', 'Goods Unit does not exists or it has been changed'],
    ['movetobin_over_putaway', 'Move Qty must < Actual Arrive Qty'],
    ['dispatch_not_picked', 'This DN Status Not Picked'],
    ['driver_unknown', 'Driver Does Not Exists'],
    ['dn_cancel_refused_confirmed', 'This order has Confirmed or Deliveried'],
    ['neworder_not_pre_order', 'This DN Status Is Not Pre Order'],
    ['neworder_no_detail', 'Please Enter The DN Detail'],
    ['dn_detail_unknown_goods', 'SKU-NOPE does not exists'],
    ['dn_detail_unknown_customer', 'customer does not exists'],
    ['dn_detail_qty_zero', 'Qty Must > 0'],
    ['wrong_api_url_unencoded_colon', 'Wrong API Url'],
  ])('%s: business refusal in a 200 body → permanent with the detail text', (name, detail) => {
    const err = errorOf(name);
    expect(err).toBeInstanceOf(GreaterWmsRejectedError);
    expect((err as GreaterWmsRejectedError).detail).toBe(detail);
    expect(err.message).toContain(detail);
    expect(isRetryable(err)).toBe(false);
    expect(isDataExists(err)).toBe(false);
  });

  it('"DN Code does not exists" is recognised (it proves no orphan header exists)', () => {
    expect(isCodeMissing(errorOf('dn_detail_code_not_exists'))).toBe(true);
    expect(isCodeMissing(errorOf('dn_detail_unknown_customer'))).toBe(false);
  });

  it.each(['dn_header_only_not_found', 'dn_get_after_delete_not_found'])('%s: Chinese not-found body (status_code 404) → NotFound', (name) => {
    const err = errorOf(name);
    expect(err).toBeInstanceOf(GreaterWmsNotFoundError);
    expect((err as GreaterWmsNotFoundError).detail).toBe('未找到。');
  });

  it('DRF validation (status_code 400, field lists) → permanent validation error naming the fields', () => {
    const err = errorOf('validation_400');
    expect(err).toBeInstanceOf(GreaterWmsValidationError);
    expect(Object.keys((err as GreaterWmsValidationError).fields)).toContain('customer_city');
    expect(err.message).toContain('customer_city: 该字段是必填项。');
    expect(isRetryable(err)).toBe(false);
  });

  it('HTML 500 IndexError on custom_dn without digit → permanent crash with the hint', () => {
    for (const name of ['html500_index_error', 'html500_custom_dn_no_digit_transcript']) {
      const err = errorOf(name);
      expect(err).toBeInstanceOf(GreaterWmsServerCrashError);
      expect((err as GreaterWmsServerCrashError).exception).toBe('IndexError');
      expect(err.message).toContain('a custom code without any digit');
      expect(isRetryable(err)).toBe(false);
    }
  });

  it('HTML 500 AttributeError without operator header → permanent, says the operator is missing', () => {
    const err = errorOf('html500_missing_operator');
    expect(err).toBeInstanceOf(GreaterWmsServerCrashError);
    expect(err.message).toContain('operator header is missing');
  });

  it.each(['warehouse_ok', 'dn_list_empty', 'dn_detail_lines', 'stock_row', 'dn_cancel_success', 'neworder_ok', 'picking_list_array', 'picked_capital_detail', 'dn_list_none_scheme_page1'])(
    '%s: a success answer is returned as data',
    (name) => {
      expect(replay(name)).toEqual(fixture.responses[name]!.body);
    },
  );

  it('a login error body ({code:"1011"}) has no status_code: the classifier leaves it to the caller', () => {
    expect(replay('login_wrong_password')).toMatchObject({ code: '1011' });
  });
});

describe('classification of answers the reference describes but the trace does not hold', () => {
  const call = { method: 'GET', path: '/dn/list/', operatorSent: true };
  const json = (body: unknown, status = 200) => ({ status, contentType: 'application/json', text: JSON.stringify(body) });

  it('throttled in the body (status_code 429) and HTTP 429 → retryable with a wait hint', () => {
    const a = (() => { try { classifyAnswer(call, json({ detail: 'Request was throttled.', status_code: 429 })); } catch (e) { return e; } })();
    expect(a).toBeInstanceOf(GreaterWmsThrottledError);
    expect((a as GreaterWmsThrottledError).retryAfterMs).toBe(1000);
    const b = (() => { try { classifyAnswer(call, { status: 429, contentType: 'text/plain', text: '', retryAfter: '3' }); } catch (e) { return e; } })();
    expect(b).toBeInstanceOf(GreaterWmsThrottledError);
    expect((b as GreaterWmsThrottledError).retryAfterMs).toBe(3000);
  });

  it('a debug page of a database error (SQLite "database is locked") → retryable', () => {
    const html = '<!DOCTYPE html><html><head><title>OperationalError\n          at /dn/orderrelease/1/</title>';
    expect(() => classifyAnswer(call, { status: 500, contentType: 'text/html', text: html })).toThrow(GreaterWmsDatabaseBusyError);
    expect(debugPageException(html)).toBe('OperationalError');
  });

  it('502/503/504 from a proxy and a bare 500 → retryable unavailable', () => {
    for (const status of [500, 502, 503, 504]) {
      let err: unknown;
      try { classifyAnswer(call, { status, contentType: 'text/html', text: '<html>Bad Gateway</html>', retryAfter: '2' }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(GreaterWmsUnavailableError);
      expect(err).toBeInstanceOf(RetryableError);
    }
  });

  it('HTML where JSON was expected (a wrong URL) → permanent bad response, not a retry loop', () => {
    expect(() => classifyAnswer(call, { status: 200, contentType: 'text/html', text: '<html>login</html>' })).toThrow(GreaterWmsBadResponseError);
    expect(() => classifyAnswer(call, { status: 404, contentType: 'text/html', text: 'Not Found' })).toThrow(GreaterWmsBadResponseError);
  });
});

describe('network failures', () => {
  const call = { method: 'POST', path: '/dn/list/' };
  it('refused / DNS → unreachable (retryable)', () => {
    const e = classifyNetworkError(call, Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 1000);
    expect(e).toBeInstanceOf(GreaterWmsUnreachableError);
    expect(isRetryable(e)).toBe(true);
  });
  it('reset / closed socket → connection reset (retryable)', () => {
    const e = classifyNetworkError(call, Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET', message: 'other side closed' } }), 1000);
    expect(e).toBeInstanceOf(GreaterWmsConnectionResetError);
    expect(isRetryable(e)).toBe(true);
  });
  it('abort by timeout → timeout (retryable) naming the limit', () => {
    const e = classifyNetworkError(call, new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 1234);
    expect(e).toBeInstanceOf(GreaterWmsTimeoutError);
    expect(e.message).toContain('1234 ms');
  });
});
