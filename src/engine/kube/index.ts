/**
 * Kubernetes objects in, YAML out. Loaded on demand (dynamic import) by the UI so the yaml
 * package stays out of the first paint; deliberately not re-exported from ../index.ts.
 */
export { KUBE_LIMITS, type KubeError, type KubeLimits } from './errors';
export { parseKubeText } from './parse';
export { importKube, type KubeImport } from './import';
export { scenarioToKubeYaml, scenarioFromKubeText, type ExportableScenario } from './export';
export { KUBE_DOCUMENT_VERSION, type ScenarioDocument } from './document';
export { POSITION_ANNOTATION } from './position';
export { PODHOP_API_VERSION, PODHOP_CLUSTER_KIND } from './podhopCluster';
