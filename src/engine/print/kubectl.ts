import type { Network } from '../network/types';

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  // kubectl's tabwriter: columns padded to the widest cell plus three spaces, the last one bare
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * `kubectl get pods -o wide`. READY counts app containers only (the pause
 * container is not a container of the pod spec). AGE is `<unknown>`: the
 * playground has no clock, and kubectl prints that for a missing timestamp.
 */
export function printPodsWide(net: Network): string {
  const rows: string[][] = [
    [
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
      'NOMINATED NODE',
      'READINESS GATES',
    ],
  ];
  for (const p of net.scenario.pods) {
    const st = net.podStatus.get(p.name);
    const total = p.containers.length;
    let ready = 0;
    let status = 'Pending';
    let restarts = '0';
    if (st?.phase === 'Running') {
      ready = st.containers.filter((c) => c.ready).length;
      const crashing = st.containers.some((c) => !c.ready);
      status = crashing ? 'CrashLoopBackOff' : 'Running';
      // the kubelet has restarted the failing container a few times by the time anyone looks
      if (crashing) restarts = '4 (33s ago)';
    } else if (st?.phase === 'ContainerCreating') status = 'ContainerCreating';
    const ip =
      net.namespace(p.name)?.devices.find((d) => d.name === 'eth0')?.addresses[0]?.ip.text ??
      '<none>';
    const node =
      st?.phase === 'Pending' && st.message.includes('Too many pods') ? '<none>' : p.node;
    rows.push([
      p.name,
      `${ready}/${total}`,
      status,
      restarts,
      '<unknown>',
      ip,
      node,
      '<none>',
      '<none>',
    ]);
  }
  return table(rows);
}

/** `kubectl get svc` (the `kubernetes` Service first, as the apiserver always has it). */
export function printServices(net: Network): string {
  const cidr = net.scenario.cluster.serviceCidr;
  const first = cidr.replace(/\.0\/\d+$/, '.1');
  const rows: string[][] = [
    ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    ['kubernetes', 'ClusterIP', first, '<none>', '443/TCP', '<unknown>'],
  ];
  for (const s of net.scenario.services)
    rows.push([
      s.name,
      'ClusterIP',
      s.clusterIP ?? '<pending>',
      '<none>',
      s.ports.map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(','),
      '<unknown>',
    ]);
  return table(rows);
}

/** `kubectl get endpoints` */
export function printEndpoints(net: Network): string {
  const rows: string[][] = [['NAME', 'ENDPOINTS', 'AGE']];
  const byService = new Map<string, string[]>();
  for (const sp of net.servicePorts) {
    const list = byService.get(sp.service.name) ?? [];
    list.push(...sp.endpoints.map((e) => `${e.ip.text}:${e.port}`));
    byService.set(sp.service.name, list);
  }
  for (const s of net.scenario.services) {
    const eps = byService.get(s.name) ?? [];
    rows.push([
      s.name,
      eps.length === 0
        ? '<none>'
        : eps.length > 3
          ? `${eps.slice(0, 3).join(',')} + ${eps.length - 3} more...`
          : eps.join(','),
      '<unknown>',
    ]);
  }
  return table(rows);
}
