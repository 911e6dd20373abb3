// GreaterWMS connection (token write-only: the page only ever sees its last 4 characters), Test connection with
// the warehouse's precise answer, order trigger, polling intervals, default buffer (units and percent), notify-customer switch.
import { Banner, BlockStack, Box, Card, Checkbox, FormLayout, Layout, Page, Select, SkeletonBodyText, Text, TextField } from '@shopify/polaris';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../lib/api.js';
import { useToast } from '../components/toast.js';

interface Settings {
  warehouseUrl: string;
  warehouseOperator: number | null;
  warehouseTokenHint: string | null;
  connectionSource: 'shop' | 'env' | 'none';
  orderTrigger: 'created' | 'paid';
  shipmentPollMinutes: number;
  stockPollMinutes: number;
  defaultBuffer: number;
  defaultBufferPercent: number;
  notifyCustomer: boolean;
}

type Form = Omit<Settings, 'warehouseOperator' | 'shipmentPollMinutes' | 'stockPollMinutes' | 'defaultBuffer' | 'defaultBufferPercent'> & {
  warehouseOperator: string;
  warehouseToken: string;
  shipmentPollMinutes: string;
  stockPollMinutes: string;
  defaultBuffer: string;
  defaultBufferPercent: string;
};

export function toForm(s: Settings): Form {
  return {
    ...s,
    warehouseOperator: s.warehouseOperator === null ? '' : String(s.warehouseOperator),
    warehouseToken: '',
    shipmentPollMinutes: String(s.shipmentPollMinutes),
    stockPollMinutes: String(s.stockPollMinutes),
    defaultBuffer: String(s.defaultBuffer),
    defaultBufferPercent: String(s.defaultBufferPercent ?? 0),
  };
}

export function SettingsPage() {
  const toast = useToast();
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<{ ok: boolean; problem?: string; detail: string } | null>(null);
  useEffect(() => {
    api<Settings>('/api/settings').then((s) => setForm(toForm(s)), (e: Error) => setLoadError(e.message));
  }, []);
  const set = (patch: Partial<Form>) => setForm((f) => (f ? { ...f, ...patch } : f));

  const connection = () => ({ warehouseUrl: form!.warehouseUrl, warehouseOperator: form!.warehouseOperator, ...(form!.warehouseToken ? { warehouseToken: form!.warehouseToken } : {}) });
  const save = async () => {
    setSaving(true);
    try {
      const s = await api<Settings>('/api/settings', {
        method: 'PUT',
        body: { ...connection(), orderTrigger: form!.orderTrigger, shipmentPollMinutes: form!.shipmentPollMinutes, stockPollMinutes: form!.stockPollMinutes, defaultBuffer: form!.defaultBuffer, defaultBufferPercent: form!.defaultBufferPercent, notifyCustomer: form!.notifyCustomer },
      });
      setForm(toForm(s));
      setErrors({});
      toast('Settings saved');
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) setErrors(err.fieldErrors);
      else toast((err as Error).message, { error: true });
    } finally {
      setSaving(false);
    }
  };
  const testConnection = async () => {
    setTesting(true);
    setTest(null);
    try {
      setTest(await api('/api/settings/test-connection', { method: 'POST', body: connection() }));
      setErrors({});
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) setErrors(err.fieldErrors);
      else setTest({ ok: false, detail: (err as Error).message });
    } finally {
      setTesting(false);
    }
  };

  if (loadError) return <Page title="Settings"><Banner tone="critical" title="Settings could not be loaded"><p>{loadError}</p></Banner></Page>;
  if (!form) return <Page title="Settings"><Card><SkeletonBodyText lines={6} /></Card></Page>;
  return (
    <Page title="Settings" primaryAction={{ content: 'Save', onAction: () => void save(), loading: saving }}>
      <Layout>
        <Layout.AnnotatedSection title="GreaterWMS connection" description="The warehouse this shop sends orders to. The token is stored encrypted and never shown again.">
          <Card>
            <FormLayout>
              {form.connectionSource === 'env' && <Banner tone="info"><p>Using the server's default connection until you save one for this shop.</p></Banner>}
              <TextField label="GreaterWMS URL" value={form.warehouseUrl} onChange={(v) => set({ warehouseUrl: v })} error={errors.warehouseUrl} autoComplete="off" placeholder="http://wms.local:8008" />
              <TextField
                label="API token"
                type="password"
                value={form.warehouseToken}
                onChange={(v) => set({ warehouseToken: v })}
                error={errors.warehouseToken}
                autoComplete="off"
                helpText={form.warehouseTokenHint ? `Stored token ends in ${form.warehouseTokenHint.slice(-4)}. Leave empty to keep it.` : 'The openid of your GreaterWMS user.'}
              />
              <TextField label="Operator (staff id)" type="number" value={form.warehouseOperator} onChange={(v) => set({ warehouseOperator: v })} error={errors.warehouseOperator} autoComplete="off" />
              <Box>
                <button type="button" className="Polaris-Button" onClick={() => void testConnection()} disabled={testing} style={{ padding: '6px 12px' }}>
                  {testing ? 'Testing…' : 'Test connection'}
                </button>
              </Box>
              {test && (
                <Banner tone={test.ok ? 'success' : 'critical'} title={test.ok ? 'Connected' : `Connection failed${test.problem ? ` (${test.problem.replace('_', ' ')})` : ''}`}>
                  <p>{test.detail}</p>
                </Banner>
              )}
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title="Orders and stock" description="When orders go to the warehouse and how often the app checks it.">
          <Card>
            <FormLayout>
              <Select
                label="Send orders to the warehouse"
                options={[{ label: 'When the order is paid', value: 'paid' }, { label: 'As soon as it is created', value: 'created' }]}
                value={form.orderTrigger}
                onChange={(v) => set({ orderTrigger: v as 'paid' | 'created' })}
                error={errors.orderTrigger}
              />
              <FormLayout.Group>
                <TextField label="Check shipments every (minutes)" type="number" value={form.shipmentPollMinutes} onChange={(v) => set({ shipmentPollMinutes: v })} error={errors.shipmentPollMinutes} autoComplete="off" />
                <TextField label="Check stock every (minutes)" type="number" value={form.stockPollMinutes} onChange={(v) => set({ stockPollMinutes: v })} error={errors.stockPollMinutes} autoComplete="off" />
              </FormLayout.Group>
              <FormLayout.Group>
                <TextField label="Default stock buffer (units held back)" type="number" value={form.defaultBuffer} onChange={(v) => set({ defaultBuffer: v })} error={errors.defaultBuffer} autoComplete="off" />
                <TextField
                  label="…or percent of sellable stock, if more"
                  type="number"
                  value={form.defaultBufferPercent}
                  onChange={(v) => set({ defaultBufferPercent: v })}
                  error={errors.defaultBufferPercent}
                  helpText="Rounded up. A product's own buffer (Stock page) replaces both."
                  autoComplete="off"
                />
              </FormLayout.Group>
              <Checkbox label="Email the customer when the warehouse ships" checked={form.notifyCustomer} onChange={(v) => set({ notifyCustomer: v })} />
              <BlockStack>
                <Text as="p" tone="subdued">Changes apply to the next job that runs.</Text>
              </BlockStack>
            </FormLayout>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
