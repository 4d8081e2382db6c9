import type { MtcnnServer } from './server.js';

export interface ListenOptions {
  port?: number;
  host?: string;
  /** Signals that stop the server gracefully; default SIGTERM and SIGINT. */
  signals?: NodeJS.Signals[];
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`--port must be a whole number from 0 to 65535, got ${port}.`);
  return port;
}

/**
 * Listen, then run until one of `signals`: stop accepting, finish the requests in flight, stop the
 * workers, resolve (the process can then exit 0). `onListening` gets the address (port 0 picks a
 * free port).
 */
export async function serveUntilSignal(
  server: MtcnnServer,
  o: ListenOptions = {},
  onListening?: (address: string) => void,
): Promise<NodeJS.Signals> {
  const signals = o.signals ?? ['SIGTERM', 'SIGINT'];
  let stop: (signal: NodeJS.Signals) => void = () => {};
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    stop = (signal) => {
      for (const s of signals) process.off(s, stop);
      server.app.log.info({ signal }, 'stopping: no new connections; finishing the requests in flight');
      server.close().then(
        () => resolve(signal),
        (e: unknown) => {
          server.app.log.error(e);
          resolve(signal);
        },
      );
    };
  });
  for (const s of signals) process.once(s, stop); // from now on a signal stops us gracefully
  try {
    const address = await server.app.listen({ port: checkPort(o.port ?? 8080), host: o.host ?? '127.0.0.1' });
    onListening?.(address);
  } catch (e) {
    for (const s of signals) process.off(s, stop);
    await server.close();
    throw e;
  }
  return stopped;
}
