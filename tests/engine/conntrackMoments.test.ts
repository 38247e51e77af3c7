import { describe, expect, it } from 'vitest';
import { buildNetwork, conntrackLine, example, trace } from '../../src/engine/index';

/**
 * Issue 13: a hop's conntrack line is the entry as the kernel has it at that hop
 * (nf_conntrack_proto_tcp.c's state table), not the state after the exchange.
 */
function curlWeb(pickEndpoint?: number) {
  const built = buildNetwork(example('seed'));
  if (!built.ok) throw new Error('seed does not build');
  const t = trace(built.network, {
    from: 'pod1a',
    dst: '10.96.0.10',
    protocol: 'tcp',
    dport: 80,
    ...(pickEndpoint === undefined ? {} : { pickEndpoint }),
  });
  if (!t.ok) throw new Error(t.error.text);
  return t.value;
}
const conntrackAt = (
  hops: readonly { action: string; consulted?: readonly { table: string; line: string }[] }[],
  action: string,
) => hops.find((h) => h.action === action)?.consulted?.find((c) => c.table === 'conntrack')?.line;

describe('conntrack at the hop', () => {
  it('the SYN leaves SYN_SENT [UNREPLIED]; the SYN-ACK moves it to SYN_RECV, not yet ASSURED', () => {
    const t = curlWeb();
    const syn = conntrackAt(t.hops, 'dnat');
    expect(syn).toMatch(
      /^tcp {6}6 119 SYN_SENT src=172\.17\.1\.2 dst=10\.96\.0\.10 sport=\d+ dport=80 \[UNREPLIED\] src=172\.17\.\d\.\d dst=172\.17\.1\.2 sport=8080 dport=\d+ mark=0 use=1$/,
    );
    const synAck = conntrackAt(t.hops, 'undnat');
    expect(synAck).toMatch(
      /^tcp {6}6 59 SYN_RECV src=172\.17\.1\.2 dst=10\.96\.0\.10 sport=\d+ dport=80 src=172\.17\.\d\.\d dst=172\.17\.1\.2 sport=8080 dport=\d+ mark=0 use=1$/,
    );
    expect(synAck).not.toContain('ASSURED');
    // and once the exchange is over (conntrack -L afterwards), the closed connection
    expect(t.conntrack.length).toBeGreaterThan(0);
    for (const e of t.conntrack)
      expect(conntrackLine(e)).toMatch(/^tcp {6}6 119 TIME_WAIT .* \[ASSURED\] mark=0 use=1$/);
  });
});
