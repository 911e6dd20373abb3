// `npm run sim:greaterwms` as a real child process: prints URL, token and operator that work, stops on SIGTERM.
import { describe, expect, it } from 'vitest';
import { spawnTs, waitFor } from '../../helpers/process.js';

describe('GreaterWMS simulator CLI', () => {
  it('starts with one command, prints GREATERWMS_URL/TOKEN/OPERATOR that work, and exits cleanly on SIGTERM', async () => {
    const p = spawnTs('test/sim/greaterwms/cli.ts', [], { GREATERWMS_SIM_PORT: '0' });
    try {
      const out = await waitFor(async () => (/GREATERWMS_OPERATOR=\d+/.test(p.output()) ? p.output() : undefined), 20_000, 'simulator banner');
      const url = /GREATERWMS_URL=(\S+)/.exec(out)![1]!;
      const token = /GREATERWMS_TOKEN=([0-9a-f]{32})/.exec(out)![1]!;
      const operator = /GREATERWMS_OPERATOR=(\d+)/.exec(out)![1]!;
      const staff = (await (await fetch(`${url}/staff/${operator}/`, { headers: { token } })).json()) as { staff_type: string };
      expect(staff.staff_type).toBe('Admin');
      p.child.kill('SIGTERM');
      expect(await p.exited).toEqual({ code: 0, signal: null });
    } finally {
      p.child.kill('SIGKILL');
    }
  });
});
