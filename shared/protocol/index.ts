export * from './messages';
export * from './persisted';
export * from './rooms';
