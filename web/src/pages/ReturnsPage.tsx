// Return reason → disposition (what the warehouse does with a returned unit), with the seeded defaults marked,
// and the returns waiting for a rule (saving the rule resumes them).
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, FormLayout, InlineStack, Page, Select, Text, TextField } from '@shopify/polaris';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../lib/api.js';
import { useToast } from '../components/toast.js';

interface Rule {
  reasonKey: string;
  disposition: string;
  isDefault: boolean;
}
interface Case {
  id: string;
  name: string | null;
  orderName: string | null;
  statusReason: string | null;
  lines: { id: string; sku: string | null; quantity: number; reasonKey: string; state: string }[];
}

export const DISPOSITION_LABELS: Record<string, string> = {
  restock: 'Restock (sellable)',
  inspect: 'Inspect first',
  hold: 'Hold',
  damaged: 'Damaged',
  write_off: 'Write off (no inbound)',
};

/** "reason:size-too-small" → "Size too small"; "restock:no_restock" → "Refund without restock". */
export function reasonLabel(key: string): string {
  if (key === 'restock:return') return 'Refund with restock (no reason given)';
  if (key === 'restock:no_restock') return 'Refund without restock';
  const h = key.replace(/^reason:/, '').replace(/-/g, ' ');
  return h.charAt(0).toUpperCase() + h.slice(1);
}

export function ReturnsPage() {
  const toast = useToast();
  const [data, setData] = useState<{ rules: Rule[]; dispositions: string[]; waiting: Case[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [newKey, setNewKey] = useState('');
  const [newDisposition, setNewDisposition] = useState('inspect');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const load = useCallback(() => {
    api<{ rules: Rule[]; dispositions: string[]; waiting: Case[] }>('/api/returns/rules').then(setData, (e: Error) => setError(e.message));
  }, []);
  useEffect(load, [load]);

  const save = async (reasonKey: string, disposition: string) => {
    try {
      const r = await api<{ reasonKey: string; resumedCases: number }>('/api/returns/rules', { method: 'PUT', body: { reasonKey, disposition } });
      toast(r.resumedCases ? `Rule saved · ${r.resumedCases} waiting return(s) resumed` : 'Rule saved');
      setFieldErrors({});
      load();
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) setFieldErrors(err.fieldErrors);
      else toast((err as Error).message, { error: true });
      return false;
    }
  };
  const options = (data?.dispositions ?? Object.keys(DISPOSITION_LABELS)).map((d) => ({ label: DISPOSITION_LABELS[d] ?? d, value: d }));
  const waitingKeys = [...new Set((data?.waiting ?? []).flatMap((c) => c.lines.filter((l) => l.state === 'needs_rule').map((l) => l.reasonKey)))];

  return (
    <Page title="Return rules" subtitle="What the warehouse does with returned items, by return reason">
      <BlockStack gap="400">
        {error && <Banner tone="critical" title="Rules could not be loaded"><p>{error}</p></Banner>}
        {data && data.waiting.length > 0 && (
          <Banner tone="warning" title={`${data.waiting.length} return${data.waiting.length === 1 ? ' is' : 's are'} waiting for a rule`}>
            <BlockStack gap="200">
              {data.waiting.map((c) => (
                <Text as="p" key={c.id}>
                  {c.name ?? c.id}
                  {c.orderName ? ` (order ${c.orderName})` : ''}: {c.lines.filter((l) => l.state === 'needs_rule').map((l) => `${l.quantity}× ${l.sku ?? '?'} — ${reasonLabel(l.reasonKey)}`).join(', ')}
                </Text>
              ))}
              <InlineStack gap="200">
                {waitingKeys.map((k) => (
                  <Button key={k} onClick={() => setNewKey(k)}>{`Add a rule for "${reasonLabel(k)}"`}</Button>
                ))}
              </InlineStack>
            </BlockStack>
          </Banner>
        )}
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">Add or change a rule</Text>
            <FormLayout>
              <FormLayout.Group>
                <TextField label="Return reason" value={newKey} onChange={setNewKey} error={fieldErrors.reasonKey} autoComplete="off" placeholder="reason:arrived-late or defective" />
                <Select label="Disposition" options={options} value={newDisposition} onChange={setNewDisposition} error={fieldErrors.disposition} />
              </FormLayout.Group>
              <InlineStack>
                <Button variant="primary" onClick={() => void save(newKey, newDisposition).then((ok) => ok && setNewKey(''))}>Save rule</Button>
              </InlineStack>
            </FormLayout>
          </BlockStack>
        </Card>
        <Card padding="0">
          <Box padding="400"><Text as="h2" variant="headingMd">Rules</Text></Box>
          {data && (
            <DataTable
              columnContentTypes={['text', 'text', 'text']}
              headings={['Return reason', 'Disposition', '']}
              rows={data.rules.map((r) => [
                <span key="k">{reasonLabel(r.reasonKey)} <Text as="span" tone="subdued">{r.reasonKey}</Text></span>,
                // Keyed by reason: rows are positional, so when a saved rule adds a row above, this select must be a new
                // element, not the old one now showing another reason (a pending change would land on the wrong rule).
                <Select
                  key={`d-${r.reasonKey}`}
                  label={`Disposition for ${reasonLabel(r.reasonKey)}`}
                  labelHidden
                  options={options}
                  value={r.disposition}
                  onChange={(v) => void save(r.reasonKey, v)}
                />,
                r.isDefault ? <Badge key="b">Default</Badge> : <Badge key="b" tone="info">Yours</Badge>,
              ])}
            />
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
