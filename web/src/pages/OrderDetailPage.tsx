// One order: its sync state and reason, the audit trail (every call made to the warehouse and the shop, with
// outcome and duration), its jobs with Retry / Discard for failed ones, and Retry for a failed order.
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, InlineStack, Page, SkeletonBodyText, Text } from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../lib/api.js';
import { ORDER_STATE_LABELS, orderStateTone } from '../lib/mapping-text.js';
import { navigate } from '../lib/router.js';
import { useToast } from '../components/toast.js';

interface Detail {
  order: { orderId: string; orderName: string | null; state: string; stateReason: string | null; dnCode: string | null; missingSkus: string[]; updatedAt: string };
  calls: { id: string; system: string; operation: string; outcome: string; errorCode: string | null; durationMs: number; at: string }[];
  jobs: { id: string; type: string; state: string; attempts: number; lastError: string | null; runAt: string }[];
  shipments: { id: string; docKey: string; fulfillmentId: string | null; trackingNumber: string | null; failedReason: string | null }[];
}

export function OrderDetailPage({ orderId }: { orderId: string }) {
  const toast = useToast();
  const [d, setD] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<Detail>(`/api/orders/${encodeURIComponent(orderId)}`).then(setD, (e: Error) => setError(e.message));
  }, [orderId]);
  useEffect(load, [load]);

  const act = async (path: string, done: string) => {
    try {
      await api(path, { method: 'POST' });
      toast(done);
      load();
    } catch (err) {
      toast((err as Error).message, { error: true });
    }
  };

  const o = d?.order;
  const canRetry = o && ['failed', 'needs_mapping', 'needs_address'].includes(o.state);
  return (
    <Page
      backAction={{ content: 'Orders', onAction: () => navigate('/orders') }}
      title={o?.orderName ?? 'Order'}
      titleMetadata={o && <Badge tone={orderStateTone(o.state)}>{ORDER_STATE_LABELS[o.state] ?? o.state}</Badge>}
      primaryAction={canRetry ? { content: 'Retry sync', onAction: () => void act(`/api/orders/${encodeURIComponent(orderId)}/retry`, 'Order sync queued') } : undefined}
    >
      <BlockStack gap="400">
        {error && <Banner tone="critical" title="This order could not be loaded"><p>{error}</p></Banner>}
        {!d && !error && <Card><SkeletonBodyText lines={4} /></Card>}
        {o && (
          <Card>
            <BlockStack gap="200">
              {o.stateReason && <Banner tone={o.state === 'failed' ? 'critical' : 'warning'}><p>{o.stateReason}</p></Banner>}
              <Text as="p">Warehouse order: {o.dnCode ?? 'not created yet'}</Text>
              {o.missingSkus.length > 0 && <Text as="p">Waiting for a mapping of: {o.missingSkus.join(', ')}</Text>}
            </BlockStack>
          </Card>
        )}
        {d && d.jobs.length > 0 && (
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">Jobs</Text>
              {d.jobs.map((j) => (
                <InlineStack key={j.id} gap="300" blockAlign="center" align="space-between">
                  <Text as="span">
                    #{j.id} {j.type} · <Badge tone={j.state === 'failed' || j.state === 'dead' ? 'critical' : undefined}>{j.state}</Badge> · {j.attempts} attempt(s)
                    {j.lastError ? ` · ${j.lastError}` : ''}
                  </Text>
                  {(j.state === 'failed' || j.state === 'dead') && (
                    <InlineStack gap="200">
                      <Button size="slim" onClick={() => void act(`/api/jobs/${j.id}/retry`, `Job #${j.id} will run again`)}>Retry</Button>
                      <Button size="slim" tone="critical" onClick={() => void act(`/api/jobs/${j.id}/discard`, `Job #${j.id} discarded`)}>Discard</Button>
                    </InlineStack>
                  )}
                </InlineStack>
              ))}
            </BlockStack>
          </Card>
        )}
        {d && (
          <Card padding="0">
            <Box padding="400"><Text as="h2" variant="headingMd">Audit trail</Text></Box>
            {d.calls.length === 0 ? (
              <Box padding="400"><Text as="p" tone="subdued">No calls made for this order yet.</Text></Box>
            ) : (
              <DataTable
                columnContentTypes={['text', 'text', 'text', 'text', 'numeric']}
                headings={['When', 'System', 'Operation', 'Outcome', 'ms']}
                rows={d.calls.map((c) => [new Date(c.at).toLocaleString(), c.system, c.operation, c.outcome === 'ok' ? 'ok' : `error ${c.errorCode ?? ''}`, c.durationMs])}
              />
            )}
          </Card>
        )}
      </BlockStack>
    </Page>
  );
}
