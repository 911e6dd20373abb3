// `npm run sim:shopify`: starts the Shopify simulator for manual use / the demo and prints its URL.
// Env: SIM_SHOPIFY_PORT (default 3457), SHOPIFY_API_KEY / SHOPIFY_API_SECRET (default sim-api-key/secret),
// SIM_SHOPIFY_WEBHOOK_URL (the app's webhook endpoint), SIM_SHOPIFY_WEBHOOK_TOPICS (sent automatically on
// changes), SIM_SHOPIFY_SHOP (default demo-shop).
import { startShopifySimulator } from './index.js';

const shop = process.env.SIM_SHOPIFY_SHOP ?? 'demo-shop';
const sim = await startShopifySimulator({
  port: Number(process.env.SIM_SHOPIFY_PORT ?? 3457),
  apiKey: process.env.SHOPIFY_API_KEY || undefined,
  apiSecret: process.env.SHOPIFY_API_SECRET || undefined,
  webhookUrl: process.env.SIM_SHOPIFY_WEBHOOK_URL || undefined,
  webhookTopics: (
    process.env.SIM_SHOPIFY_WEBHOOK_TOPICS ??
    'orders/create,orders/updated,orders/cancelled,orders/edited,orders/fulfilled,orders/partially_fulfilled,returns/request,returns/approve'
  )
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean),
  shops: [
    {
      shop,
      locations: [{ name: 'Main warehouse' }],
      products: [
        { title: 'Coffee mug', variants: [{ sku: 'MUG-1', price: '12.00', stock: { 'Main warehouse': 10 } }] },
        {
          title: 'T-shirt',
          variants: [
            { sku: 'TEE-S', title: 'S', price: '20.00', stock: { 'Main warehouse': 5 } },
            { sku: 'TEE-M', title: 'M', price: '20.00', stock: { 'Main warehouse': 0 } },
          ],
        },
      ],
    },
  ],
});
const domain = `${shop}.myshopify.com`;
console.log(`Shopify simulator listening on ${sim.url}`);
console.log(`  shop:            ${domain}`);
console.log(`  Admin GraphQL:   ${sim.graphqlUrl(domain)}`);
console.log(`  token endpoint:  ${sim.url}/s/${domain}/admin/oauth/access_token`);
console.log(`  control API:     ${sim.url}/__sim/shops/${domain}`);
console.log(`  session token:   ${sim.sessionToken(domain)}`);
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
