import { addPolicyText } from '../../../store/policyText';
import { TextDialog } from '../../files/TextDialog';
import { useAppStore } from '../../storeContext';
import '../../styles/policy.css';

const EXAMPLE = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
spec:
  podSelector: {}
  policyTypes:
  - Ingress`;

/**
 * A box to paste NetworkPolicies into (YAML or JSON, one or several documents, a List), as
 * `kubectl apply -f -` takes them. A modal <dialog> like the cluster paste: Escape closes it
 * and the focus goes back; text that holds no policy stays in the box with the reason.
 */
export function PolicyAddDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const store = useAppStore();
  const submit = async (text: string) => {
    const r = await addPolicyText(store, text);
    if (!r.ok) return r.text;
    store.getState().notify({ kind: 'info', text: `NetworkPolicy: ${r.text}` });
    return null;
  };
  return (
    <TextDialog
      open={open}
      onClose={onClose}
      testId="policy-add-dialog"
      title="Add a NetworkPolicy"
      hint={
        <>
          YAML or JSON, as on kubernetes.io or from <code>kubectl get networkpolicy -o yaml</code>;
          several documents add several. One with the namespace and name of a policy already here
          replaces it, as <code>kubectl apply</code> does. Ctrl+Enter adds.
        </>
      }
      label="NetworkPolicy YAML or JSON"
      textTestId="policy-add-text"
      placeholder={EXAMPLE}
      submitTestId="policy-add-submit"
      submitLabel="Add"
      busyLabel="Adding…"
      onSubmit={submit}
    />
  );
}
