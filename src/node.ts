/**
 * `tessera/node`: Node-only helpers (files, Node streams). Everything else is in `tessera`.
 *
 * @packageDocumentation
 */
export * from './node/index.js';
