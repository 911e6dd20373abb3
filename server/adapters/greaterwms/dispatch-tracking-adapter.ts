// ShipmentTrackingSource for GreaterWMS (docs/orders.md, "Tracking"). GreaterWMS has no tracking field; what
// it does record at dispatch is the driver (GET /driver/dispatchlist/: driver_name + dn_code). Convention:
// the warehouse dispatches with a driver named "<carrier>" or "<carrier> <tracking number>" (e.g. "DHL" or
// "DHL 00340434161094042557"; driver names are free text and unique, so one driver per parcel is fine).
import type { ShipmentTrackingSource } from '../../core/orders/order-ports.js';
import type { GreaterWmsClient } from './greaterwms-client.js';

interface DispatchRow {
  id: number;
  driver_name: string;
  dn_code: string;
}

/** "DHL 0034 0434" → { carrierKey: "dhl", number: "00340434" }; "UPS" → { carrierKey: "ups", number: null }. */
export function parseDriverName(driverName: string): { carrierKey: string; number: string | null } | null {
  const text = driverName.trim();
  if (!text) return null;
  const m = /^([^\s:]+)(?:[\s:]+(.+))?$/.exec(text);
  if (!m) return null;
  const number = m[2] ? m[2].replace(/\s+/g, '') : null;
  return { carrierKey: m[1]!.replace(/:$/, '').toLowerCase(), number: number || null };
}

export function greaterWmsTrackingSource(client: GreaterWmsClient): ShipmentTrackingSource {
  return {
    async trackingFor(doc) {
      // django-filter "exact" on dn_code; filtered again locally (deployments with filters disabled).
      const rows = (await client.http.listAll<DispatchRow>('/driver/dispatchlist/', { dn_code: doc.code })).filter((r) => r.dn_code === doc.code);
      const newest = rows.sort((a, b) => b.id - a.id)[0];
      return newest ? parseDriverName(newest.driver_name) : null;
    },
  };
}
