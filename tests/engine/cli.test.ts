import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const cli = join(root, 'src', 'cli', 'podhop.ts');

function podhop(...args: string[]) {
  const r = spawnSync(tsx, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** each case starts the CLI with tsx once or more; on a loaded machine that takes more than vitest's 5 s */
const SLOW = 30_000;

describe('the podhop command line', { timeout: SLOW }, () => {
  it('shows a node’s routes as ip route prints them', () => {
    expect(
      podhop('show', '--example', 'seed', '--datapath', 'direct', 'node2', 'route').stdout,
    ).toBe(
      [
        'default via 10.100.0.1 dev eth0 ',
        '10.100.0.0/24 dev eth0 proto kernel scope link src 10.100.0.3 ',
        '172.17.1.0/24 via 10.100.0.2 dev eth0 ',
        '172.17.2.0/24 dev cni0 proto kernel scope link src 172.17.2.1 ',
        '',
      ].join('\n'),
    );
  });

  it('exports the scenario as Kubernetes manifests with --yaml, its underlay in one PodhopCluster document', () => {
    const out = podhop('export', '--example', 'seed', '--yaml');
    expect(out.status).toBe(0);
    const docs = out.stdout.split(/^---$/m).slice(1);
    const kinds = docs.map((d) => /^kind: (\S+)$/m.exec(d)?.[1]);
    expect(kinds).toEqual([
      'Namespace',
      'Namespace',
      'Pod',
      'Pod',
      'Pod',
      'Service',
      'PodhopCluster',
    ]);
    expect(docs[2]).toContain('name: pod1a\n  namespace: default');
    expect(docs[2]).toContain('podIP: 172.17.1.2');
  });

  it('--kube reads kubectl get -o json: pods x/web and y/web are two pods, kubectl get pods -A lists both', () => {
    const file = join(root, 'tests', 'fixtures', 'kube', 'kubeadm-flannel.json');
    const ping = podhop('ping', '--kube', file, 'x/web', '10.244.2.2');
    expect(ping.stdout).toBe('ok\n');
    expect(ping.stderr).toContain('podhop: ignored: 1 ConfigMap');
    const all = podhop('exec', '--kube', file, 'cp-1', '--', 'kubectl', 'get', 'pods', '-A');
    const rows = all.stdout.split('\n').filter((l) => /\bweb\b/.test(l));
    expect(rows.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['x web', 'y web']);
    expect(all.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS/);
    const inX = podhop('exec', '--kube', file, 'cp-1', '--', 'kubectl', 'get', 'pods', '-n', 'x');
    expect(inX.stdout).toMatch(/^NAME\s+READY/);
    expect(inX.stdout).not.toContain('coredns');
  });

  it('pings: ok, or FAIL with the reason and a non-zero exit', () => {
    expect(
      podhop(
        'ping',
        '--example',
        'seed',
        '--datapath',
        'overlay',
        '--srccheck',
        'pod1a',
        '172.17.2.2',
      ),
    ).toMatchObject({ stdout: 'ok\n', status: 0 });
    const fail = podhop(
      'ping',
      '--example',
      'seed',
      '--datapath',
      'direct',
      '--srccheck',
      'pod1a',
      '172.17.2.2',
    );
    expect(fail.status).toBe(1);
    expect(fail.stdout).toMatch(/^FAIL: dropped by the cloud source\/destination check/);
  });

  it('traceroutes with the banner on stderr and hops on stdout', () => {
    const r = podhop(
      'traceroute',
      '--example',
      'xsubnet',
      '--datapath',
      'gateway',
      'pod1',
      '172.17.3.2',
    );
    expect(r.stdout).toBe(' 1  172.17.1.1\n 2  10.100.0.1\n 3  10.100.1.2\n 4  172.17.3.2\n');
    expect(r.stderr).toContain(
      'traceroute to 172.17.3.2 (172.17.3.2), 30 hops max, 60 byte packets',
    );
  });

  it('exports a scenario that --scenario reads back, and reports a broken file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podhop-'));
    const file = join(dir, 'seed.json');
    writeFileSync(
      file,
      execFileSync(tsx, [cli, 'export', '--example', 'seed', '--datapath', 'direct'], {
        cwd: root,
        encoding: 'utf8',
      }),
    );
    expect(podhop('ping', '--scenario', file, 'pod1a', '172.17.2.2').stdout).toBe('ok\n');
    writeFileSync(file, '{"version":1,"cluster":{"clusterCidr":"10.0.0.0/33"}}');
    const bad = podhop('show', '--scenario', file, 'node1', 'route');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('invalid CIDR address: 10.0.0.0/33');
  });

  it('answers an unknown namespace as ip netns exec would', () => {
    expect(podhop('show', '--example', 'seed', 'nope', 'route').stderr).toBe(
      'Cannot open network namespace "nope": No such file or directory\n',
    );
  });

  it('runs a command in a namespace’s terminal', () => {
    expect(
      podhop('exec', '--example', 'seed', 'node1', '--', 'kubectl', 'get', 'endpoints').stdout,
    ).toContain('web    172.17.1.3:8080,172.17.2.2:8080');
  });

  it('refuses a probe value the tool would refuse, in its words, and sends nothing', () => {
    expect(podhop('ping', '--example', 'seed', '--ttl', '300', 'pod1a', '172.17.2.2')).toEqual({
      stdout: '',
      stderr: "ping: invalid argument: '300': out of range: 0 <= value <= 255\n",
      status: 2,
    });
    expect(podhop('trace', '--example', 'seed', '--size=-5', 'pod1a', '172.17.2.2').stderr).toBe(
      "ping: invalid argument: '-5': out of range: 0 <= value <= 2147483647\n",
    );
    expect(
      podhop('trace', '--example', 'seed', '--size', '65508', 'pod1a', '172.17.2.2').stderr,
    ).toBe("ping: invalid -s value: '65508': out of range: 0 <= value <= 65507\n");
    expect(
      podhop('ping', '--example', 'seed', '--ttl', 'abc', 'pod1a', '172.17.2.2'),
    ).toMatchObject({
      stderr: "ping: invalid argument: 'abc'\n",
      status: 1,
    });
  });

  it('pings 0.0.0.0 as this host, and refuses a broadcast as ping does without -b', () => {
    expect(podhop('ping', '--example', 'seed', 'pod1a', '0.0.0.0')).toMatchObject({
      stdout: 'ok\n',
      status: 0,
    });
    expect(podhop('ping', '--example', 'seed', 'pod1a', '255.255.255.255')).toMatchObject({
      stderr:
        'ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n',
      status: 2,
    });
  });

  it('prints every hop of a trace as JSON', () => {
    const hops = JSON.parse(
      podhop('trace', '--example', 'seed', '--datapath', 'overlay', '--json', 'pod1a', '172.17.2.2')
        .stdout,
    ).hops as { namespace: string; action: string }[];
    expect(hops.map((h) => h.action)).toContain('encapsulate');
  });
});

describe(
  'podhop reach: the NetworkPolicy matrix as the e2e suite prints it',
  { timeout: SLOW },
  () => {
    const model = join(root, 'tests', 'fixtures', 'netpol', 'model-policies.json');

    it('prints truthtable.go’s table; a policy the API server would refuse is said on stderr and not applied', () => {
      const out = podhop('reach', '--scenario', model);
      expect(out.status).toBe(0);
      expect(out.stdout.split('\n').slice(0, 4)).toEqual([
        '-\tx/a\tx/b\tx/c\ty/a\ty/b\ty/c\tz/a\tz/b\tz/c',
        'x/a\t.\tX\tX\t.\t.\t.\t.\t.\t.',
        'x/b\t.\t.\tX\t.\t.\t.\t.\t.\t.',
        'x/c\tX\tX\t.\t.\t.\t.\t.\t.\t.',
      ]);
      expect(out.stderr).toBe(
        'networkpolicy/y/bad-cidr: The NetworkPolicy "bad-cidr" is invalid: spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)\n',
      );
    });

    it('on another protocol and port: the named port serve-80-tcp no longer lets x/b in', () => {
      const out = podhop('reach', '--scenario', model, '--proto', 'udp', '--port', '81');
      expect(out.stdout.split('\n')[2]).toBe('x/b\tX\t.\tX\t.\t.\t.\t.\t.\t.');
    });

    it('refuses a protocol NetworkPolicy has no word for', () => {
      const out = podhop('reach', '--scenario', model, '--proto', 'icmp');
      expect(out.status).toBe(2);
      expect(out.stderr.split('\n')[0]).toBe('podhop: --proto: "icmp" is not TCP, UDP or SCTP');
    });
  },
);
