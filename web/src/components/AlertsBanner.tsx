// Open alerts of the shop (dead jobs, failed orders…) above every page, each dismissible (resolves it).
import { Banner, BlockStack, Text } from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../lib/api.js';

interface Alert {
  id: string;
  kind: string;
  severity: 'info' | 'warning' | 'error';
  message: string;
  createdAt: string;
}

export function AlertsBanner() {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const load = useCallback(() => {
    api<{ alerts: Alert[] }>('/api/alerts').then((r) => setAlerts(r.alerts), () => setAlerts([]));
  }, []);
  useEffect(load, [load]);
  if (alerts.length === 0) return null;
  const tone = alerts.some((a) => a.severity === 'error') ? 'critical' : 'warning';
  return (
    <Banner tone={tone} title={`${alerts.length} open alert${alerts.length === 1 ? '' : 's'}`}>
      <BlockStack gap="100">
        {alerts.slice(0, 5).map((a) => (
          <Text as="p" key={a.id}>
            {a.message}{' '}
            <button
              type="button"
              className="wms-link"
              aria-label={`Dismiss alert: ${a.message}`}
              onClick={() => void api(`/api/alerts/${a.id}/resolve`, { method: 'POST' }).then(load, load)}
            >
              Dismiss
            </button>
          </Text>
        ))}
        {alerts.length > 5 && <Text as="p" tone="subdued">…and {alerts.length - 5} more</Text>}
      </BlockStack>
    </Banner>
  );
}
