// app/uninstalled and app/scopes_update. No call to Shopify here: after an uninstall the token is already
// revoked (Shopify/shopify-app-js#3242).
import { firedBeforeInstall, uninstallShop } from '../core/shops/shop-lifecycle-use-case.js';
import { setShopScopes, findShop } from '../core/shops/shop-repo.js';
import type { WebhookHandler } from './webhook-process.js';

export const appUninstalled: WebhookHandler = async ({ event, firedAt, deps, ctx }) => {
  const outcome = await uninstallShop({ prisma: deps.prisma, log: ctx.log, now: deps.now }, { shop: event.shop, firedAt });
  return { status: outcome.status === 'stale' ? 'stale' : 'processed', result: outcome };
};

export const appScopesUpdate: WebhookHandler = async ({ event, payload, firedAt, deps }) => {
  const current = Array.isArray(payload.current) ? payload.current.filter((s): s is string => typeof s === 'string') : null;
  if (!current) return { status: 'processed', result: { ignored: 'no current scopes in payload' } };
  const shop = await findShop(deps.prisma, event.shop);
  // A scope change that fired before the latest install is already reflected by that install.
  if (shop && firedBeforeInstall(shop.installedAt, firedAt)) return { status: 'stale' };
  await setShopScopes(deps.prisma, event.shop, current.join(','));
  return { status: 'processed', result: { scopes: current } };
};
