// Per variant: the warehouse figure, buffer, reservations, the value published to the shop and when it was
// last pushed; "Sync now" queues a full stock cycle.
import { Badge, Banner, BlockStack, Box, Card, EmptyState, IndexTable, Page, Text, TextField } from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import { api, queryString } from '../lib/api.js';
import { useToast } from '../components/toast.js';

interface StockRow {
  variantId: string;
  sku: string | null;
  productTitle: string | null;
  title: string | null;
  wmsAvailable: number;
  buffer: number;
  bufferOverride: number | null;
  reserved: number;
  publish: number;
  seen: number | null;
  pushedAt: string | null;
  status: string;
  lastError: string | null;
}
interface Answer {
  rows: StockRow[];
  total: number;
  lastRun: { mode: string; startedAt: string; finishedAt: string | null; processed: number; pushed: number; error: string | null } | null;
}

const PAGE_SIZE = 50;

export function StockPage() {
  const toast = useToast();
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Answer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await api<Answer>(`/api/stock${queryString({ query: query.trim(), page, pageSize: PAGE_SIZE })}`));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setLoading(false);
    }
  }, [query, page]);
  useEffect(() => {
    const t = setTimeout(() => void load(), 200);
    return () => clearTimeout(t);
  }, [load]);
  const syncNow = async () => {
    try {
      const r = await api<{ enqueued: boolean }>('/api/stock/sync', { method: 'POST' });
      toast(r.enqueued ? 'Stock sync queued' : 'A stock sync is already waiting');
    } catch (err) {
      toast((err as Error).message, { error: true });
    }
  };
  const rows = data?.rows ?? [];
  const lastPage = Math.max(1, Math.ceil((data?.total ?? 0) / PAGE_SIZE));
  const run = data?.lastRun;
  return (
    <Page title="Stock" subtitle="Warehouse figures and what the shop shows" primaryAction={{ content: 'Sync now', onAction: () => void syncNow() }}>
      <BlockStack gap="400">
        {error && <Banner tone="critical" title="Stock could not be loaded"><p>{error}</p></Banner>}
        {run && (
          <Text as="p" tone="subdued">
            Last {run.mode} sync {run.finishedAt ? `finished ${new Date(run.finishedAt).toLocaleString()}` : `started ${new Date(run.startedAt).toLocaleString()} (running)`} ·{' '}
            {run.processed} checked, {run.pushed} pushed{run.error ? ` · error: ${run.error}` : ''}
          </Text>
        )}
        <Card padding="0">
          <Box padding="300">
            <TextField label="Search stock" labelHidden placeholder="SKU or product" value={query} onChange={(v) => { setQuery(v); setPage(1); }} clearButton onClearButtonClick={() => setQuery('')} autoComplete="off" />
          </Box>
          {data && data.total === 0 && !query ? (
            <EmptyState heading="No stock figures yet" action={{ content: 'Sync now', onAction: () => void syncNow() }} image="">
              <p>Map your variants, then sync: the warehouse's figures appear here.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: 'variant', plural: 'variants' }}
              itemCount={rows.length}
              selectable={false}
              loading={loading}
              headings={[{ title: 'Variant' }, { title: 'In warehouse', alignment: 'end' }, { title: 'Buffer', alignment: 'end' }, { title: 'Reserved', alignment: 'end' }, { title: 'Published', alignment: 'end' }, { title: 'Last push' }]}
              pagination={{ hasPrevious: page > 1, hasNext: page < lastPage, onPrevious: () => setPage((p) => p - 1), onNext: () => setPage((p) => p + 1) }}
            >
              {rows.map((r, i) => (
                <IndexTable.Row id={`${r.variantId}`} key={`${r.variantId}-${i}`} position={i}>
                  <IndexTable.Cell>
                    <Text as="span" fontWeight="semibold">{r.sku ?? '(no SKU)'}</Text>
                    <Text as="p" tone="subdued">{[r.productTitle, r.title].filter(Boolean).join(' – ')}</Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell><Text as="span" alignment="end" numeric>{r.wmsAvailable}</Text></IndexTable.Cell>
                  <IndexTable.Cell><Text as="span" alignment="end" numeric>{r.buffer}{r.bufferOverride === null ? '' : ' *'}</Text></IndexTable.Cell>
                  <IndexTable.Cell><Text as="span" alignment="end" numeric>{r.reserved}</Text></IndexTable.Cell>
                  <IndexTable.Cell><Text as="span" alignment="end" numeric>{r.publish}</Text></IndexTable.Cell>
                  <IndexTable.Cell>
                    {r.status !== 'ok' ? <Badge tone="critical">{r.lastError ?? r.status}</Badge> : r.pushedAt ? new Date(r.pushedAt).toLocaleString() : <Text as="span" tone="subdued">not yet</Text>}
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
        <Text as="p" tone="subdued">* buffer set for this variant (others use the shop default from Settings).</Text>
      </BlockStack>
    </Page>
  );
}
