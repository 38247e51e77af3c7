import * as v from 'valibot';

/**
 * The scenario, declared once: what the user edits and shares (SPEC §1).
 * Declarative, like Kubernetes objects plus cluster flags. Allocations that
 * real controllers persist (node podCIDR, pod IP, the host-local cursor) are
 * stored once made.
 *
 * From these declarations come the TypeScript types (types.ts), the loader's
 * checks and defaults (load.ts) and the share link's rows (link.ts: a row is
 * an object's fields in the order declared here, so a new field goes LAST in
 * its object, and old links keep their meaning). Adding a field to Pod is one
 * edit here plus its use.
 *
 * Nothing here throws; messages say where (`pods[3].name: …`, composed by the
 * loader from the issue's path) and what, in the words the loader always used.
 */

/** Limits that keep a hostile file or link from freezing the page. */
export const LOAD_LIMITS = {
  subnets: 256,
  routers: 256,
  /**
   * Router–subnet joins over all routers: each is an interface with its own routes and
   * neighbours, so 256 routers on 256 subnets (65,536) take seconds to build
   */
  routerJoins: 4_096,
  nodes: 10_000,
  pods: 500_000,
  services: 10_000,
  namespaces: 10_000,
  networkPolicies: 10_000,
  endpointSlices: 10_000,
  endpoints: 1_000,
  containers: 32,
  ports: 64,
  nameLength: 253,
  /** |x| and |y| of a position: farther out the canvas cannot fit the view (or stretches a frame) */
  coordinate: 1_000_000,
} as const;

/**
 * - overlay: Flannel VXLAN
 * - direct: Flannel host-gw / Calico without encapsulation
 * - crossSubnet: Calico CrossSubnet / Flannel DirectRouting
 * - gateway: kubenet with a cloud route table (routers learn `<podCIDR> via <nodeIP>`)
 */
export const DATAPATHS = ['overlay', 'direct', 'crossSubnet', 'gateway'] as const;
/**
 * The CNI and its backend (issue 9). Each is one module under network/cni/; the
 * registry there is typed against this list, so a new entry fails to compile until
 * its module exists.
 */
export const CNIS = [
  'flannel-vxlan',
  'flannel-host-gw',
  'flannel-vxlan-directrouting',
  'kubenet',
  'calico-bgp',
  'calico-ipip',
  'calico-ipip-crosssubnet',
  'calico-vxlan',
  'calico-vxlan-crosssubnet',
] as const;
/** cluster: cidrset + host-local. naive: every bridge on Docker's 172.17.0.0/16. */
export const IPAM_MODES = ['cluster', 'naive'] as const;
export const PROTOCOLS = ['TCP', 'UDP'] as const;
/** none: NetworkPolicy stored, not enforced (flannel, kubenet). felix: Calico's policy agent. */
export const POLICY_ENFORCERS = ['none', 'felix'] as const;

export const SCENARIO_VERSION = 2;
/** The image of a container a file or link gave none (what podhop's own "add container" puts). */
export const DEFAULT_IMAGE = 'busybox:1.36';

const text = v.pipe(
  v.string('expected a string'),
  v.maxLength(LOAD_LIMITS.nameLength, `longer than ${LOAD_LIMITS.nameLength} characters`),
);
const number = v.pipe(v.number('expected a number'), v.finite('expected a number'));
const flag = v.boolean('expected true or false');
const labels = v.record(text, text, 'expected an object');
const oneOf = <const T extends readonly [string, ...string[]]>(options: T, what: string) =>
  v.picklist(options, (issue) => `${issue.received} is not ${what}`);

/**
 * A list is counted before its entries are read: a hostile file's million entries are
 * refused without a million objects being built.
 */
function list<T extends v.GenericSchema>(item: T, max: number) {
  return v.pipe(
    v.array(v.unknown(), 'expected a list'),
    v.maxLength(max, (issue) => `${issue.received} entries is more than podhop opens (${max})`),
    v.array(item),
  );
}

const coordinate = v.pipe(
  number,
  v.check(
    (n) => Math.abs(n) <= LOAD_LIMITS.coordinate,
    (issue) =>
      `${String(issue.input)} is off the canvas (podhop places objects within ±${LOAD_LIMITS.coordinate})`,
  ),
);
export const PositionSchema = v.object({ x: coordinate, y: coordinate }, 'expected an object');

export const SubnetNameSchema = v.pipe(text, v.brand('SubnetName'));
export const RouterNameSchema = v.pipe(text, v.brand('RouterName'));
export const NodeNameSchema = v.pipe(text, v.brand('NodeName'));
export const PodNameSchema = v.pipe(text, v.brand('PodName'));
export const ServiceNameSchema = v.pipe(text, v.brand('ServiceName'));

/**
 * The KubeProxyConfiguration fields that shape kube-proxy's iptables rules
 * (k8s.io/kube-proxy/config/v1alpha1), as kubeadm writes them in the kube-proxy
 * ConfigMap's config.conf. Absent fields take kube-proxy's defaults
 * (pkg/proxy/apis/config/v1alpha1/defaults.go): clusterCIDR from the cluster,
 * masqueradeBit 14, masqueradeAll false, localhostNodePorts true, every address.
 */
export const KubeProxyConfigSchema = v.object(
  {
    clusterCIDR: v.optional(text),
    masqueradeBit: v.optional(
      v.pipe(
        number,
        v.check((n) => Number.isInteger(n) && n >= 0 && n <= 31, 'must be in the range [0, 31]'),
      ),
    ),
    masqueradeAll: v.optional(flag),
    localhostNodePorts: v.optional(flag),
    /** nodePortAddresses: CIDRs, or `primary` (the node's own IPs) */
    nodePortAddresses: v.optional(list(text, LOAD_LIMITS.ports)),
  },
  'expected an object',
);

export const ClusterSettingsSchema = v.object(
  {
    /** kube-controller-manager --cluster-cidr */
    clusterCidr: v.optional(text, '10.244.0.0/16'),
    /** kube-controller-manager --node-cidr-mask-size */
    nodeCidrMaskSize: v.optional(number, 24),
    /** kubeadm serviceSubnet */
    serviceCidr: v.optional(text, '10.96.0.0/12'),
    /** kubelet maxPods */
    maxPods: v.optional(number, 110),
    datapath: v.optional(oneOf(DATAPATHS, `one of ${DATAPATHS.join(', ')}`), 'overlay'),
    ipam: v.optional(oneOf(IPAM_MODES, `one of ${IPAM_MODES.join(', ')}`), 'cluster'),
    /**
     * net.bridge.bridge-nf-call-iptables on every node (kubeadm's preflight insists on 1;
     * absent means 1). Off, a same-node Service reply is switched by the bridge past conntrack.
     */
    bridgeNfCallIptables: v.optional(flag),
    /**
     * cidrset's moving cursor (index of the next candidate block). The real
     * allocator keeps it in memory; storing it keeps "a freed block is reused only
     * after the cursor wraps" true across reloads.
     */
    nodeCidrCursor: v.optional(number),
    /**
     * Who enforces NetworkPolicy. none: flannel and kubenet store policies and implement
     * none. felix: Calico's agent, which programs policy chains on each workload's host-side
     * cali interface (Calico, and Canal: Calico's pod plumbing and policy with flannel's VXLAN
     * between nodes, docs.tigera.io "Install Calico for policy and flannel (aka Canal)").
     * Issue 9 ties this to the CNI choice.
     */
    networkPolicy: v.optional(
      oneOf(POLICY_ENFORCERS, `one of ${POLICY_ENFORCERS.join(', ')}`),
      'none',
    ),
    /**
     * The CNI (issue 9). Absent, it follows `datapath` (overlay: flannel-vxlan, direct:
     * flannel-host-gw, crossSubnet: flannel-vxlan-directrouting, gateway: kubenet), so every
     * file and link written before it opens as it did. Written, it names the CNI; a `datapath`
     * that disagrees with it (the toolbar's switch) picks that CNI family's mode
     * (scenario/cni.ts clusterCni). Calico implies `networkPolicy: felix`.
     */
    cni: v.optional(oneOf(CNIS, `one of ${CNIS.join(', ')}`)),
    /** kube-proxy's KubeProxyConfiguration (the kube-system/kube-proxy ConfigMap); absent, its defaults */
    kubeProxy: v.optional(KubeProxyConfigSchema),
    /**
     * the CNI bridge plugin's `hairpinMode` on each pod's port of cni0 (flannel's cni-conf.json
     * sets it; absent means on). Off, a pod its own Service sends back to itself never gets it.
     */
    bridgeHairpinMode: v.optional(flag),
  },
  'expected an object',
);

export const SubnetSchema = v.object(
  {
    name: SubnetNameSchema,
    cidr: text,
    /** the subnet gateway: the router address nodes use as `default via` */
    gateway: text,
    /** cloud source/destination check (AWS SourceDestCheck, GCP without canIpForward) */
    srcDstCheck: v.optional(flag, false),
    /** underlay MTU; flannel.1 gets this minus the 50 bytes of VXLAN overhead */
    mtu: v.optional(number),
    position: v.optional(PositionSchema),
  },
  'expected an object',
);

export const RouterSchema = v.object(
  {
    name: RouterNameSchema,
    /** one interface per subnet, eth0, eth1, … in this order (SPEC §4b) */
    subnets: v.optional(list(SubnetNameSchema, LOAD_LIMITS.subnets), []),
    position: v.optional(PositionSchema),
  },
  'expected an object',
);

export const KubeNodeSchema = v.object(
  {
    name: NodeNameSchema,
    subnet: SubnetNameSchema,
    ip: text,
    /** allocated by cidrset, or pinned by hand */
    podCidr: v.optional(text),
    podCidrPinned: v.optional(flag),
    /** host-local's last_reserved_ip.0: the round-robin cursor */
    lastReservedIp: v.optional(text),
    position: v.optional(PositionSchema),
  },
  'expected an object',
);

const protocol = v.optional(oneOf(PROTOCOLS, 'TCP or UDP'), 'TCP');

export const ContainerPortSchema = v.object(
  {
    containerPort: number,
    protocol,
    name: v.optional(text),
  },
  'expected an object',
);

export const ContainerSchema = v.object(
  {
    name: text,
    image: v.optional(text, DEFAULT_IMAGE),
    ports: v.optional(list(ContainerPortSchema, LOAD_LIMITS.ports)),
  },
  'expected an object',
);

/**
 * A pod's or Service's namespace, `default` left out: a format-1 scenario and its format-2
 * load are the same value, and `default/web` is `web` however it was written.
 */
const podNamespace = v.optional(
  v.pipe(
    text,
    v.transform((ns) => (ns === 'default' ? undefined : ns)),
  ),
);

export const PodSchema = v.pipe(
  v.object(
    {
      name: PodNameSchema,
      node: NodeNameSchema,
      /** allocated by host-local when the sandbox is created */
      ip: v.optional(text),
      labels: v.optional(labels),
      containers: v.optional(list(ContainerSchema, LOAD_LIMITS.containers), []),
      position: v.optional(PositionSchema),
      /** the pod's Kubernetes namespace; `default` when left out. Its identity is namespace/name (ids.ts) */
      namespace: podNamespace,
      /** app containers also share the pause container's PID namespace (spec.shareProcessNamespace) */
      shareProcessNamespace: v.optional(flag),
      /** status.phase as a cluster reported it (an import); podhop derives its own */
      phase: v.optional(text),
    },
    'expected an object',
  ),
  v.transform(withoutUndefined),
);

export const ServicePortSchema = v.object(
  {
    name: v.optional(text),
    port: number,
    targetPort: number,
    protocol,
    /** spec.ports[].nodePort: allocated when the Service is made NodePort or LoadBalancer, or pinned */
    nodePort: v.optional(number),
  },
  'expected an object',
);

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;
export const TRAFFIC_POLICIES = ['Cluster', 'Local'] as const;
export const SESSION_AFFINITIES = ['None', 'ClientIP'] as const;
const addresses = v.optional(list(text, LOAD_LIMITS.ports));

export const ServiceSchema = v.pipe(
  v.object(
    {
      name: ServiceNameSchema,
      namespace: podNamespace,
      selector: v.optional(labels, {}),
      ports: v.optional(list(ServicePortSchema, LOAD_LIMITS.ports), []),
      clusterIP: v.optional(text),
      position: v.optional(PositionSchema),
      // the fields below are kube-proxy's inputs (pkg/proxy/serviceport.go), as the API spells them
      // (absent is the API's default: ClusterIP, Cluster, Cluster, None; files written before
      // these fields load as the same value)
      type: v.optional(oneOf(SERVICE_TYPES, `one of ${SERVICE_TYPES.join(', ')}`)),
      externalTrafficPolicy: v.optional(oneOf(TRAFFIC_POLICIES, 'Cluster or Local')),
      internalTrafficPolicy: v.optional(oneOf(TRAFFIC_POLICIES, 'Cluster or Local')),
      /** spec.externalIPs */
      externalIPs: addresses,
      /** status.loadBalancer.ingress[].ip, as the cloud's load-balancer controller writes it */
      loadBalancerIPs: addresses,
      /** spec.loadBalancerSourceRanges */
      loadBalancerSourceRanges: addresses,
      /** spec.healthCheckNodePort (LoadBalancer with externalTrafficPolicy Local) */
      healthCheckNodePort: v.optional(number),
      sessionAffinity: v.optional(oneOf(SESSION_AFFINITIES, 'None or ClientIP')),
      /** spec.sessionAffinityConfig.clientIP.timeoutSeconds; the API's default is 10800 */
      sessionAffinityTimeout: v.optional(number),
    },
    'expected an object',
  ),
  v.transform(withoutUndefined),
);

/**
 * An EndpointSlice written by hand for a Service without a selector (the EndpointSlice
 * controller manages the others, and podhop derives theirs from the pods). Its endpoints'
 * conditions are kube-proxy's inputs: ready, serving, terminating.
 */
export const EndpointSchema = v.object(
  {
    addresses: list(text, LOAD_LIMITS.ports),
    nodeName: v.optional(NodeNameSchema),
    ready: v.optional(flag, true),
    serving: v.optional(flag),
    terminating: v.optional(flag, false),
  },
  'expected an object',
);
export const EndpointSliceSchema = v.pipe(
  v.object(
    {
      name: text,
      namespace: podNamespace,
      /** the kubernetes.io/service-name label */
      service: ServiceNameSchema,
      endpoints: v.optional(list(EndpointSchema, LOAD_LIMITS.endpoints), []),
      ports: v.optional(
        list(
          v.object({ name: v.optional(text), port: number, protocol }, 'expected an object'),
          LOAD_LIMITS.ports,
        ),
        [],
      ),
    },
    'expected an object',
  ),
  v.transform(withoutUndefined),
);

/** A Kubernetes Namespace; the API server labels each with kubernetes.io/metadata.name. */
export const KubeNamespaceSchema = v.pipe(
  v.object({ name: text, labels: v.optional(labels, {}) }, 'expected an object'),
  v.transform((ns) => ({
    name: ns.name,
    labels: { ...ns.labels, 'kubernetes.io/metadata.name': ns.name } as Record<string, string>,
  })),
);

/** networking.k8s.io/v1 NetworkPolicy objects, kept verbatim: a fresh copy, nothing but data. */
export const NetworkPolicyObjectSchema = v.pipe(
  v.record(v.string(), v.unknown(), 'expected an object'),
  v.transform((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>),
);

const joinsOf = (routers: readonly { readonly subnets: readonly unknown[] }[]) =>
  routers.reduce((sum, r) => sum + r.subnets.length, 0);

export const ScenarioSchema = v.pipe(
  v.object(
    {
      version: v.literal(SCENARIO_VERSION),
      cluster: v.optional(ClusterSettingsSchema, {}),
      subnets: v.optional(list(SubnetSchema, LOAD_LIMITS.subnets), []),
      // refused before anything is built from them (a hostile link must not freeze the page)
      routers: v.optional(
        v.pipe(
          list(RouterSchema, LOAD_LIMITS.routers),
          v.check(
            (routers) => joinsOf(routers) <= LOAD_LIMITS.routerJoins,
            (issue) =>
              `${joinsOf(issue.input)} router–subnet joins is more than podhop opens (${LOAD_LIMITS.routerJoins})`,
          ),
        ),
        [],
      ),
      nodes: v.optional(list(KubeNodeSchema, LOAD_LIMITS.nodes), []),
      pods: v.optional(list(PodSchema, LOAD_LIMITS.pods), []),
      services: v.optional(list(ServiceSchema, LOAD_LIMITS.services), []),
      /**
       * beyond `default` and `kube-system`, which always exist (listed, they are kept only
       * for labels of their own); none is the same as an empty list
       */
      namespaces: v.optional(
        v.pipe(
          list(KubeNamespaceSchema, LOAD_LIMITS.namespaces),
          v.transform((all) => {
            const kept = all.filter((ns) => !isBareSystemNamespace(ns));
            return kept.length ? kept : undefined;
          }),
        ),
      ),
      /** not enforced yet; the NetworkPolicy issue reads them. None is the same as an empty list */
      networkPolicies: v.optional(
        v.pipe(
          list(NetworkPolicyObjectSchema, LOAD_LIMITS.networkPolicies),
          v.transform((all) => (all.length ? all : undefined)),
        ),
      ),
      /** hand-written EndpointSlices of Services without a selector; none is an empty list */
      endpointSlices: v.optional(
        v.pipe(
          list(EndpointSliceSchema, LOAD_LIMITS.endpointSlices),
          v.transform((all) => (all.length ? all : undefined)),
        ),
      ),
    },
    'expected an object',
  ),
  v.transform(withoutUndefined),
);

/** `default` or `kube-system` with nothing but the label the API server gives every namespace */
function isBareSystemNamespace(ns: { name: string; labels: Record<string, string> }): boolean {
  const keys = Object.keys(ns.labels);
  return (
    (ns.name === 'default' || ns.name === 'kube-system') &&
    keys.length === 1 &&
    keys[0] === 'kubernetes.io/metadata.name'
  );
}

/** An optional field whose transform gave undefined is left out, as if never written. */
function withoutUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
