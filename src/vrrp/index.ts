export type { VrrpAction } from './actions.js';
export { compareAddresses } from './address-order.js';
export type { Advert, SyncCommand, TimerName, VrrpEvent, VrrpState } from './events.js';
export { explain, renderExplanation, type Explanation } from './explain.js';
export { HANDOVER_GRACE_MS, handoverBoundMs } from './handover.js';
export { STANDALONE, step, type StepContext, type StepResult } from './fsm.js';
export {
  DEFAULT_PRIORITY,
  OWNER_PRIORITY,
  instanceConfig,
  resolveInstanceConfig,
  type InstanceConfig,
  type InstanceConfigInput,
  type InstanceEndpoint,
  type NotifyScripts,
  type ResolvedInstanceConfig,
  type TrackerConfig,
  type VrrpVersion,
} from './instance-config.js';
export { createInstance, masterDownIntervalOf, ownFaults, priorityOf, skewOf, type Handover, type HeardMaster, type Instance, type PreemptDelayPhase, type StateReason } from './instance.js';
export {
  createNode,
  groupOf,
  nodeAdvance,
  nodeBroadcast,
  nodeReconfigure,
  nodeStep,
  nodeStopped,
  type NodeStepResult,
  type ReconfigureEvent,
  type SyncGroup,
  type SyncGroupConfig,
  type VrrpNode,
} from './node.js';
export { STOP_SCRIPT_TIMEOUT_MS, fifoLine, stateNotifies, type FifoEvent, type NotifyScope } from './notify.js';
export { masterDownIntervalMs, skewTimeMs } from './timing.js';
export { computePriority, scriptCounter, scriptIsUp, scriptResult, type PriorityComputation, type PriorityTerm, type ScriptCounter, type ScriptStep, type TrackerStatus } from './tracking.js';
export { changedFields, matchInstances, planVrrpReload, sameRouter, type InstanceChange, type InstanceMatch, type InstanceMatches, type VrrpReloadPlan } from './reload-match.js';
