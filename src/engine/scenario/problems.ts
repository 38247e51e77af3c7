/**
 * What a problem does to the cluster, decided here and nowhere else (never by
 * reading a problem's text):
 *
 * - `cluster`: a cluster-wide setting is wrong (`--cluster-cidr`, maxPods…):
 *   no controller can run, so nothing builds;
 * - `duplicate`: two objects claim one identity (two pods `default/a`, a pod
 *   and a node both named `a`): which one a name means is unknowable, so
 *   nothing builds until one is renamed;
 * - `refused`: the object itself is invalid; it alone is left out, as the API
 *   server refuses one bad object and keeps running the ones it accepted;
 * - `dependent`: the object is valid but needs one that was refused (a pod on
 *   a refused node, a node on a refused subnet): it is left out with it.
 */
export type ProblemKind = 'cluster' | 'duplicate' | 'refused' | 'dependent';

/** Something wrong with a scenario, said in the words the real component would use. */
export interface Problem {
  readonly kind: ProblemKind;
  /** an object key (`ids.ts`): `cluster`, `subnet/<name>`, `node/<name>`, `pod/<ns>/<name>`… */
  readonly object: string;
  readonly field?: string;
  readonly text: string;
}

export function stopsBuild(kind: ProblemKind): boolean {
  switch (kind) {
    case 'cluster':
    case 'duplicate':
      return true;
    case 'refused':
    case 'dependent':
      return false;
  }
}
