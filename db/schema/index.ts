export * from './certification';
export * from './chats';
export * from './citizens';
export * from './outbox';
export * from './staff';
export * from './web';
export * from './zalo';
