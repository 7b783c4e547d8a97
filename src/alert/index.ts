export * from './alerts.js';
export * from './webhook.js';
