/**
 * The SharedWorker script that pairs tabs for a migration (see port-broker.ts). Every tab of
 * the origin that calls `requestMigrationPort` connects to this one worker instance.
 */
import { PortBroker } from './port-broker.ts';

const scope = self as unknown as SharedWorkerGlobalScope;
const broker = new PortBroker();

scope.onconnect = (event: MessageEvent) => {
  const port = event.ports[0];
  if (port === undefined) return;
  port.onmessage = (message: MessageEvent) => broker.handle(port, message.data);
  // Browsers that fire `close` on a port whose tab went away let the broker forget it early.
  port.addEventListener('close', () => broker.forget(port));
};
