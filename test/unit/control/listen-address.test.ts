import { describe, expect, it } from 'vitest';
import { parseListenAddress } from '../../../src/control/listen-address.js';

describe('--metrics-listen HOST:PORT', () => {
  it.each([
    ['127.0.0.1:9650', { host: '127.0.0.1', port: 9650 }],
    ['[::1]:9650', { host: '::1', port: 9650 }],
    [':9650', { host: '::', port: 9650 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
  ])('reads %s', (text, expected) => expect(parseListenAddress(text)).toEqual(expected));

  it.each(['9650', '127.0.0.1', '::1:9650', '[10.0.0.1]:80', '1.2.3.4:65536', 'a b:1', '[::1]:', ''])('refuses %j with a typed error', (text) => {
    expect(() => parseListenAddress(text)).toThrow(expect.objectContaining({ code: 'bad-listen-address' }));
  });
});
