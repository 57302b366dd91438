// The analysis core's public surface, used by the LSP server, the CLI and tests.
export { analyzePath, frontEndFor, isSupportedPath } from './analyze';
export { fixAll, fixAllEdits, fixAllUnits, findingIdentity } from './fixAll';
export type { FixAllOptions, FixAllOutcome } from './fixAll';
export { hoverMarkdown } from './hover';
export { diskHost, overlayHost } from './host';
export type { CallerJudgement, CallerMove } from './deployments';
export { DeploymentIndex, calledFiles, callSite, callerJudgement, disagreements, disagreementsOf, discoverCalls, judgedByRoots, markJudgedIn, mayCallModules, movedFindings, oneFindingPerPlace, placeDisagreements } from './deployments';
export { collectFiles } from './walk';
export { loadConfig, parseConfig, isExcluded, effectiveRules, configFindings } from '../config/config';
export { ruleCatalogue } from '../rules/index';
export type * from './types';
