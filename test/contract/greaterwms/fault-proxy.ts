// An HTTP proxy in front of the contract target that can "commit, then drop the connection before answering":
// it forwards a matching request, waits for the upstream answer (so the write happened) and then destroys the
// client socket. Because it sits outside the server it works against the simulator and a real GreaterWMS alike.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultRule {
  method: string;
  path: RegExp;
  /** drop-after-commit: forward, then cut; drop-before: cut without forwarding. */
  action: 'drop-after-commit' | 'drop-before';
  /** How many matching requests to hit (default 1). */
  times?: number;
  /** Let this many matching requests through untouched first (default 0). */
  skip?: number;
}

export interface FaultProxy {
  url: string;
  /** Adds a rule; returns a promise resolved when the rule has fired `times` times. */
  inject(rule: FaultRule): Promise<void>;
  /** Requests seen (method + path with query), for assertions. */
  seen: string[];
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const rules: { rule: FaultRule; skip: number; left: number; done: () => void }[] = [];
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      let hit = rules.find((r) => r.left > 0 && r.rule.method === req.method && r.rule.path.test(req.url ?? ''));
      if (hit && hit.skip > 0) {
        hit.skip--;
        hit = undefined;
      }
      if (hit) {
        hit.left--;
        if (hit.left === 0) hit.done();
      }
      if (hit?.rule.action === 'drop-before') {
        req.socket.destroy();
        return;
      }
      const headers = { ...req.headers, host: target.host };
      const up = http.request(
        { hostname: target.hostname, port: target.port, path: `${target.pathname.replace(/\/$/, '')}${req.url}`, method: req.method, headers },
        (upRes) => {
          const body: Buffer[] = [];
          upRes.on('data', (c: Buffer) => body.push(c));
          upRes.on('end', () => {
            if (hit) {
              req.socket.destroy(); // committed upstream; the client never hears about it
              return;
            }
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      up.on('error', () => req.socket.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    inject(rule) {
      return new Promise<void>((done) => rules.push({ rule, skip: rule.skip ?? 0, left: rule.times ?? 1, done }));
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
