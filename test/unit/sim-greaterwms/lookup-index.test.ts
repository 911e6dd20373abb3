// The simulator's lookup index (store.ts where()) must give exactly the rows a scan gives, in the same order,
// while tables grow by push() and are replaced by filter() (as stock rows at 0 and purged headers are).
import { describe, expect, it } from 'vitest';
import { where } from '../../sim/greaterwms/store.js';

interface R {
  id: number;
  code: string;
}

const scan = (rows: R[], code: string) => rows.filter((r) => r.code === code);

describe('GreaterWMS simulator lookup index', () => {
  it('answers like a scan after rows are appended, and after the table is replaced by a filtered copy', () => {
    let rows: R[] = [];
    for (let i = 1; i <= 50; i++) rows.push({ id: i, code: `C${i % 7}` });
    expect(where(rows, 'code', 'C3')).toEqual(scan(rows, 'C3'));
    for (let i = 51; i <= 60; i++) rows.push({ id: i, code: `C${i % 7}` }); // appended after the index was built
    for (let k = 0; k < 8; k++) expect(where(rows, 'code', `C${k}`)).toEqual(scan(rows, `C${k}`));
    rows = rows.filter((r) => r.id % 2 === 0); // a new array: the old index must not answer for it
    for (let k = 0; k < 8; k++) expect(where(rows, 'code', `C${k}`)).toEqual(scan(rows, `C${k}`));
    rows.length = 3; // shrunk in place: rebuilt
    expect(where(rows, 'code', rows[0]!.code)).toEqual(scan(rows, rows[0]!.code));
    expect(where(rows, 'code', 'none')).toEqual([]);
  });
});
