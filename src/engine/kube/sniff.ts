/**
 * Whether a picked file is Kubernetes objects (kubectl output or manifests) rather than a
 * podhop scenario: YAML, or JSON whose top carries apiVersion and kind but no scenario
 * version. Small and dependency-free: the eager bundle asks it before loading the reader.
 */
export function isKubernetesText(text: string, fileName: string): boolean {
  if (/\.ya?ml$/i.test(fileName)) return true;
  const head = text.slice(0, 4096);
  return (
    /"apiVersion"\s*:/.test(head) && /"kind"\s*:/.test(head) && !/"version"\s*:\s*\d/.test(head)
  );
}
