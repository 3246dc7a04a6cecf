// raw-socket 1.8.1 ships no typings; this covers the part src/linux uses.
declare module 'raw-socket' {
  import { EventEmitter } from 'node:events';

  export const AddressFamily: { readonly IPv4: 1; readonly IPv6: 2 };

  export interface SocketOptions {
    protocol?: number;
    addressFamily?: 1 | 2;
    bufferSize?: number;
  }

  export interface Socket extends EventEmitter {
    on(event: 'message', listener: (buffer: Buffer, source: string) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'close', listener: () => void): this;
    send(buffer: Buffer, offset: number, length: number, address: string, afterCallback: (error: Error | null, bytes: number) => void): this;
    setOption(level: number, option: number, value: number): void;
    setOption(level: number, option: number, value: Buffer, length: number): void;
    close(): this;
  }

  export function createSocket(options: SocketOptions): Socket;
}
