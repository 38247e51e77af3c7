/**
 * Import benchmark (`npm run bench`): a `kubectl get … -A -o json` List of 500 nodes and
 * 15,000 pods, shaped like the fixtures (metadata with ownerReferences, spec with volumes and
 * tolerations, status with conditions and containerStatuses), parsed and imported. Prints
 * figures next to the target; never fails (benchmarks print, tests assert).
 */
import { stringify } from 'yaml';
import { KUBE_LIMITS, importKube, parseKubeText } from '../../src/engine/kube/index';

const NODES = 500;
const PODS_PER_NODE = 30;
const TARGET_MS = 2000;
const REPS = 3;

const T = '2024-05-02T09:20:41Z';
const octets = (i: number) => `${Math.floor(i / 250)}.${(i % 250) + 2}`;

function nodeObject(i: number) {
  const name = `node-${i}`;
  const ip = `10.0.${octets(i)}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      annotations: {
        'flannel.alpha.coreos.com/backend-type': 'vxlan',
        'flannel.alpha.coreos.com/public-ip': ip,
        'node.alpha.kubernetes.io/ttl': '0',
      },
      creationTimestamp: T,
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' },
      name,
      resourceVersion: String(1000 + i),
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    },
    spec: { podCIDR: `10.${244 + (i >> 8)}.${i & 255}.0/24` },
    status: {
      addresses: [
        { address: ip, type: 'InternalIP' },
        { address: name, type: 'Hostname' },
      ],
      capacity: { cpu: '8', memory: '32786652Ki', pods: '110' },
      conditions: [
        {
          lastHeartbeatTime: T,
          lastTransitionTime: T,
          message: 'kubelet is posting ready status',
          reason: 'KubeletReady',
          status: 'True',
          type: 'Ready',
        },
      ],
      nodeInfo: {
        containerRuntimeVersion: 'containerd://1.7.15',
        kubeletVersion: 'v1.30.1',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
      },
    },
  };
}

function podCidrBase(i: number): [number, number] {
  return [244 + (i >> 8), i & 255];
}

function podObject(node: number, k: number) {
  const [b, c] = podCidrBase(node);
  const name = `app-${node}-${k}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      creationTimestamp: T,
      generateName: `app-${node}-`,
      labels: { app: `app-${k % 10}`, 'pod-template-hash': '7d9c5b6f4' },
      name,
      namespace: `team-${k % 5}`,
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          blockOwnerDeletion: true,
          controller: true,
          kind: 'ReplicaSet',
          name: `app-${k % 10}-7d9c5b6f4`,
          uid: '11111111-2222-4333-8444-555555555555',
        },
      ],
      resourceVersion: String(node * 100 + k),
      uid: `00000000-0000-4000-9000-${String(node * 100 + k).padStart(12, '0')}`,
    },
    spec: {
      containers: [
        {
          image: 'nginx:1.25',
          imagePullPolicy: 'IfNotPresent',
          name: 'web',
          ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          volumeMounts: [
            {
              mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
              name: 'kube-api-access-x2k8p',
              readOnly: true,
            },
          ],
        },
      ],
      dnsPolicy: 'ClusterFirst',
      nodeName: `node-${node}`,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      serviceAccountName: 'default',
      tolerations: [
        {
          effect: 'NoExecute',
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          tolerationSeconds: 300,
        },
        {
          effect: 'NoExecute',
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          tolerationSeconds: 300,
        },
      ],
      volumes: [
        {
          name: 'kube-api-access-x2k8p',
          projected: {
            defaultMode: 420,
            sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }],
          },
        },
      ],
    },
    status: {
      conditions: [
        { lastProbeTime: null, lastTransitionTime: T, status: 'True', type: 'Initialized' },
        { lastProbeTime: null, lastTransitionTime: T, status: 'True', type: 'Ready' },
        { lastProbeTime: null, lastTransitionTime: T, status: 'True', type: 'PodScheduled' },
      ],
      containerStatuses: [
        {
          containerID: `containerd://${'a'.repeat(64)}`,
          image: 'docker.io/library/nginx:1.25',
          lastState: {},
          name: 'web',
          ready: true,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: T } },
        },
      ],
      hostIP: `10.0.${octets(node)}`,
      phase: 'Running',
      podIP: `10.${b}.${c}.${k + 2}`,
      podIPs: [{ ip: `10.${b}.${c}.${k + 2}` }],
      qosClass: 'BestEffort',
      startTime: T,
    },
  };
}

function clusterList() {
  const items: unknown[] = [];
  for (let i = 0; i < NODES; i++) items.push(nodeObject(i));
  for (let i = 0; i < NODES; i++)
    for (let k = 0; k < PODS_PER_NODE; k++) items.push(podObject(i, k));
  for (let k = 0; k < 10; k++)
    items.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `app-${k}`, namespace: `team-${k % 5}` },
      spec: {
        clusterIP: `10.96.1.${k + 1}`,
        ports: [{ port: 80, protocol: 'TCP', targetPort: 'http' }],
        selector: { app: `app-${k}` },
        type: 'ClusterIP',
      },
    });
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const v = f();
  return [v, performance.now() - t0];
}
const best = (xs: readonly number[]) => Math.min(...xs);
const ms = (x: number) => `${x.toFixed(0)} ms`;

function main(): void {
  const list = clusterList();
  // kubectl prints JSON indented by 4 spaces
  const json = JSON.stringify(list, null, 4);
  const parseMs: number[] = [];
  const importMs: number[] = [];
  let summary = '';
  let notes: readonly string[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const [objects, p] = time(() => parseKubeText(json));
    if (!objects.ok) throw new Error(objects.error.text);
    const [doc, i] = time(() => importKube(objects.value));
    if (!doc.ok) throw new Error(doc.error.text);
    parseMs.push(p);
    importMs.push(i);
    notes = doc.value.notes;
    summary = `${doc.value.document.nodes.length} nodes, ${doc.value.document.pods.length} pods, ${doc.value.document.services.length} Services, ${doc.value.notes.length} notes`;
  }
  const total = best(parseMs.map((p, i) => p + importMs[i]!));
  console.log(
    `kubectl List, ${NODES} nodes × ${PODS_PER_NODE} pods: ${(json.length / 1e6).toFixed(1)} MB of JSON → ${summary}`,
  );
  console.table({
    'parse (JSON.parse + guarded copy)': { 'best of 3': ms(best(parseMs)) },
    'import (document + notes)': { 'best of 3': ms(best(importMs)) },
    'parse + import': { 'best of 3': ms(total), aim: `< ${TARGET_MS} ms` },
  });

  for (const n of notes) console.log(`  podhop: ${n.length > 150 ? `${n.slice(0, 150)}…` : n}`);

  const yaml = stringify(list, { aliasDuplicateObjects: false });
  const refused = parseKubeText(yaml);
  const [yamlParsed, yamlMs] = time(() =>
    parseKubeText(yaml, { ...KUBE_LIMITS, yamlChars: Infinity }),
  );
  console.log(
    `the same as -o yaml: ${(yaml.length / 1e6).toFixed(1)} MB; ${refused.ok ? 'read' : 'refused at the default limit'}; parsed without the limit in ${ms(yamlMs)} (${yamlParsed.ok ? `${yamlParsed.value.length} objects` : yamlParsed.error.text})`,
  );
  console.log(total < TARGET_MS ? '\ntarget met' : `\ntarget missed: parse + import ${ms(total)}`);
}

main();
