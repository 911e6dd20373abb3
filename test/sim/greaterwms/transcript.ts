// Parses the curl transcript recorded against a real GreaterWMS (greaterwms-transcript.md) into trace steps, so
// the same replayer/comparator as trace A can check the simulator against a second, independent recording.
import { readFileSync } from 'node:fs';
import { TRUNCATED_BODY, type Trace, type TraceStep } from './replay.js';

/** `token` defaults to the openid returned by the transcript's first /register/ call. */
export function loadTranscript(file: string, token?: string): Trace {
  const raw = readFileSync(file, 'utf8');
  token ??= /"openid": "([0-9a-f]{32})"/.exec(raw)?.[1];
  if (!token) throw new Error('transcript: no openid found');
  const lines = raw.split('\n');
  const steps: TraceStep[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('curl -X ')) continue;
    let cmd = lines[i]!;
    while (cmd.endsWith('\\')) cmd = `${cmd.slice(0, -1)} ${lines[++i]!.trim()}`;
    const m = /^curl -X (\w+) '([^']+)'/.exec(cmd)!;
    const url = new URL(m[2]!);
    const headers: Record<string, string> = {};
    for (const h of cmd.matchAll(/-H '([^:]+): ([^']*)'/g)) if (h[1]!.toLowerCase() !== 'content-type') headers[h[1]!] = h[2]!.split(token).join('<TOKEN>');
    const data = /--data '([^']*)'/.exec(cmd);
    const status = /^--> HTTP (\d+)\s+\(([^)]*)\)/.exec(lines[++i] ?? '');
    if (!status) continue;
    const bodyLines: string[] = [];
    while (i + 1 < lines.length && !lines[i + 1]!.startsWith('```')) bodyLines.push(lines[++i]!);
    const text = bodyLines.join('\n');
    let body: unknown;
    if (/^\.\.\. \(.*(truncated|bytes)\)$/m.test(text)) {
      body = status[2]!.startsWith('application/json') ? TRUNCATED_BODY : text.replace(/\n\.\.\. \(\d+ bytes\)$/, '');
    } else {
      body = JSON.parse(text.split(token).join('<TOKEN>'));
    }
    steps.push({
      step: steps.length + 1,
      note: `transcript line ${i + 1}`,
      request: { method: m[1]!, path: url.pathname + url.search, headers, body: data ? JSON.parse(data[1]!) : null },
      response: { status: Number(status[1]), content_type: status[2]!, body },
    });
  }
  return {
    header: {
      trace: 'transcript',
      server: 'GreaterWMS 2.1.50',
      volatile_fields: ['create_time', 'update_time', 'bar_code', 'openid', 't_code', 'token', 'transportation_cost', 'warehouse_city', 'warehouse_contact', 'bin_size'],
      demo_goods_pattern: '^A0+\\d+$',
    },
    steps,
  };
}
