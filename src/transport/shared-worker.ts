/**
 * Getting a MessagePort to the other tab through the port-broker SharedWorker. Call this in a
 * window (dedicated workers have no SharedWorker constructor), then transfer the port into the
 * VM's worker and wrap it there with `channelFromPort`. Where SharedWorker is missing (Android
 * Chrome, some embedded views) the UI uses `openBroadcastChannel` instead.
 */
import { PORT_REQUEST, isPortGrant } from './port-broker.ts';
import type { PortRequest } from './port-broker.ts';

export function sharedWorkerAvailable(): boolean {
  return typeof SharedWorker !== 'undefined';
}

/** How long to wait for the other tab to ask for the same id (default 10 s). */
export const DEFAULT_PAIRING_TIMEOUT_MS = 10_000;

let broker: SharedWorker | undefined;

/**
 * This page's one connection to the broker, opened on first use and kept: a SharedWorker
 * lives while some page holds a connection to it, so closing it after each request made every
 * migration start the broker's script afresh (inside the migration's setup time).
 */
export function connectPortBroker(): void {
  if (!sharedWorkerAvailable()) return;
  broker ??= new SharedWorker(new URL('./port-broker.worker.ts', import.meta.url), { type: 'module', name: 'tabvm-port-broker' });
}

/** Asks the port broker for migration `id`'s port; resolves once the other tab has asked too. */
export function requestMigrationPort(id: string, timeoutMs = DEFAULT_PAIRING_TIMEOUT_MS): Promise<MessagePort> {
  if (!sharedWorkerAvailable()) return Promise.reject(new Error('SharedWorker is not available here'));
  connectPortBroker();
  return requestPortFrom(broker!.port, id, timeoutMs);
}

/** What `requestPortFrom` needs of the connection to the broker. */
export interface BrokerConnection {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  start(): void;
}

/** The request/grant exchange over an open connection to a broker (testable with any port). */
export function requestPortFrom(broker: BrokerConnection, id: string, timeoutMs = DEFAULT_PAIRING_TIMEOUT_MS): Promise<MessagePort> {
  return new Promise((resolve, reject) => {
    const onMessage = (event: MessageEvent) => {
      if (!isPortGrant(event.data, id)) return;
      done();
      resolve(event.data.port);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no other tab asked for migration ${id} within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      broker.removeEventListener('message', onMessage);
    };
    broker.addEventListener('message', onMessage);
    broker.start();
    broker.postMessage({ type: PORT_REQUEST, id } satisfies PortRequest);
  });
}
