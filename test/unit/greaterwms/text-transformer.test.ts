import { describe, expect, it } from 'vitest';
import {
  assertCodePrefix,
  documentCode,
  isRefusedText,
  safeCode,
  safeText,
  truncate,
} from '../../../server/adapters/greaterwms/text-transformer.js';

describe('text filter transform (GreaterWMS refuses "select"/"script" anywhere, case-insensitive)', () => {
  it.each(['Selected gift box', 'Product Description', 'SELECT * FROM', 'JavaScript mug', 'transcription selects scripts'])(
    '"%s" passes after safeText and reads the same without the soft hyphen',
    (s) => {
      expect(isRefusedText(s)).toBe(true);
      const t = safeText(s);
      expect(isRefusedText(t)).toBe(false);
      expect(t.replaceAll('\u00AD', '')).toBe(s);
    },
  );

  it('ordinary text is unchanged (so lookups by name keep matching)', () => {
    expect(safeText('T-Shirt blue M')).toBe('T-Shirt blue M');
    expect(safeCode('SKU-A1')).toBe('SKU-A1');
  });

  it('codes get a visible, deterministic break', () => {
    expect(safeCode('SELECT-1')).toBe('SEL-ECT-1');
    expect(safeCode('script9')).toBe('scr-ipt9');
    expect(safeCode('SELECT-1')).toBe(safeCode('SELECT-1'));
  });

  it('truncates by code points, never splitting a surrogate pair', () => {
    expect(truncate('ab😀cd', 3)).toBe('ab😀');
    expect(safeText('x'.repeat(300)).length).toBe(255);
  });
});

describe('document codes (DN/ASN) always contain a digit', () => {
  it('order name with digits → prefix + name', () => {
    expect(documentCode('SHOP-', '#1001', 'gid://shopify/Order/5550001')).toBe('SHOP-1001');
    expect(documentCode('SHOP-', '#1001', 'gid://shopify/Order/5550001')).toBe(documentCode('SHOP-', '#1001', 'other'));
  });
  it('a name without digits borrows the numeric tail of the stable id', () => {
    expect(documentCode('SHOP-', '#ABC', 'gid://shopify/Order/5550001')).toBe('SHOP-ABC-5550001');
    expect(documentCode('RET-', '', 'gid://shopify/Return/77')).toBe('RET-77');
    expect(documentCode('SHOP-', 'x', 'no-digits-here')).toMatch(/\d/);
  });
  it('names with refused words still pass the filter', () => {
    expect(isRefusedText(documentCode('SHOP-', '#SELECT1', 'gid://x/1'))).toBe(false);
  });
  it('prefixes that could collide with generated codes or fail the filter are refused', () => {
    expect(() => assertCodePrefix('DN')).toThrow(/generated code/);
    expect(() => assertCodePrefix('ASN')).toThrow(/generated code/);
    expect(() => assertCodePrefix('select-')).toThrow(/select/);
    expect(() => assertCodePrefix('A B')).toThrow();
    expect(() => assertCodePrefix('SHOP-')).not.toThrow();
  });
});
