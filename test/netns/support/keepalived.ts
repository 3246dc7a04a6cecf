export * from '../../../src/lab/keepalived-peer.js';
