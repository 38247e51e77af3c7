import { useMemo, useState } from 'react';
import {
  defaultDport,
  podAddress,
  podRef,
  serviceKey,
  serviceRef,
  type Network,
  type Scenario,
} from '../../engine/index';
import { selectNetwork, selectTrace, type PlayedTrace } from '../../store/derived';
import type { AppState, PlayRequest } from '../../store/state';
import { useApp, useAppShallow, useAppStore } from '../storeContext';
import { FoldTitle } from './Fold';

type Kind = PlayRequest['protocol'];
const KINDS: readonly { kind: Kind; label: string }[] = [
  { kind: 'icmp', label: 'ping (ICMP echo)' },
  { kind: 'traceroute', label: 'traceroute' },
  { kind: 'tcp', label: 'TCP connect' },
  { kind: 'udp', label: 'UDP datagram' },
];
/** option values: a pod's or node's own name (names are unique across kinds), `service/<name>`, or this */
const OTHER = 'other';

interface Target {
  readonly key: string;
  readonly label: string;
  readonly ip: string;
}

function sourcesOf(s: Scenario, net: Network | undefined): string[] {
  const have = new Set(net?.namespaceNames ?? []);
  return [...s.pods.map(podRef), ...s.nodes.map((n) => n.name as string)].filter((n) =>
    have.has(n),
  );
}

function targetsOf(s: Scenario, net: Network | undefined): Target[] {
  const out: Target[] = [];
  for (const p of s.pods) {
    // the address IPAM stored in the scenario, else the one the engine put on eth0
    const ref = podRef(p);
    const ip = p.ip ?? podAddress(net, ref)?.ip.text;
    if (ip) out.push({ key: ref, label: `${ref} — ${ip}`, ip });
  }
  for (const n of s.nodes) out.push({ key: n.name, label: `${n.name} — ${n.ip}`, ip: n.ip });
  for (const v of s.services)
    if (v.clusterIP)
      out.push({
        key: serviceKey(v),
        label: `service ${serviceRef(v)} — ${v.clusterIP}`,
        ip: v.clusterIP,
      });
  // naive IPAM hands the same address to pods on different nodes: say so where it is picked
  const seen = new Map<string, number>();
  for (const t of out) seen.set(t.ip, (seen.get(t.ip) ?? 0) + 1);
  return out.map((t) =>
    (seen.get(t.ip) ?? 0) > 1 ? { ...t, label: `${t.label} (duplicate)` } : t,
  );
}

/** Playback glyphs as SVG: the media-control characters are missing from many system fonts. */
const ICON_PATH = {
  back: 'M6 5h2v14H6zM18 5v14L9 12z',
  play: 'M7 5v14l12-7z',
  pause: 'M7 5h4v14H7zM13 5h4v14h-4z',
  forward: 'M16 5h2v14h-2zM6 5v14l9-7z',
} as const;

function Icon({ name }: { name: keyof typeof ICON_PATH }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={ICON_PATH[name]} fill="currentColor" />
    </svg>
  );
}

/** The port the form shows for a probe: the engine's default for it (ping and traceroute take none). */
const defaultPort = (kind: Kind) => defaultDport(kind === 'udp' ? 'udp' : 'tcp');

/** A TCP or UDP port as typed: a whole number from 1 to 65535, else undefined (never port 0). */
function portOf(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{1,5}$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 && n <= 65535 ? n : undefined;
}

const KIND_NAME: Record<Kind, string> = {
  icmp: 'ping',
  traceroute: 'traceroute',
  tcp: 'TCP',
  udp: 'UDP',
};

/** What a played request was, in a few words: "pod1a → 172.17.2.2, TCP port 80". */
function describe(p: PlayRequest): string {
  const port =
    p.protocol === 'tcp' || p.protocol === 'udp'
      ? ` port ${p.dport ?? defaultPort(p.protocol)}`
      : '';
  return `${p.from} → ${p.dst}, ${KIND_NAME[p.protocol]}${port}`;
}

/** The form starts from the packet being played (a shared link), else pod → a pod on another node. */
function initialForm(s: AppState) {
  const net = selectNetwork(s);
  const targets = targetsOf(s.scenario, net);
  const p = s.play;
  if (p) {
    const t = targets.find((x) => (p.to !== undefined ? x.key === p.to : x.ip === p.dst));
    return {
      from: p.from,
      dstKey: t?.key ?? OTHER,
      other: t ? '' : p.dst,
      kind: p.protocol,
      port: String(p.dport ?? defaultPort(p.protocol)),
    };
  }
  const from = sourcesOf(s.scenario, net)[0] ?? '';
  const fromNode = s.scenario.pods.find((x) => podRef(x) === from)?.node;
  const far = s.scenario.pods.find((x) => x.node !== fromNode && podRef(x) !== from);
  const dst = targets.find((t) => far && t.key === podRef(far)) ?? targets[1] ?? targets[0];
  return { from, dstKey: dst?.key ?? OTHER, other: '', kind: 'icmp' as Kind, port: '80' };
}

/**
 * traceroute's lines for the probes played so far: a probe's line appears once
 * its last hop is on screen (line i is the probe with TTL i + 1).
 */
function traceLines(trace: PlayedTrace, at: number): readonly string[] {
  const lines = trace.lines ?? [];
  const probeOf = trace.probeOf ?? [];
  const end = trace.hops.length - 1;
  return lines.filter((_, i) => {
    const lastHop = probeOf.lastIndexOf(i + 1);
    return at >= (lastHop >= 0 ? lastHop : end);
  });
}

const pickPlayback = (s: AppState) => ({
  trace: selectTrace(s),
  hop: s.hop,
  playing: s.playing,
  speed: s.speed,
});

export function ProbePanel() {
  const store = useAppStore();
  const scenario = useApp((s) => s.scenario);
  const net = useApp(selectNetwork);
  const [form, setForm] = useState(() => initialForm(store.getState()));
  // a packet started elsewhere (a lesson, a link, the terminal) resets the form to show it
  const play = useApp((s) => s.play);
  const [shown, setShown] = useState(play);
  if (play !== shown) {
    setShown(play);
    if (play) setForm(initialForm(store.getState()));
  }
  const sources = useMemo(() => sourcesOf(scenario, net), [scenario, net]);
  const targets = useMemo(() => targetsOf(scenario, net), [scenario, net]);
  const { trace, hop, playing, speed } = useAppShallow(pickPlayback);
  const inLesson = useApp((s) => s.lesson !== null);
  // whether the form is open, outside a lesson and inside one
  const [formOpen, setFormOpen] = useState<readonly [boolean, boolean]>([true, false]);

  const from = sources.includes(form.from) ? form.from : (sources[0] ?? '');
  const dstKey =
    form.dstKey === OTHER || targets.some((t) => t.key === form.dstKey)
      ? form.dstKey
      : (targets[0]?.key ?? OTHER);
  const dstIp =
    dstKey === OTHER ? form.other.trim() : (targets.find((t) => t.key === dstKey)?.ip ?? '');
  const withPort = form.kind === 'tcp' || form.kind === 'udp';
  const port = withPort ? portOf(form.port) : undefined;
  const portBad = withPort && port === undefined;
  const canSend = !!from && !!dstIp && !portBad;

  const send = () => {
    if (!canSend) return;
    store.getState().setPlay({
      from,
      dst: dstIp,
      ...(dstKey !== OTHER ? { to: dstKey } : {}),
      protocol: form.kind,
      ...(port !== undefined ? { dport: port } : {}),
    });
  };

  // the result on screen belongs to the packet sent, not to a form changed since
  const stale =
    play !== null &&
    (play.from !== from ||
      (play.to !== undefined ? play.to !== dstKey : play.dst !== dstIp) ||
      play.protocol !== form.kind ||
      (withPort && (play.dport ?? defaultPort(form.kind)) !== port));

  const count = trace?.hops.length ?? 0;
  const at = Math.min(hop, Math.max(0, count - 1));
  const last = count - 1;
  // a packet that never left has nothing to play: its verdict is there at once
  const arrived = count === 0 || at >= last;
  const togglePlay = () => {
    const st = store.getState();
    if (playing) return st.setPlaying(false);
    if (at >= last) st.setHop(0);
    st.setPlaying(true);
  };

  const formEl = (
    <form
      className="probe-form"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <div className="probe-row">
        <label className="field probe-from">
          <span className="field-label">From</span>
          <select
            data-testid="probe-from"
            value={from}
            onChange={(e) => setForm({ ...form, from: e.target.value })}
          >
            {sources.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label className="field probe-to">
          <span className="field-label">To</span>
          <select
            data-testid="probe-dst"
            value={dstKey}
            onChange={(e) => setForm({ ...form, dstKey: e.target.value })}
          >
            {targets.map((t) => (
              <option key={t.key} value={t.key}>
                {t.label}
              </option>
            ))}
            <option value={OTHER}>other address…</option>
          </select>
        </label>
      </div>
      {dstKey === OTHER && (
        <label className="field">
          <span className="field-label">Address</span>
          <input
            data-testid="probe-dst-ip"
            className="mono"
            inputMode="decimal"
            placeholder="e.g. 8.8.8.8"
            value={form.other}
            onChange={(e) => setForm({ ...form, other: e.target.value })}
          />
        </label>
      )}
      <div className="probe-row">
        <label className="field grow">
          <span className="field-label">Probe</span>
          <select
            data-testid="probe-kind"
            value={form.kind}
            onChange={(e) => setForm({ ...form, kind: e.target.value as Kind })}
          >
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        {withPort && (
          <label className="field port">
            <span className="field-label">Port</span>
            <input
              data-testid="probe-port"
              type="number"
              min={1}
              max={65535}
              required
              aria-invalid={portBad}
              aria-describedby={portBad ? 'probe-port-error' : undefined}
              value={form.port}
              onChange={(e) => setForm({ ...form, port: e.target.value })}
            />
          </label>
        )}
        <button
          type="submit"
          className="btn primary probe-send"
          data-testid="probe-send"
          disabled={!canSend}
        >
          Send
        </button>
      </div>
      {portBad && (
        <p
          className="field-error"
          id="probe-port-error"
          data-testid="probe-port-error"
          role="alert"
        >
          A port is a whole number from 1 to 65535.
        </p>
      )}
    </form>
  );

  // open outside a lesson; a lesson sends its own packets, so there it starts folded
  const open = formOpen[inLesson ? 1 : 0];
  const toggle = () =>
    setFormOpen(([out, inside]): readonly [boolean, boolean] =>
      inLesson ? [out, !inside] : [!out, inside],
    );
  return (
    <>
      <section className="panel probe-panel" aria-labelledby="probe-h" data-testid="probe-panel">
        <FoldTitle id="probe-h" open={open} onToggle={toggle} testId="probe-fold">
          {inLesson ? 'Send your own packet' : 'Send a packet'}
        </FoldTitle>
        {open && !net && (
          <p className="muted hint" role="status">
            The scenario has problems (see the inspector): nothing can be sent until they are fixed.
          </p>
        )}
        {open && formEl}
      </section>
      <Player
        trace={trace}
        at={at}
        count={count}
        playing={playing}
        speed={speed}
        stale={stale}
        arrived={arrived}
        onToggle={togglePlay}
      />
    </>
  );
}

/**
 * The player: step, play, pause, the hop count and the outcome. On a wide
 * screen it stays at the top of the left column while the hops scroll under it.
 */
function Player({
  trace,
  at,
  count,
  playing,
  speed,
  stale,
  arrived,
  onToggle,
}: {
  trace: PlayedTrace | undefined;
  at: number;
  count: number;
  playing: boolean;
  speed: number;
  stale: boolean;
  arrived: boolean;
  onToggle: () => void;
}) {
  const store = useAppStore();
  const last = count - 1;
  const togglePlay = onToggle;
  return (
    <div className="panel player" data-testid="player">
      <div className="playback" role="group" aria-label="Playback">
        <button
          type="button"
          className="btn icon"
          data-testid="step-back"
          aria-label="Previous hop"
          title="Previous hop (←)"
          disabled={count === 0 || at <= 0}
          onClick={() => store.getState().setHop(at - 1)}
        >
          <Icon name="back" />
        </button>
        <button
          type="button"
          className="btn icon"
          data-testid="play-toggle"
          aria-label={playing ? 'Pause' : 'Play'}
          title={playing ? 'Pause (Space)' : 'Play (Space)'}
          aria-pressed={playing}
          disabled={count === 0}
          onClick={togglePlay}
        >
          <Icon name={playing ? 'pause' : 'play'} />
        </button>
        <button
          type="button"
          className="btn icon"
          data-testid="step-forward"
          aria-label="Next hop"
          title="Next hop (→)"
          disabled={count === 0 || at >= last}
          onClick={() => store.getState().setHop(at + 1)}
        >
          <Icon name="forward" />
        </button>
        <span className="hop-count" aria-hidden="true">
          {count > 0 ? `${at + 1} / ${count}` : '– / –'}
        </span>
        <label className="speed">
          <span className="field-label">Speed</span>
          <input
            type="range"
            data-testid="speed"
            min={0.5}
            max={4}
            step={0.5}
            value={speed}
            aria-valuetext={`${speed} hops per second`}
            onChange={(e) => store.getState().setSpeed(Number(e.target.value))}
          />
          <span className="speed-value" aria-hidden="true">
            {speed}/s
          </span>
        </label>
      </div>

      {trace && (
        <div className="verdict-box" data-stale={stale}>
          {stale && (
            <p className="muted hint" data-testid="trace-stale">
              Shown: {describe(trace.request)}. The form holds another packet: Send to play it.
            </p>
          )}
          {arrived ? (
            <p
              data-testid="trace-verdict"
              data-ok={trace.warning ? 'warn' : trace.verdict.ok ? 'true' : 'false'}
              className={
                trace.warning
                  ? 'verdict verdict-warn'
                  : trace.verdict.ok
                    ? 'verdict verdict-ok'
                    : 'verdict verdict-fail'
              }
            >
              {trace.warning && <strong data-testid="trace-warning">{trace.warning}: </strong>}
              {trace.verdict.text}
            </p>
          ) : (
            // the outcome waits for the packet: it shows once the last hop is on screen
            <p data-testid="trace-verdict" data-pending="true" className="verdict verdict-pending">
              {playing
                ? `playing… hop ${at + 1} of ${count}`
                : `on its way: hop ${at + 1} of ${count}`}
            </p>
          )}
          {trace.lines && (
            <pre className="traceroute-lines" data-testid="traceroute-lines">
              {[`traceroute to ${trace.request.dst}`, ...traceLines(trace, at)].join('\n')}
            </pre>
          )}
        </div>
      )}
    </div>
  );
}
