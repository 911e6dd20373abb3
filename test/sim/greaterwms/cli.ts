// `npm run sim:greaterwms`: starts the GreaterWMS simulator for manual use and prints how to talk to it.
// Env: GREATERWMS_SIM_PORT (default 8008, the real server's port), GREATERWMS_SIM_HOST (default 127.0.0.1).
import { startGreaterWmsSimulator } from './index.js';

const port = Number(process.env.GREATERWMS_SIM_PORT ?? 8008);
const host = process.env.GREATERWMS_SIM_HOST ?? '127.0.0.1';
const sim = await startGreaterWmsSimulator({ port, host });
const tenant = sim.control.createTenant({ name: 'demo_admin', password: 'demo-pass-1' });
console.log(`GreaterWMS simulator (2.1.50 behaviour) listening on ${sim.url}`);
console.log(`GREATERWMS_URL=${sim.url}`);
console.log(`GREATERWMS_TOKEN=${tenant.token}`);
console.log(`GREATERWMS_OPERATOR=${tenant.operator}`);
console.log(`Control API: ${sim.url}/__sim/ (see docs/greaterwms-simulator.md). Ctrl+C to stop.`);
const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
