// The domain's public API: import from 'common/domain', not from its files.
export * from './model';
export * from './time';
export * from './escalation';
export * from './announcement';
export * from './taskMachine';
export * from './retryPolicy';
export * from './dispositions';
export * from './callingHours';
export * from './callScript';
export * from './callSuggestion';
export * from './legalEffect';
