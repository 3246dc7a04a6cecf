export * from '../../../src/lab/node-in-ns.js';
