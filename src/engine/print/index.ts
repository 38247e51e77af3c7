export { printAddr, printAddrBrief, printLink, printLinkBrief } from './addr';
export { fdbLine, printFdb } from './fdb';
export { printNeigh } from './neigh';
export { kernelRouteOrder, printRoutes } from './route';
export { printRouteGet, type RouteGetOptions } from './routeGet';
export {
  interfaceCapture,
  tcpdumpBrief,
  tcpdumpIpVerbose,
  tcpdumpVerbose,
  underlayCapture,
} from './tcpdump';
export { printTraceroute, tracerouteHopLines } from './traceroute';
export * from './diff';
export { printIptables } from './iptables';
export { clientErrors } from './clients';
export {
  podColumns,
  printEvents,
  printEndpoints,
  printPodsWide,
  printServices,
  type PodColumns,
} from './kubectl';
export { printLocalTable } from './localTable';
export { fragmentNote } from './fragment';
