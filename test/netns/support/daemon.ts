export * from '../../../src/lab/director.js';
