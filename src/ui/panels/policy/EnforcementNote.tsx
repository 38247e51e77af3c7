import { useApp } from '../../storeContext';

/** Who enforces the policies on this cluster, in one line: flannel stores them and enforces none. */
export function EnforcementNote({ grid = false }: { grid?: boolean }) {
  const enforcer = useApp((s) => s.scenario.cluster.networkPolicy ?? 'none');
  const cni = useApp((s) => (s.scenario.cluster.datapath === 'gateway' ? 'kubenet' : 'flannel'));
  return enforcer === 'none' ? (
    <p className="policy-enforcement" data-testid="policy-not-enforced">
      {cni} stores NetworkPolicies but enforces none: every packet in fact passes
      {grid
        ? ' (the grid shows what the policies say).'
        : '. What the policies say is shown here, in the matrix and on the delivery hop.'}
    </p>
  ) : (
    <p className="policy-enforcement" data-enforced="true">
      Calico&apos;s Felix enforces NetworkPolicy on this cluster.
    </p>
  );
}
