import { describe, expect, it } from 'vitest';
import { bufferFor, variantStock, type GoodsFigure } from '../../../server/core/stock/stock-arithmetic.js';

const figures = (m: Record<string, [number, number]>) => (code: string): GoodsFigure | undefined => (m[code] ? { available: m[code]![0], reserved: m[code]![1] } : undefined);

describe('stock arithmetic', () => {
  it('plain variant: publish = can_order − reservations − buffer', () => {
    expect(variantStock([{ goodsCode: 'A', quantity: 1 }], figures({ A: [10, 3] }), 2)).toEqual({ wmsAvailable: 10, reserved: 3, buffer: 2, publish: 5 });
  });

  it('buffer larger than stock → 0, never negative', () => {
    expect(variantStock([{ goodsCode: 'A', quantity: 1 }], figures({ A: [2, 0] }), 5).publish).toBe(0);
  });

  it('reservations larger than stock (oversold) → 0, never negative', () => {
    expect(variantStock([{ goodsCode: 'A', quantity: 1 }], figures({ A: [1, 2] }), 0)).toEqual({ wmsAvailable: 1, reserved: 1, buffer: 0, publish: 0 });
  });

  it('bundle: min over components of floor(component / qty), then its buffer', () => {
    const kit = [
      { goodsCode: 'BOLT', quantity: 2 },
      { goodsCode: 'NUT', quantity: 1 },
    ];
    expect(variantStock(kit, figures({ BOLT: [7, 0], NUT: [5, 0] }), 0).publish).toBe(3);
    expect(variantStock(kit, figures({ BOLT: [7, 2], NUT: [5, 0] }), 0)).toEqual({ wmsAvailable: 3, reserved: 1, buffer: 0, publish: 2 });
    expect(variantStock(kit, figures({ BOLT: [7, 0], NUT: [5, 0] }), 1).publish).toBe(2);
    // The scarce component decides.
    expect(variantStock(kit, figures({ BOLT: [100, 0], NUT: [1, 0] }), 0).publish).toBe(1);
  });

  it('a component without a warehouse row (vanished at 0) makes the bundle 0', () => {
    const kit = [
      { goodsCode: 'BOLT', quantity: 2 },
      { goodsCode: 'GONE', quantity: 1 },
    ];
    expect(variantStock(kit, figures({ BOLT: [7, 0] }), 0).publish).toBe(0);
  });

  it('the same goods twice in one mapping counts its quantities together', () => {
    expect(variantStock([{ goodsCode: 'A', quantity: 1 }, { goodsCode: 'A', quantity: 2 }], figures({ A: [10, 0] }), 0).publish).toBe(3);
  });

  it('no components → 0', () => {
    expect(variantStock([], figures({}), 0).publish).toBe(0);
  });

  it('buffer: the override wins over the shop default and percentage, even 0; negatives clamp to 0', () => {
    expect(bufferFor(undefined, 3)).toEqual({ units: 3, percent: 0 });
    expect(bufferFor(undefined, 3, 10)).toEqual({ units: 3, percent: 10 });
    expect(bufferFor(0, 3, 10)).toEqual({ units: 0, percent: 0 });
    expect(bufferFor(5, 3, 10)).toEqual({ units: 5, percent: 0 });
    expect(bufferFor(-2, 3)).toEqual({ units: 0, percent: 0 });
  });

  it('percentage buffer: max(units, ceil(percent of what the variant could sell)), after reservations, exact at whole numbers', () => {
    const a = (avail: number, reserved: number, units: number, percent: number) => variantStock([{ goodsCode: 'A', quantity: 1 }], figures({ A: [avail, reserved] }), { units, percent });
    expect(a(25, 0, 0, 10)).toMatchObject({ buffer: 3, publish: 22 }); // 2.5 rounds up
    expect(a(25, 0, 5, 10)).toMatchObject({ buffer: 5, publish: 20 }); // units are the floor
    expect(a(30, 10, 0, 10)).toMatchObject({ buffer: 2, publish: 18 }); // of the 20 left after reservations
    expect(a(30, 0, 0, 10)).toMatchObject({ buffer: 3, publish: 27 }); // 10 % of 30 is 3, not 4 (floating point)
    expect(a(1, 0, 0, 5)).toMatchObject({ buffer: 1, publish: 0 }); // any stock with a percentage keeps one back
    expect(a(0, 0, 0, 50)).toMatchObject({ buffer: 0, publish: 0 });
    expect(a(10, 0, 0, 250)).toMatchObject({ buffer: 10, publish: 0 }); // clamped to 100 %
    // A bundle keeps back whole bundles: 7 kits sellable, 20 % → 2.
    expect(variantStock([{ goodsCode: 'BOLT', quantity: 2 }], figures({ BOLT: [14, 0] }), { units: 0, percent: 20 })).toMatchObject({ buffer: 2, publish: 5 });
  });
});
