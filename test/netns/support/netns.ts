export * from '../../../src/lab/lan.js';
