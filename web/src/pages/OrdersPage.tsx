// Order sync state per order, filtered by what needs doing; each order opens its detail (audit trail, retry).
import { Badge, Banner, Box, Card, EmptyState, IndexTable, Link, Page, Tabs, Text, TextField } from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import { api, queryString } from '../lib/api.js';
import { ORDER_STATE_LABELS, orderStateTone } from '../lib/mapping-text.js';
import { navigate } from '../lib/router.js';

interface OrderRow {
  orderId: string;
  orderName: string | null;
  state: string;
  stateReason: string | null;
  missingSkus: string[];
  dnCode: string | null;
  updatedAt: string;
}

export const ORDER_TABS = [
  { id: 'all', content: 'All' },
  { id: 'needs_attention', content: 'Needs attention' },
  { id: 'needs_mapping', content: 'Needs mapping' },
  { id: 'failed', content: 'Failed' },
  { id: 'queued', content: 'Queued' },
  { id: 'in_warehouse', content: 'In warehouse' },
  { id: 'shipped', content: 'Shipped' },
  { id: 'cancelled', content: 'Cancelled' },
] as const;

const PAGE_SIZE = 50;

export function OrdersPage() {
  const [tab, setTab] = useState(0);
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ orders: OrderRow[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await api(`/api/orders${queryString({ filter: ORDER_TABS[tab]!.id, query: query.trim(), page, pageSize: PAGE_SIZE })}`));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setLoading(false);
    }
  }, [tab, query, page]);
  useEffect(() => {
    const t = setTimeout(() => void load(), 200);
    return () => clearTimeout(t);
  }, [load]);

  const orders = data?.orders ?? [];
  const lastPage = Math.max(1, Math.ceil((data?.total ?? 0) / PAGE_SIZE));
  return (
    <Page title="Orders" subtitle="Where each order is between the shop and the warehouse">
      {error && (
        <Box paddingBlockEnd="400">
          <Banner tone="critical" title="Orders could not be loaded" action={{ content: 'Try again', onAction: () => void load() }}><p>{error}</p></Banner>
        </Box>
      )}
      <Card padding="0">
        <Tabs tabs={ORDER_TABS.map((t) => ({ ...t }))} selected={tab} onSelect={(i) => { setTab(i); setPage(1); }} />
        <Box padding="300">
          <TextField label="Search orders" labelHidden placeholder="Order name or warehouse code" value={query} onChange={(v) => { setQuery(v); setPage(1); }} clearButton onClearButtonClick={() => setQuery('')} autoComplete="off" />
        </Box>
        {data && data.total === 0 && tab === 0 && !query ? (
          <EmptyState heading="No orders yet" image="">
            <p>Orders appear here as soon as the shop sends them to the warehouse.</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: 'order', plural: 'orders' }}
            itemCount={orders.length}
            selectable={false}
            loading={loading}
            emptyState={<Box padding="400"><Text as="p" tone="subdued">No orders in this view.</Text></Box>}
            headings={[{ title: 'Order' }, { title: 'Sync state' }, { title: 'Why' }, { title: 'Warehouse order' }, { title: 'Updated' }]}
            pagination={{ hasPrevious: page > 1, hasNext: page < lastPage, onPrevious: () => setPage((p) => p - 1), onNext: () => setPage((p) => p + 1) }}
          >
            {orders.map((o, i) => (
              <IndexTable.Row id={o.orderId} key={o.orderId} position={i}>
                <IndexTable.Cell>
                  <Link onClick={() => navigate(`/orders/${encodeURIComponent(o.orderId)}`)} accessibilityLabel={`Open order ${o.orderName ?? o.orderId}`}>
                    {o.orderName ?? o.orderId}
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell><Badge tone={orderStateTone(o.state)}>{ORDER_STATE_LABELS[o.state] ?? o.state}</Badge></IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" tone="subdued">
                    {o.state === 'needs_mapping' && o.missingSkus.length ? `Unmapped: ${o.missingSkus.join(', ')}` : (o.stateReason ?? '')}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{o.dnCode ?? '—'}</IndexTable.Cell>
                <IndexTable.Cell>{new Date(o.updatedAt).toLocaleString()}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
