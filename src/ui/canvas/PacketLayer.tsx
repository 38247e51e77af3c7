import {
  Panel,
  ViewportPortal,
  useStore,
  type ReactFlowState,
  type XYPosition,
} from '@xyflow/react';
import type { CSSProperties } from 'react';
import { useApp } from '../storeContext';
import { packetPoints, type Focus } from './focus';
import { selectFocus, selectSpeed } from './selectors';

/** Zoomed out, the marker keeps a readable size on screen (it is drawn in flow units). */
const selectMarkerScale = (s: ReactFlowState) => Math.min(2.5, Math.max(1, 0.9 / s.transform[2]));

function Packet({ focus }: { focus: Focus }) {
  const inner = <div className="cv-pkt-inner">{focus.proto}</div>;
  // the envelope is added at flannel.1 (wrap) and taken off on the far side (unwrap)
  const wrap = focus.encapsulated && !focus.wasEncapsulated;
  const unwrap = !focus.encapsulated && focus.wasEncapsulated;
  if (!focus.encapsulated && !unwrap) return inner;
  return (
    <div
      className={`cv-pkt-envelope${wrap ? ' cv-wrap' : ''}${unwrap ? ' cv-unwrap' : ''}`}
      aria-hidden={unwrap ? 'true' : undefined}
    >
      <span className="cv-pkt-label">VXLAN</span>
      {inner}
    </div>
  );
}

/**
 * Why the packet was dropped, docked at the bottom of the canvas: over the
 * drawing it covered frame headers and ran past the canvas edge. The packet
 * itself keeps a compact ✕ where it was dropped. It shows once the packet has
 * arrived there.
 */
function DropBanner({ focus, travel }: { focus: Focus; travel: number }) {
  return (
    <Panel
      key={`drop-${focus.index}`}
      position="bottom-left"
      className="cv-drop-banner"
      style={{ '--travel': `${travel}s` } as CSSProperties}
      role="note"
      data-testid="packet-drop"
    >
      <strong className="cv-drop-tag">✕ dropped</strong>{' '}
      <span className="cv-drop-hop">at hop {focus.index + 1}</span>
      {focus.reason && <span className="cv-drop-reason">{focus.reason}</span>}
    </Panel>
  );
}

/**
 * The played packet: a marker that travels, in flow coordinates, from where the
 * previous hop left it to this hop's component (a CSS motion path, so the
 * viewport's pan and zoom carry it). Reduced motion: it simply appears there.
 */
export function PacketLayer({ anchors }: { anchors: ReadonlyMap<string, XYPosition> }) {
  const focus = useApp(selectFocus);
  const speed = useApp(selectSpeed);
  const scale = useStore(selectMarkerScale);
  if (!focus) return null;
  const pts = packetPoints(focus, anchors);
  const end = pts.at(-1);
  if (!end) return null;
  const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
  const moving = pts.length > 1;
  const travel = Math.min(1.1, 0.7 / speed);
  const style: CSSProperties & Record<'--travel', string> = {
    offsetPath: `path('${d}')`,
    '--travel': `${travel}s`,
  };
  return (
    <>
      <ViewportPortal>
        <div
          key={`${focus.index}|${d}`}
          className={`cv-packet cv-leg-${focus.leg}${moving ? ' cv-moving' : ''}`}
          data-testid="packet"
          data-encapsulated={focus.encapsulated ? 'true' : 'false'}
          data-dropped={focus.dropped ? 'true' : 'false'}
          style={style}
        >
          {/* scaled inside: on the moving element, scale would apply to its path offset too */}
          <div className="cv-pkt-body" style={{ scale: String(scale) }}>
            <Packet focus={focus} />
            {focus.dropped && (
              <span className="cv-pkt-x" aria-hidden="true">
                ✕
              </span>
            )}
          </div>
        </div>
      </ViewportPortal>
      {focus.dropped && <DropBanner focus={focus} travel={travel} />}
    </>
  );
}
