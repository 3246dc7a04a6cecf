/** `[192.0.2.1]:25`: keepalived's inet_sockaddrtopair(), how its checker messages name a server. */
export function addressPair(ip: string, port: number): string {
  return `[${ip}]:${port}`;
}
