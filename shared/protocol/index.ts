export * from './messages';
export * from './persisted';
export * from './rooms';
export * from './http';
export * from './health';
