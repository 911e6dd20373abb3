// Failed and dead jobs of the shop with Retry / Discard (the queue's operations API), and queue counts.
import { Badge, Banner, Box, Button, Card, IndexTable, InlineStack, Page, Tabs, Text } from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../lib/api.js';
import { useToast } from '../components/toast.js';

interface Job {
  id: string;
  type: string;
  state: string;
  attempts: number;
  lastError: string | null;
  lastErrorCode: string | null;
  payload: Record<string, unknown>;
  updatedAt: string;
  blockedBy: string | null;
}

const STATES = ['failed', 'dead', 'pending', 'running', 'discarded'] as const;

export function JobsPage() {
  const toast = useToast();
  const [tab, setTab] = useState(0);
  const [data, setData] = useState<{ jobs: Job[]; stats: { counts: Record<string, number> } } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<{ jobs: Job[]; stats: { counts: Record<string, number> } }>(`/api/jobs?state=${STATES[tab]}`).then(
      (r) => { setData(r); setError(null); },
      (e: Error) => setError(e.message),
    );
  }, [tab]);
  useEffect(load, [load]);
  const act = async (id: string, action: 'retry' | 'discard') => {
    try {
      await api(`/api/jobs/${id}/${action}`, { method: 'POST' });
      toast(action === 'retry' ? `Job #${id} will run again` : `Job #${id} discarded`);
      load();
    } catch (err) {
      toast((err as Error).message, { error: true });
    }
  };
  const jobs = data?.jobs ?? [];
  return (
    <Page title="Jobs" subtitle="Background work for this shop; failed jobs wait for you">
      {error && <Box paddingBlockEnd="400"><Banner tone="critical"><p>{error}</p></Banner></Box>}
      <Card padding="0">
        <Tabs tabs={STATES.map((s) => ({ id: s, content: `${s[0]!.toUpperCase()}${s.slice(1)} (${data?.stats.counts[s] ?? 0})` }))} selected={tab} onSelect={setTab} />
        <IndexTable
          resourceName={{ singular: 'job', plural: 'jobs' }}
          itemCount={jobs.length}
          selectable={false}
          emptyState={<Box padding="400"><Text as="p" tone="subdued">No {STATES[tab]} jobs.</Text></Box>}
          headings={[{ title: 'Job' }, { title: 'State' }, { title: 'Attempts' }, { title: 'Last error' }, { title: '' }]}
        >
          {jobs.map((j, i) => (
            <IndexTable.Row id={j.id} key={j.id} position={i}>
              <IndexTable.Cell>#{j.id} {j.type}{typeof j.payload?.orderId === 'string' ? ` · ${j.payload.orderId}` : ''}</IndexTable.Cell>
              <IndexTable.Cell><Badge tone={j.state === 'failed' || j.state === 'dead' ? 'critical' : undefined}>{j.state}</Badge></IndexTable.Cell>
              <IndexTable.Cell>{j.attempts}</IndexTable.Cell>
              <IndexTable.Cell><Text as="span" tone="subdued">{j.lastError ?? ''}</Text></IndexTable.Cell>
              <IndexTable.Cell>
                {['failed', 'dead', 'pending'].includes(j.state) && (
                  <InlineStack gap="200">
                    {j.state !== 'pending' && <Button size="slim" onClick={() => void act(j.id, 'retry')} accessibilityLabel={`Retry job ${j.id}`}>Retry</Button>}
                    <Button size="slim" tone="critical" onClick={() => void act(j.id, 'discard')} accessibilityLabel={`Discard job ${j.id}`}>Discard</Button>
                  </InlineStack>
                )}
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </Card>
    </Page>
  );
}
