/**
 * The SharedWorker's job (port-broker.worker.ts), kept free of SharedWorker globals so Node can
 * test it: two tabs ask for the same migration id; the broker makes a fresh MessageChannel and
 * hands one port to each. Then the tabs talk directly, with transfer (REFERENCE: 110–630 MB/s
 * against 80–330 for BroadcastChannel), and the broker is out of the path.
 */
import { isMigrationId } from './migration-id.ts';

export const PORT_REQUEST = 'tabvm-port-request';
export const PORT_GRANT = 'tabvm-port-grant';

/** Tab → broker: "give me the port for migration `id`". */
export interface PortRequest {
  readonly type: typeof PORT_REQUEST;
  readonly id: string;
}

/** Broker → tab: the port for migration `id` (also in the transfer list). */
export interface PortGrant {
  readonly type: typeof PORT_GRANT;
  readonly id: string;
  readonly port: MessagePort;
}

/** A tab's connection to the broker, as the broker sees it. */
export interface BrokerClient {
  postMessage(message: unknown, transfer: Transferable[]): void;
}

/** Requests left waiting for a partner; older ones are dropped past this (tabs that went away). */
export const MAX_WAITING_REQUESTS = 64;

export function isPortRequest(data: unknown): data is PortRequest {
  if (typeof data !== 'object' || data === null) return false;
  const { type, id } = data as Record<string, unknown>;
  return type === PORT_REQUEST && typeof id === 'string' && isMigrationId(id);
}

export function isPortGrant(data: unknown, id: string): data is PortGrant {
  if (typeof data !== 'object' || data === null) return false;
  const grant = data as Record<string, unknown>;
  return grant.type === PORT_GRANT && grant.id === id && grant.port instanceof MessagePort;
}

export class PortBroker {
  /** Migration id → the client waiting for its partner; Map order is arrival order. */
  private readonly waiting = new Map<string, BrokerClient>();

  constructor(private readonly makeChannel: () => { port1: MessagePort; port2: MessagePort } = () => new MessageChannel()) {}

  get waitingCount(): number {
    return this.waiting.size;
  }

  /** Handles one message from `client`; anything that is not a well-formed request is ignored. */
  handle(client: BrokerClient, data: unknown): void {
    if (!isPortRequest(data)) return;
    const partner = this.waiting.get(data.id);
    if (partner === undefined || partner === client) {
      this.waiting.delete(data.id);
      this.waiting.set(data.id, client);
      if (this.waiting.size > MAX_WAITING_REQUESTS) this.waiting.delete(this.waiting.keys().next().value!);
      return;
    }
    this.waiting.delete(data.id);
    const { port1, port2 } = this.makeChannel();
    partner.postMessage({ type: PORT_GRANT, id: data.id, port: port1 } satisfies PortGrant, [port1]);
    client.postMessage({ type: PORT_GRANT, id: data.id, port: port2 } satisfies PortGrant, [port2]);
  }

  /** Drops the requests of a client that went away. */
  forget(client: BrokerClient): void {
    for (const [id, waiting] of this.waiting) if (waiting === client) this.waiting.delete(id);
  }
}
