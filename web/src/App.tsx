// The embedded admin: Polaris AppProvider + Frame (toasts), App Bridge's nav menu inside Shopify (links to our
// paths), a tab bar when opened outside the admin, the open-alerts banner, and the page for the current path.
import { AppProvider, Box, Frame, Tabs } from '@shopify/polaris';
import en from '@shopify/polaris/locales/en.json' with { type: 'json' };
import { createElement, type ReactNode } from 'react';
import { ToastProvider } from './components/toast.js';
import { AlertsBanner } from './components/AlertsBanner.js';
import { navigate, usePath } from './lib/router.js';
import { appBridge } from './lib/api.js';
import { MappingsPage } from './pages/MappingsPage.js';
import { OrdersPage } from './pages/OrdersPage.js';
import { OrderDetailPage } from './pages/OrderDetailPage.js';
import { JobsPage } from './pages/JobsPage.js';
import { SettingsPage } from './pages/SettingsPage.js';
import { extraPages } from './pages/extra-pages.js';

export interface NavItem {
  path: string;
  label: string;
  render: () => ReactNode;
}

const PAGES: NavItem[] = [
  { path: '/mappings', label: 'Mappings', render: () => <MappingsPage /> },
  { path: '/orders', label: 'Orders', render: () => <OrdersPage /> },
  { path: '/jobs', label: 'Jobs', render: () => <JobsPage /> },
  ...extraPages,
  { path: '/settings', label: 'Settings', render: () => <SettingsPage /> },
];

function Router() {
  const path = usePath();
  const orderMatch = /^\/orders\/(.+)$/.exec(path);
  const current = PAGES.find((p) => p.path === path) ?? (path === '/' ? PAGES[0]! : null);
  const embedded = Boolean(appBridge());
  return (
    <>
      {embedded &&
        // App Bridge renders these links in the admin's left navigation.
        createElement('ui-nav-menu', null, ...PAGES.map((p) => createElement('a', { key: p.path, href: p.path, rel: p.path === '/mappings' ? 'home' : undefined }, p.label)))}
      {!embedded && (
        <Tabs
          tabs={PAGES.map((p) => ({ id: p.path.slice(1), content: p.label, url: undefined }))}
          selected={Math.max(0, PAGES.findIndex((p) => p === current || (orderMatch && p.path === '/orders')))}
          onSelect={(i) => navigate(PAGES[i]!.path)}
        />
      )}
      <Box paddingBlockStart="400" paddingInline="400">
        <AlertsBanner />
      </Box>
      {orderMatch ? <OrderDetailPage orderId={decodeURIComponent(orderMatch[1]!)} /> : current ? current.render() : PAGES[0]!.render()}
    </>
  );
}

export function App() {
  return (
    <AppProvider i18n={en}>
      <Frame>
        <ToastProvider>
          <style>{'.wms-link{background:none;border:0;padding:0;color:var(--p-color-text-link);text-decoration:underline;cursor:pointer;font:inherit}'}</style>
          <Router />
        </ToastProvider>
      </Frame>
    </AppProvider>
  );
}
