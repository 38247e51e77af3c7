/**
 * kube-proxy bench (`npm run bench`): how long one node's kube-proxy tables take to write
 * for many Services, iptables-save to print them, and a TCP connect through a ClusterIP to
 * walk them. Every pod carries its own label, each Service selects a few pods, as a real
 * cluster's Deployments do. Prints figures; never fails.
 */
import { buildNetwork } from '../../src/engine/network/build';
import { printIptablesSave } from '../../src/engine/print/iptables';
import type { Scenario, Service, ServiceName } from '../../src/engine/scenario/types';
import { trace } from '../../src/engine/walk/probe';
import { clusterScenario, nodeName } from '../engine/generate';

const PODS_PER_NODE = 30;
const ENDPOINTS = 5;
const CASES = [100, 500, 2000];

function withServices(count: number): Scenario {
  const nodes = Math.max(10, Math.ceil((count * ENDPOINTS) / PODS_PER_NODE));
  const base = clusterScenario({ nodes, podsPerNode: PODS_PER_NODE });
  const pods = base.pods.map((p, i) => ({
    ...p,
    labels: { app: `app-${Math.floor(i / ENDPOINTS)}` },
  }));
  const services: Service[] = Array.from({ length: count }, (_, i) => ({
    name: `svc-${i}` as ServiceName,
    selector: { app: `app-${i}` },
    ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' as const }],
    ...(i % 4 === 0 ? { type: 'NodePort' as const } : {}),
  }));
  return { ...base, pods, services };
}

const time = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const v = f();
  return [v, performance.now() - t0];
};

const rows = CASES.map((count) => {
  const b = buildNetwork(withServices(count));
  if (!b.ok) throw new Error(b.problems.map((p) => p.text).join('; '));
  const net = b.network;
  const [ns, tablesMs] = time(() => net.namespace(nodeName(0))!);
  const nat = ns.iptables!.nat;
  const [saved, saveMs] = time(() =>
    printIptablesSave('nat', nat, () => ({ packets: 0, bytes: 0 }), false, new Date(0)),
  );
  const svc = net.servicePorts.at(-1)!;
  const src = net.scenario.pods[0]!;
  const probe = { from: src.name, dst: svc.clusterIP.text, protocol: 'tcp' as const, dport: 80 };
  const [first, coldMs] = time(() => trace(net, probe));
  const warm = Array.from({ length: 50 }, () => time(() => trace(net, probe))[1]).sort(
    (a, c) => a - c,
  )[25]!;
  return {
    nodes: net.scenario.nodes.length,
    services: count,
    'nat rules': nat.rules.length,
    'iptables-save lines': saved.split('\n').length,
    'node tables ms': tablesMs.toFixed(1),
    'iptables-save ms': saveMs.toFixed(1),
    'cold curl ms': coldMs.toFixed(1),
    'warm curl ms': warm.toFixed(2),
    verdict: first.ok ? first.value.verdict.text : first.error.text,
  };
});
console.log(
  `kube-proxy bench: ${PODS_PER_NODE} pods a node, as many nodes as the Services need; each Service selects ${ENDPOINTS} pods, every 4th is a NodePort; curl = a pod on the first node to the last Service's ClusterIP (warm: median of 50)`,
);
console.table(rows);
