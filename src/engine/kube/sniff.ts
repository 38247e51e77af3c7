/**
 * Whether a picked file is Kubernetes objects (kubectl output or manifests) rather than a
 * podhop scenario: YAML, or JSON whose top carries apiVersion and kind but no scenario
 * version. Pasted text has no file name: what does not open like JSON (`{`) is YAML, as
 * `kubectl get … -o yaml` prints it (a podhop scenario is always JSON). Small and
 * dependency-free: the eager bundle asks it before loading the reader.
 */
export function isKubernetesText(text: string, fileName?: string): boolean {
  if (fileName !== undefined && /\.ya?ml$/i.test(fileName)) return true;
  const head = text.slice(0, 4096);
  if (fileName === undefined && !/^\uFEFF?\s*[[{]/.test(head)) return true;
  return (
    /"apiVersion"\s*:/.test(head) && /"kind"\s*:/.test(head) && !/"version"\s*:\s*\d/.test(head)
  );
}
