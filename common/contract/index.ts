export * from './desk';
export * from './result';
export * from './client';
export * from './wire';
export * from './refusals';
export * from './phone';
export * from './sync';
export * from './proof';
