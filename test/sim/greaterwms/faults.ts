// Fault injection: rules selected per method/path, applied for N requests or with a probability drawn from a
// seedable PRNG, so a failing test can be replayed exactly.
import { makeRandom } from './python.js';

export type FaultAction =
  /** Wait before handling the request normally (stacks with one terminal action). */
  | { kind: 'latency'; ms: number }
  /** A reverse proxy in front of GreaterWMS answering 503 (nothing reaches the application). */
  | { kind: 'http503' }
  /** Django's HTML 500 debug page (e.g. SQLite "database is locked"); nothing is written. */
  | { kind: 'html500'; excType?: string; excValue?: string }
  /** Any canned answer, e.g. {status: 200, body: {detail: "…", status_code: 500}}; nothing is written. */
  | { kind: 'respond'; status: number; contentType?: string; body: unknown }
  /** Never answer (the socket stays open until the client gives up or the simulator closes). */
  | { kind: 'timeout' }
  /** Drop the connection before the request is processed: nothing is written. */
  | { kind: 'reset' }
  /** Process the request (state committed), then drop the connection before answering. */
  | { kind: 'commitThenDrop' };

export interface FaultRule {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Path prefix to match, e.g. "/dn/detail/" (any when omitted). */
  path?: string;
  /** Regular expression source matched against the path (alternative to `path`). */
  pathPattern?: string;
  /** Apply to this many matching requests, then retire the rule. Unlimited when omitted. */
  times?: number;
  /** Chance (0..1) that a matching request is affected; 1 when omitted. */
  probability?: number;
  action: FaultAction;
}

export interface ActiveFault extends FaultRule {
  id: number;
  applied: number;
}

export interface FaultDecision {
  latencyMs: number;
  terminal?: FaultAction;
  ruleIds: number[];
}

export class FaultInjector {
  private rules: ActiveFault[] = [];
  private nextId = 1;
  private random: () => number;

  constructor(seed = 42) {
    this.random = makeRandom(seed);
  }

  seed(seed: number): void {
    this.random = makeRandom(seed);
  }

  add(rule: FaultRule): number {
    if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) throw new Error('probability must be within 0..1');
    if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times > 0)) throw new Error('times must be a positive integer');
    const kinds = ['latency', 'http503', 'html500', 'respond', 'timeout', 'reset', 'commitThenDrop'];
    if (!rule.action || !kinds.includes(rule.action.kind)) throw new Error(`action.kind must be one of ${kinds.join(', ')}`);
    const id = this.nextId++;
    this.rules.push({ ...rule, id, applied: 0 });
    return id;
  }

  remove(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  list(): ActiveFault[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Decides what happens to one request; consumes `times` budgets and random draws. */
  decide(method: string, path: string): FaultDecision {
    const out: FaultDecision = { latencyMs: 0, ruleIds: [] };
    for (const r of this.rules) {
      if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
      if (r.path && !path.startsWith(r.path)) continue;
      if (r.pathPattern && !new RegExp(r.pathPattern).test(path)) continue;
      if (r.times !== undefined && r.applied >= r.times) continue;
      if (r.action.kind !== 'latency' && out.terminal) continue;
      if (r.probability !== undefined && this.random() >= r.probability) continue;
      r.applied++;
      out.ruleIds.push(r.id);
      if (r.action.kind === 'latency') out.latencyMs += r.action.ms;
      else out.terminal = r.action;
    }
    this.rules = this.rules.filter((r) => r.times === undefined || r.applied < r.times);
    return out;
  }
}
