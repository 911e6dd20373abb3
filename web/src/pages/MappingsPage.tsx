// SKU ↔ goods mappings at catalogue scale: server-side pages of 50, search (debounced), filter tabs, inline
// edit of a variant's goods (a bundle = several components) checked against GreaterWMS, auto-match with a
// preview, CSV import (all-or-nothing, per-row errors) and export, catalogue refresh with progress.
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  EmptyState,
  IndexTable,
  InlineStack,
  List,
  Modal,
  Page,
  Spinner,
  Tabs,
  Text,
  TextField,
} from '@shopify/polaris';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, apiFetch, ApiError, queryString } from '../lib/api.js';
import { formatComponents, fromDrafts, rowErrors, toDrafts, type Component, type ComponentDraft } from '../lib/mapping-text.js';
import { useToast } from '../components/toast.js';

export interface MappingRow {
  variantId: string;
  sku: string | null;
  title: string;
  productTitle: string;
  components: Component[];
  /** Per-variant stock buffer; null = the shop default. */
  buffer?: number | null;
}

interface ListAnswer {
  rows: MappingRow[];
  total: number;
  page: number;
  pageSize: number;
  catalogue: { state: string; fetched: number; finishedAt: string | null; error: string | null } | null;
}

export const FILTERS = [
  { id: 'all', content: 'All' },
  { id: 'unmapped', content: 'Unmapped' },
  { id: 'mapped', content: 'Mapped' },
  { id: 'bundles', content: 'Bundles' },
] as const;

const PAGE_SIZE = 50;
/** The first request of the page (main.tsx prefetches it). */
export const LANDING_QUERY = queryString({ page: 1, pageSize: PAGE_SIZE, query: '', filter: 'all' });
/** Typing pauses this long before the search is sent (one request per word, not per key). */
const SEARCH_DEBOUNCE_MS = 300;

export function MappingsPage() {
  const toast = useToast();
  const [filter, setFilter] = useState(0);
  const [query, setQuery] = useState('');
  const [sentQuery, setSentQuery] = useState('');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<ListAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [editing, setEditing] = useState<MappingRow | null>(null);
  const [autoMatchOpen, setAutoMatchOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const seq = useRef(0);

  const load = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const r = await api<ListAnswer>(`/api/mappings${queryString({ page, pageSize: PAGE_SIZE, query: sentQuery, filter: FILTERS[filter]!.id })}`);
      if (mine !== seq.current) return; // an older answer arriving late
      setData(r);
      setError(null);
    } catch (err) {
      if (mine === seq.current) setError((err as Error).message);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [page, sentQuery, filter]);
  useEffect(() => void load(), [load]);

  useEffect(() => {
    const t = setTimeout(() => {
      setSentQuery(query.trim());
      setPage(1);
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [query]);

  // While a catalogue sync runs, poll its progress every 2 s.
  const syncing = data?.catalogue?.state === 'running';
  useEffect(() => {
    if (!syncing) return;
    const t = setInterval(() => void load(), 2000);
    return () => clearInterval(t);
  }, [syncing, load]);

  const refresh = async () => {
    try {
      await api('/api/catalogue/refresh', { method: 'POST' });
      toast('Catalogue refresh started');
      setTimeout(() => void load(), 500);
    } catch (err) {
      toast((err as Error).message, { error: true });
    }
  };

  const exportCsv = async () => {
    const res = await apiFetch('/api/mappings/export');
    if (!res.ok) return toast('Export failed', { error: true });
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = 'mappings.csv';
    a.click();
    URL.revokeObjectURL(url);
  };

  const rows = data?.rows ?? [];
  const total = data?.total ?? 0;
  const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const emptyCatalogue = data !== null && total === 0 && !sentQuery && filter === 0;

  return (
    <Page
      title="SKU mappings"
      subtitle="Which warehouse goods each variant ships as"
      primaryAction={{ content: 'Auto-match', onAction: () => setAutoMatchOpen(true) }}
      secondaryActions={[
        { content: 'Import CSV', onAction: () => setImportOpen(true) },
        { content: 'Export CSV', onAction: () => void exportCsv() },
        { content: 'Refresh catalogue', onAction: () => void refresh(), loading: syncing },
      ]}
    >
      <BlockStack gap="400">
        {error && (
          <Banner tone="critical" title="The mappings could not be loaded" action={{ content: 'Try again', onAction: () => void load() }}>
            <p>{error}</p>
          </Banner>
        )}
        {syncing && (
          <Banner tone="info" title="Reading your catalogue…">
            <p>{data?.catalogue?.fetched ?? 0} variants so far.</p>
          </Banner>
        )}
        {data?.catalogue?.state === 'failed' && (
          <Banner tone="warning" title="The last catalogue refresh failed">
            <p>{data.catalogue.error}</p>
          </Banner>
        )}
        <Card padding="0">
          <Tabs tabs={FILTERS.map((f) => ({ ...f }))} selected={filter} onSelect={(i) => { setFilter(i); setPage(1); }} />
          <Box padding="300">
            <TextField
              label="Search"
              labelHidden
              placeholder="Search SKU, product, variant or goods code"
              value={query}
              onChange={setQuery}
              clearButton
              onClearButtonClick={() => setQuery('')}
              autoComplete="off"
            />
          </Box>
          {emptyCatalogue ? (
            <EmptyState heading="No variants yet" action={{ content: 'Refresh catalogue', onAction: () => void refresh() }} image="">
              <p>Read your products from Shopify to map them to warehouse goods.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: 'variant', plural: 'variants' }}
              itemCount={rows.length}
              selectable={false}
              loading={loading}
              emptyState={<Box padding="400"><Text as="p" tone="subdued">No variants match.</Text></Box>}
              headings={[{ title: 'Product' }, { title: 'SKU' }, { title: 'Warehouse goods' }, { title: '' }]}
              pagination={{
                hasPrevious: page > 1,
                hasNext: page < lastPage,
                onPrevious: () => setPage((p) => p - 1),
                onNext: () => setPage((p) => p + 1),
                label: `Page ${page} of ${lastPage} · ${total} variants`,
              }}
            >
              {rows.map((r, i) => (
                <IndexTable.Row id={r.variantId} key={r.variantId} position={i}>
                  <IndexTable.Cell>
                    <Text as="span" fontWeight="semibold">{r.productTitle}</Text>
                    <Text as="p" tone="subdued">{r.title}</Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{r.sku ?? <Text as="span" tone="subdued">no SKU</Text>}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {r.components.length === 0 ? (
                      <Badge tone="warning">Unmapped</Badge>
                    ) : (
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="span">{formatComponents(r.components)}</Text>
                        {r.buffer != null && <Badge>{`buffer ${r.buffer}`}</Badge>}
                        {(r.components.length > 1 || r.components[0]!.quantity > 1) && <Badge tone="info">Bundle</Badge>}
                      </InlineStack>
                    )}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Button size="slim" onClick={() => setEditing(r)} accessibilityLabel={`Edit mapping of ${r.sku ?? r.title}`}>
                      Edit
                    </Button>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
      {editing && (
        <EditMappingModal
          row={editing}
          onClose={() => setEditing(null)}
          onSaved={(msg) => {
            setEditing(null);
            toast(msg);
            void load();
          }}
        />
      )}
      {autoMatchOpen && (
        <AutoMatchModal
          onClose={() => setAutoMatchOpen(false)}
          onApplied={(n) => {
            setAutoMatchOpen(false);
            toast(`${n} variant${n === 1 ? '' : 's'} mapped`);
            void load();
          }}
        />
      )}
      {importOpen && (
        <ImportModal
          onClose={() => setImportOpen(false)}
          onImported={(n) => {
            setImportOpen(false);
            toast(`${n} mapping${n === 1 ? '' : 's'} imported`);
            void load();
          }}
        />
      )}
    </Page>
  );
}

export function EditMappingModal({ row, onClose, onSaved }: { row: MappingRow; onClose: () => void; onSaved: (message: string) => void }) {
  const [drafts, setDrafts] = useState<ComponentDraft[]>(toDrafts(row.components, row.sku));
  const initialBuffer = row.buffer === null || row.buffer === undefined ? '' : String(row.buffer);
  const [buffer, setBuffer] = useState(initialBuffer);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const perRow = rowErrors(errors, drafts.length);
  const set = (i: number, patch: Partial<ComponentDraft>) => setDrafts((d) => d.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  const save = async () => {
    setSaving(true);
    try {
      const r = await api<{ resumedOrders: number }>(`/api/mappings/${encodeURIComponent(row.variantId)}`, {
        method: 'PUT',
        body: { components: fromDrafts(drafts), ...(buffer !== initialBuffer ? { buffer: buffer.trim() === '' ? null : buffer.trim() } : {}) },
      });
      onSaved(r.resumedOrders ? `Mapping saved · ${r.resumedOrders} waiting order(s) resumed` : 'Mapping saved');
    } catch (err) {
      setErrors(err instanceof ApiError && err.status === 422 ? err.fieldErrors : { _: (err as Error).message });
    } finally {
      setSaving(false);
    }
  };
  const remove = async () => {
    setSaving(true);
    try {
      await api(`/api/mappings/${encodeURIComponent(row.variantId)}`, { method: 'DELETE' });
      onSaved('Mapping removed');
    } catch (err) {
      setErrors({ _: (err as Error).message });
      setSaving(false);
    }
  };
  const general = errors._ ?? errors.components;

  return (
    <Modal
      open
      onClose={onClose}
      title={`Map ${row.productTitle} – ${row.title}`}
      primaryAction={{ content: 'Save', onAction: () => void save(), loading: saving }}
      secondaryActions={[
        { content: 'Cancel', onAction: onClose },
        ...(row.components.length ? [{ content: 'Remove mapping', destructive: true, onAction: () => void remove() }] : []),
      ]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          <Text as="p" tone="subdued">
            SKU {row.sku ?? '(none)'}. One goods code for a plain product; several for a bundle (quantities per unit sold).
          </Text>
          {general && <Banner tone="critical"><p>{general}</p></Banner>}
          {drafts.map((d, i) => (
            <InlineStack key={i} gap="200" blockAlign="start" wrap={false}>
              <div style={{ flex: 3 }}>
                <TextField
                  label={`Goods code ${i + 1}`}
                  value={d.goodsCode}
                  onChange={(v) => set(i, { goodsCode: v })}
                  error={perRow[i]?.goodsCode}
                  autoComplete="off"
                />
              </div>
              <div style={{ flex: 1 }}>
                <TextField label="Quantity" type="number" min={1} value={d.quantity} onChange={(v) => set(i, { quantity: v })} error={perRow[i]?.quantity} autoComplete="off" />
              </div>
              {drafts.length > 1 && (
                <div style={{ paddingTop: 24 }}>
                  <Button variant="plain" tone="critical" onClick={() => setDrafts((x) => x.filter((_, j) => j !== i))} accessibilityLabel={`Remove component ${i + 1}`}>
                    Remove
                  </Button>
                </div>
              )}
            </InlineStack>
          ))}
          <InlineStack>
            <Button onClick={() => setDrafts((d) => [...d, { goodsCode: '', quantity: '1' }])}>Add component</Button>
          </InlineStack>
          <TextField
            label="Stock buffer"
            type="number"
            min={0}
            value={buffer}
            onChange={setBuffer}
            error={errors.buffer}
            helpText="Units kept back from the shop for this variant. Empty: the shop default (Settings)."
            autoComplete="off"
          />
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}

/** Checkboxes rendered in the auto-match preview: thousands of them would freeze the dialog. */
const PREVIEW_ROWS = 200;

interface Candidate {
  variantId: string;
  sku: string;
  title: string;
  productTitle: string;
}

export function AutoMatchModal({ onClose, onApplied }: { onClose: () => void; onApplied: (n: number) => void }) {
  const [preview, setPreview] = useState<{ matches: Candidate[]; unmatched: number } | null>(null);
  const [kept, setKept] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [applying, setApplying] = useState(false);
  useEffect(() => {
    api<{ matches: Candidate[]; unmatched: number }>('/api/mappings/auto-match/preview', { method: 'POST' }).then(
      (p) => {
        setPreview(p);
        setKept(new Set(p.matches.map((m) => m.variantId)));
      },
      (err: Error) => setError(err.message),
    );
  }, []);
  const apply = async () => {
    setApplying(true);
    try {
      const r = await api<{ applied: number }>('/api/mappings/auto-match/apply', { method: 'POST', body: { variantIds: [...kept] } });
      onApplied(r.applied);
    } catch (err) {
      setError((err as Error).message);
      setApplying(false);
    }
  };
  return (
    <Modal
      open
      onClose={onClose}
      title="Auto-match SKUs to goods codes"
      primaryAction={{ content: `Map ${kept.size} variant${kept.size === 1 ? '' : 's'}`, onAction: () => void apply(), disabled: kept.size === 0, loading: applying }}
      secondaryActions={[{ content: 'Cancel', onAction: onClose }]}
    >
      <Modal.Section>
        {error && <Banner tone="critical"><p>{error}</p></Banner>}
        {!preview && !error && <InlineStack align="center"><Spinner accessibilityLabel="Comparing SKUs with warehouse goods" /></InlineStack>}
        {preview && (
          <BlockStack gap="300">
            <Text as="p">
              {preview.matches.length} unmapped variant{preview.matches.length === 1 ? ' has a SKU' : 's have SKUs'} equal to a warehouse goods code.
              {preview.unmatched > 0 && ` ${preview.unmatched} other unmapped variant(s) have no matching goods.`}
            </Text>
            {preview.matches.length > PREVIEW_ROWS && (
              <Text as="p" tone="subdued">
                Showing the first {PREVIEW_ROWS}; the other {preview.matches.length - PREVIEW_ROWS} matches are kept too.
              </Text>
            )}
            {preview.matches.slice(0, PREVIEW_ROWS).map((m) => (
              <Checkbox
                key={m.variantId}
                label={`${m.sku} — ${m.productTitle} (${m.title})`}
                checked={kept.has(m.variantId)}
                onChange={(on) => setKept((k) => { const n = new Set(k); if (on) n.add(m.variantId); else n.delete(m.variantId); return n; })}
              />
            ))}
          </BlockStack>
        )}
      </Modal.Section>
    </Modal>
  );
}

interface ImportAnswer {
  applied: boolean;
  mappings: number;
  skippedRows: number;
  errors: { line: number; sku: string | null; message: string }[];
}

export function ImportModal({ onClose, onImported }: { onClose: () => void; onImported: (n: number) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ImportAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api<ImportAnswer>('/api/mappings/import', { method: 'POST', body: await file.text(), contentType: 'text/csv', allow: [422] });
      if (r.applied) onImported(r.mappings);
      else setResult(r);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      onClose={onClose}
      title="Import mappings from CSV"
      primaryAction={{ content: 'Import', onAction: () => void upload(), disabled: !file, loading: busy }}
      secondaryActions={[{ content: 'Cancel', onAction: onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          <Text as="p">
            Columns: <code>sku</code> (or <code>variant_id</code>), <code>goods_code</code>, <code>quantity</code>. Several rows for one SKU make a bundle. The
            file is applied only if every row is valid.
          </Text>
          <input type="file" accept=".csv,text/csv" aria-label="CSV file" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setResult(null); }} />
          {error && <Banner tone="critical"><p>{error}</p></Banner>}
          {result && !result.applied && (
            <Banner tone="critical" title={`Nothing was imported: ${result.errors.length} row${result.errors.length === 1 ? ' has a problem' : 's have problems'}`}>
              <List>
                {result.errors.map((e, i) => (
                  <List.Item key={i}>
                    {e.line > 0 ? `Line ${e.line}` : 'File'}
                    {e.sku ? ` (${e.sku})` : ''}: {e.message}
                  </List.Item>
                ))}
              </List>
            </Banner>
          )}
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
