import type { Scenario } from '../../engine/index';
import { selectBuild, selectNetwork, selectTrace, type PlayedTrace } from '../../store/derived';
import type { AppState, LinkRef, Selection } from '../../store/state';
import { hopFocus, type Focus } from './focus';
import { canvasModel, type CanvasModel } from './model';

/** Module-level selectors for the canvas, memoised on the objects they come from. */
const models = new WeakMap<Scenario, CanvasModel>();

export function selectCanvasModel(st: AppState): CanvasModel {
  let m = models.get(st.scenario);
  if (!m) models.set(st.scenario, (m = canvasModel(st.scenario, selectBuild(st))));
  return m;
}

const focuses = new WeakMap<PlayedTrace, Map<number, Focus | undefined>>();

/** The played hop, as what it touches on the canvas. */
export function selectFocus(st: AppState): Focus | undefined {
  const t = selectTrace(st);
  const net = selectNetwork(st);
  if (!t || !net || t.hops.length === 0) return undefined;
  const index = Math.min(st.hop, t.hops.length - 1);
  let byIndex = focuses.get(t);
  if (!byIndex) focuses.set(t, (byIndex = new Map()));
  if (!byIndex.has(index)) byIndex.set(index, hopFocus(net, t.hops, index));
  return byIndex.get(index);
}

export const selectSelection = (st: AppState): Selection => st.selection;
export const selectLink = (st: AppState): LinkRef | null => st.link;
export const selectSpeed = (st: AppState): number => st.speed;

export const isSelected = (sel: Selection, kind: string, name: string): boolean =>
  sel !== null && sel.kind === kind && sel.name === name;
