// Guards every /api/* route (mount this router before the feature routers that serve /api): session-token
// verification, then install-by-token-exchange when needed. GET /api/session tells the UI which shop it is.
import express, { type Router } from 'express';
import { verifySessionToken, authOf } from './session-token-middleware.js';
import { ensureInstalled, type BootstrapDeps } from './token-exchange-bootstrap.js';
import { findShop } from '../../core/shops/shop-repo.js';

export function adminAuthRouter(deps: BootstrapDeps): Router {
  const router = express.Router();
  router.use('/api', verifySessionToken(deps.shopify), ensureInstalled(deps));
  router.get('/api/session', async (_req, res) => {
    const { shop } = authOf(res);
    const row = await findShop(deps.prisma, shop);
    res.json({ shop, installedAt: row?.installedAt ?? null, scopes: row?.scopes?.split(',') ?? [] });
  });
  return router;
}
