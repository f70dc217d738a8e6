/**
 * The SharedWorker port broker, driven over Node's MessageChannel (the same API as the
 * browser's): two "tabs" asking for the same id get entangled ports and can migrate over them.
 */
import { describe, expect, it } from 'vitest';
import { channelFromPort } from './message-port.ts';
import { newMigrationId } from './migration-id.ts';
import { MAX_WAITING_REQUESTS, PORT_REQUEST, PortBroker } from './port-broker.ts';
import { requestPortFrom } from './shared-worker.ts';
import { until } from './testing/raw-peer.ts';

/** A tab's connection to the broker: `tab` is the tab's end, the broker listens on the other. */
function connect(broker: PortBroker): MessagePort {
  const { port1: tab, port2: brokerSide } = new MessageChannel();
  brokerSide.onmessage = (event) => broker.handle(brokerSide, event.data);
  return tab;
}

describe('port broker', () => {
  it('hands entangled ports to two tabs asking for the same id, and a migration runs over them', async () => {
    const broker = new PortBroker();
    const [tabA, tabB, tabC] = [connect(broker), connect(broker), connect(broker)];
    const id = newMigrationId();
    const otherId = newMigrationId();
    const third = requestPortFrom(tabC, otherId, 300);
    const [portA, portB] = await Promise.all([requestPortFrom(tabA, id), requestPortFrom(tabB, id)]);
    const [a, b] = [channelFromPort(portA, id), channelFromPort(portB, id)];
    const got: number[] = [];
    b.onMessage((m) => got.push(m.byteLength));
    await a.send(new Uint8Array(1 << 20));
    await a.send(new Uint8Array(5));
    await until(() => got.length === 2);
    expect(got).toEqual([1 << 20, 5]);
    // The third tab on another id is left waiting, then times out.
    await expect(third).rejects.toThrow(`no other tab asked for migration ${otherId} within 300 ms`);
    expect(broker.waitingCount).toBe(1);
    a.close();
    b.close();
    for (const tab of [tabA, tabB, tabC]) tab.close();
  });

  it('ignores malformed requests and a repeated request from the same tab', () => {
    const granted: unknown[] = [];
    const client = { postMessage: (m: unknown) => granted.push(m) };
    const broker = new PortBroker();
    for (const junk of [null, 'x', { type: PORT_REQUEST }, { type: PORT_REQUEST, id: 'not-hex' }, { type: 'other', id: newMigrationId() }]) {
      broker.handle(client, junk);
    }
    expect(broker.waitingCount).toBe(0);
    const id = newMigrationId();
    broker.handle(client, { type: PORT_REQUEST, id });
    broker.handle(client, { type: PORT_REQUEST, id });
    expect(granted).toEqual([]);
    expect(broker.waitingCount).toBe(1);
    broker.forget(client);
    expect(broker.waitingCount).toBe(0);
  });

  it('drops the oldest waiting requests past the limit', () => {
    const broker = new PortBroker();
    const client = { postMessage: () => {} };
    const ids = Array.from({ length: MAX_WAITING_REQUESTS + 3 }, () => newMigrationId());
    for (const id of ids) broker.handle(client, { type: PORT_REQUEST, id });
    expect(broker.waitingCount).toBe(MAX_WAITING_REQUESTS);
    const granted: unknown[] = [];
    // The first id was dropped: a partner asking for it now waits instead of being paired.
    broker.handle({ postMessage: (m: unknown) => granted.push(m) }, { type: PORT_REQUEST, id: ids[0]! });
    expect(granted).toEqual([]);
    broker.handle({ postMessage: (m: unknown) => granted.push(m) }, { type: PORT_REQUEST, id: ids.at(-1)! });
    expect(granted).toHaveLength(1);
  });
});
