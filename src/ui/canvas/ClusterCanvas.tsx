import {
  Background,
  ConnectionLineType,
  ControlButton,
  Controls,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  useReactFlow,
  useStore,
  type ReactFlowState,
  type Connection,
  type Edge,
  type IsValidConnection,
  type Node,
  type NodeChange,
  type OnConnectEnd,
  type OnNodeDrag,
  type XYPosition,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import type { Edit } from '../../engine/index';
import type { LinkRef, Selection } from '../../store/state';
import { useApp, useAppStore } from '../storeContext';
import '../styles/canvas.css';
import type { Focus } from './focus';
import { MiniMapPlaced } from './MiniMapPlaced';
import { LessonFrame } from '../lessons/LessonFrame';
import { edgeId, flowId, isFlowOf, layoutOf, parseFlowId, type CanvasNode } from './layout';
import { useFlyTo } from './useFlyTo';
import { useFollowPacket, useInitialView, useKeepInView, useReadableFit } from './useView';
import { edgeTypes } from './edges';
import { nodeTypes } from './nodes';
import { PacketLayer } from './PacketLayer';
import { disarmPlacing } from './placing';
import {
  DND_TYPE,
  addAndSelect,
  dropPlacement,
  frameAt,
  isPaletteKind,
  refOfFlowId,
} from './placement';
import { selectCanvasModel, selectFocus, selectLink, selectSelection } from './selectors';

/** React Flow's own fit-view icon: the button keeps its look, and frames as useReadableFit does. */
const FIT_ICON = (
  <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden="true">
    <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
  </svg>
);

/** Keep React Flow's measurements when the layout hands over new node objects. */
function carryMeasured(prev: readonly CanvasNode[], next: readonly CanvasNode[]): CanvasNode[] {
  const old = new Map(prev.map((n) => [n.id, n]));
  return next.map((n) => {
    const o = old.get(n.id);
    return o?.measured && o.width === n.width && o.height === n.height
      ? { ...n, measured: o.measured }
      : n;
  });
}

/**
 * Edges as the played hop and the selection mark them. A Service's edges to
 * its endpoints stay faint and unlabelled (with two Services they cluttered the
 * drawing) unless the Service or an endpoint pod is selected, or the current
 * hop runs along one.
 */
function withMarks(
  edges: readonly Edge[],
  focus: Focus | undefined,
  sel: Selection,
  link: LinkRef | null,
): Edge[] {
  const svcPrefix = sel?.kind === 'service' ? `edge:svc:${sel.name}:` : undefined;
  const pod = sel?.kind === 'pod' ? flowId.pod(sel.name) : undefined;
  const picked = link ? edgeId.router(link.router, link.subnet) : undefined;
  if (!focus && !svcPrefix && !pod && !picked) return [...edges];
  return edges.map((e) => {
    const active = focus?.active.has(e.id) ?? false;
    const shown =
      e.type === 'service' &&
      (active || (!!svcPrefix && e.id.startsWith(svcPrefix)) || e.target === pod);
    const isPicked = e.id === picked;
    if (!active && !shown && !isPicked) return e;
    return {
      ...e,
      className: `${e.className ?? ''}${active ? ' cv-edge-active' : ''}${shown ? ' cv-edge-shown' : ''}${isPicked ? ' cv-edge-picked' : ''}`,
      ...(active ? { animated: true } : {}),
      ...(shown ? { data: { ...e.data, shown: true } } : {}),
    };
  });
}

/** A drag from a router to a subnet (either way round): the router's next interface. */
function routerAndSubnet(c: { source: string; target: string }) {
  const [a, b] = [parseFlowId(c.source), parseFlowId(c.target)];
  const router = [a, b].find((x) => x?.kind === 'router');
  const subnet = [a, b].find((x) => x?.kind === 'subnet');
  return router && subnet ? { router: router.name, subnet: subnet.name } : undefined;
}
const isRouterToSubnet = (c: { source: string; target: string }) => !!routerAndSubnet(c);

const connectEdit = (c: { source: string; target: string }): Edit => {
  const ends = routerAndSubnet(c);
  return { kind: 'connect', router: ends?.router ?? '', subnet: ends?.subnet ?? '' };
};

/** Zoomed far out, the canvas drops the small print (it is unreadable there, and costly to paint). */
const FAR_ZOOM = 0.4;
const selectFar = (s: ReactFlowState) => s.transform[2] < FAR_ZOOM;

const isValidConnection: IsValidConnection = (c) => isRouterToSubnet(c);

const miniColor = (n: Node): string => {
  switch (n.type) {
    case 'subnet':
      return 'var(--cv-mini-subnet)';
    case 'kubeNode':
      return 'var(--cv-mini-node)';
    case 'router':
      return 'var(--cv-mini-router)';
    case 'pod':
      return 'var(--cv-mini-pod)';
    case 'service':
      return 'var(--cv-mini-service)';
    default:
      return 'var(--cv-mini-device)';
  }
};

const reducedMotion = () =>
  window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

/**
 * React Flow's own warnings, minus one: a router just joined to a subnet gets
 * its port on the bus in the same render as its edge, and the port is measured
 * a frame later (useUpdateNodeInternals), so the edge misses it once (#008)
 * and is drawn on the next frame.
 */
function onFlowError(code: string, message: string) {
  if (code !== '008') console.warn(message);
}

/** A canvas too small for the mini map (a phone, a narrow window): it would cover the drawing. */
const selectNarrow = (s: ReactFlowState) => s.width > 0 && (s.width < 560 || s.height < 380);

function useHint(): [string | null, (text: string) => void] {
  const [hint, setHint] = useState<string | null>(null);
  useEffect(() => {
    if (!hint) return;
    const t = setTimeout(() => setHint(null), 3500);
    return () => clearTimeout(t);
  }, [hint]);
  return [hint, setHint];
}

function CanvasInner() {
  const store = useAppStore();
  const model = useApp(selectCanvasModel);
  const focus = useApp(selectFocus);
  const layout = layoutOf(model);
  const { screenToFlowPosition, setCenter, getZoom } = useReactFlow();
  const [hint, showHint] = useHint();
  const far = useStore(selectFar);
  const narrow = useStore(selectNarrow);
  const selection = useApp(selectSelection);

  // React Flow owns drag positions and measurements in between store updates
  const [flow, setFlow] = useState(() => ({ layout, nodes: [...layout.nodes] }));
  let current = flow.nodes;
  if (flow.layout !== layout) {
    current = carryMeasured(flow.nodes, layout.nodes);
    setFlow({ layout, nodes: current });
  }
  // The store holds the selection (nodes draw it from there); React Flow's own
  // `selected` stays off, so arrow keys step the played hop instead of nudging a node.
  const link = useApp(selectLink);
  const edges = useMemo(
    () => withMarks(layout.edges, focus, selection, link),
    [layout.edges, focus, selection, link],
  );
  const placed = useInitialView(layout);
  useKeepInView(layout);
  useFollowPacket(layout.anchors, placed);
  useFlyTo(layout);
  const fit = useReadableFit(layout);

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const local = changes.filter((c) => c.type !== 'select' && c.type !== 'remove');
      for (const c of changes) {
        if (c.type !== 'select' || !c.selected) continue;
        const ref = refOfFlowId(c.id);
        if (ref) store.getState().select(ref);
      }
      if (local.length) setFlow((f) => ({ ...f, nodes: applyNodeChanges(local, f.nodes) }));
    },
    [store],
  );

  const onNodeDragStop: OnNodeDrag<CanvasNode> = useCallback(
    (_e, _node, dragged) => {
      const st = store.getState();
      const placed = new Map(layoutOf(selectCanvasModel(st)).nodes.map((n) => [n.id, n.position]));
      const edits: Edit[] = [];
      for (const n of dragged) {
        const ref = refOfFlowId(n.id);
        const was = placed.get(n.id);
        if (!ref || n.type === 'bridge' || n.type === 'vxlan') continue;
        const position = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
        if (was && was.x === position.x && was.y === position.y) continue;
        edits.push({ kind: 'move', target: ref, position });
      }
      if (edits.length) st.applyAll(edits);
    },
    [store],
  );

  const onNodeClick = useCallback(
    (_e: unknown, node: Node) => {
      const ref = refOfFlowId(node.id);
      if (ref) store.getState().select(ref);
    },
    [store],
  );
  const onPaneClick = useCallback(() => store.getState().select(null), [store]);
  // a router's link to a subnet is picked by a click; Delete then removes it (useKeyboard)
  const onEdgeClick = useCallback(
    (_e: unknown, edge: Edge) => {
      const d = edge.data as { router?: string; subnet?: string } | undefined;
      if (d?.router && d.subnet)
        store.getState().selectLink({ router: d.router, subnet: d.subnet });
    },
    [store],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (isRouterToSubnet(c)) store.getState().apply(connectEdit(c));
    },
    [store],
  );
  // a router's handle let go anywhere over a subnet frame connects too
  const onConnectEnd: OnConnectEnd = useCallback(
    (event, state) => {
      if (state.isValid || !state.fromNode || !isFlowOf('router')(state.fromNode.id)) return;
      const pt = 'changedTouches' in event ? event.changedTouches[0] : event;
      if (!pt) return;
      const p = screenToFlowPosition({ x: pt.clientX, y: pt.clientY });
      const s = frameAt(layoutOf(selectCanvasModel(store.getState())), p, 'subnet');
      if (s)
        store
          .getState()
          .apply(connectEdit({ source: state.fromNode.id, target: flowId.subnet(s.name) }));
    },
    [store, screenToFlowPosition],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DND_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(DND_TYPE);
      disarmPlacing();
      if (!isPaletteKind(kind)) return;
      e.preventDefault();
      const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const placement = dropPlacement(layoutOf(selectCanvasModel(store.getState())), kind, p);
      if (placement.ok) addAndSelect(store, placement.edit);
      else showHint(placement.hint);
    },
    [store, screenToFlowPosition, showHint],
  );

  // a click on the mini map brings that spot to the middle of the canvas
  const onMiniMapClick = useCallback(
    (_: unknown, p: XYPosition) =>
      void setCenter(p.x, p.y, { zoom: getZoom(), duration: reducedMotion() ? 0 : 250 }),
    [setCenter, getZoom],
  );

  return (
    <ReactFlow<CanvasNode>
      nodes={current}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onNodeDragStop={onNodeDragStop}
      onNodeClick={onNodeClick}
      onPaneClick={onPaneClick}
      onEdgeClick={onEdgeClick}
      onConnect={onConnect}
      onConnectEnd={onConnectEnd}
      isValidConnection={isValidConnection}
      connectionLineType={ConnectionLineType.SmoothStep}
      onDragOver={onDragOver}
      onDrop={onDrop}
      deleteKeyCode={null}
      multiSelectionKeyCode={null}
      selectionKeyCode={null}
      elevateNodesOnSelect={false}
      edgesFocusable={false}
      minZoom={0.03}
      maxZoom={2.5}
      colorMode="system"
      className={[far && 'cv-far', narrow && 'cv-narrow', !placed && 'cv-unplaced']
        .filter(Boolean)
        .join(' ')}
      aria-label="Cluster canvas"
      onError={onFlowError}
    >
      <Background gap={24} size={1} />
      <Controls
        aria-label="Canvas zoom controls"
        showInteractive={false}
        showFitView={false}
        orientation={narrow ? 'horizontal' : 'vertical'}
      >
        <ControlButton
          onClick={fit}
          className="react-flow__controls-fitview"
          title="Fit View"
          aria-label="Fit View"
        >
          {FIT_ICON}
        </ControlButton>
      </Controls>
      {!narrow && <MiniMapPlaced layout={layout} onClick={onMiniMapClick} nodeColor={miniColor} />}
      <PacketLayer anchors={layout.anchors} />
      <LessonFrame />
      {hint && (
        <Panel position="top-center" className="cv-hint" aria-hidden="true">
          {hint}
        </Panel>
      )}
      {/* always present, so a screen reader hears the hint when it appears */}
      <div className="sr-only" role="status" aria-live="polite">
        {hint}
      </div>
      {!model.built && (
        // at the bottom, where no packet plays while nothing builds: the drawing starts at the top
        <Panel position="bottom-center" className="cv-broken" role="alert">
          <strong>The cluster does not build.</strong> Each problem is shown in red on its object.
          {model.loose.length > 0 && (
            <ul>
              {model.loose.map((t) => (
                <li key={t}>{t}</li>
              ))}
            </ul>
          )}
        </Panel>
      )}
    </ReactFlow>
  );
}

/** The cluster drawn as subnets, routers, nodes and pods, with the played packet on top. */
export function ClusterCanvas() {
  return (
    <div className="cv-canvas" data-testid="canvas">
      <ReactFlowProvider>
        <CanvasInner />
      </ReactFlowProvider>
    </div>
  );
}
