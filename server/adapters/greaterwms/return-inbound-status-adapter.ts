// ReturnInboundStatusSource for GreaterWMS (docs/returns.md): how far warehouse staff got with a return ASN.
// Status 1–3 (pre delivery, pre load, sorting): announced; 4 (sorted: counted at the dock): received;
// 5 (finish receiving: every line moved to a bin): put away. Read-only, no write lock.
import type { InboundProgress, ReturnInboundStatusSource } from '../../core/returns/return-ports.js';
import type { GreaterWmsClient } from './greaterwms-client.js';

export function greaterWmsInboundStatus(client: GreaterWmsClient): ReturnInboundStatusSource {
  return {
    async inboundStatus(code) {
      const headers = await client.findAsnHeaders(code);
      if (headers.length === 0) return { progress: 'missing', detail: `ASN ${code} not found` };
      // Duplicate headers (made outside the connector): the least advanced one decides.
      const status = Math.min(...headers.map((h) => h.asn_status));
      const progress: InboundProgress = status >= 5 ? 'put_away' : status === 4 ? 'received' : 'announced';
      return { progress, detail: `ASN ${code} status ${status}` };
    },
  };
}
