export * from '../../../src/lab/prober.js';
