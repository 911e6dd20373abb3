// GoodsDirectory over GreaterWMS: which goods codes exist. Few codes (an inline edit): one filtered GET each;
// many (auto-match, CSV import): one paged read of the whole goods list — 10,000 goods at the client's page
// size is a few dozen GETs instead of 10,000.
import type { GoodsDirectory } from '../../core/catalogue/catalogue-ports.js';
import type { GreaterWmsClient } from './greaterwms-client.js';
import type { GoodsRow } from './greaterwms-types.js';

/** Above this many codes a full list read costs fewer calls than one filtered read per code. */
export const PER_CODE_LOOKUP_LIMIT = 20;

export function greaterWmsGoodsDirectory(client: GreaterWmsClient): GoodsDirectory {
  return {
    async existing(codes) {
      const wanted = new Set(codes);
      if (wanted.size === 0) return new Set();
      if (wanted.size <= PER_CODE_LOOKUP_LIMIT) {
        const found = new Set<string>();
        await Promise.all(
          [...wanted].map(async (code) => {
            // The filter is a contains/iexact match on some builds: keep exact matches only.
            const rows = await client.http.listAll<GoodsRow>('/goods/', { goods_code: code });
            if (rows.some((r) => r.goods_code === code)) found.add(code);
          }),
        );
        return found;
      }
      const all = await client.http.listAll<GoodsRow>('/goods/');
      return new Set(all.map((r) => r.goods_code).filter((c) => wanted.has(c)));
    },
  };
}
