/**
 * Device state: the board's memory map (the same table the bus and device tree use), UART
 * registers and FIFO levels, PLIC pending/enabled/claimed, CLINT timer, virtio transports and
 * their queues, and the disk's I/O counters.
 */
import { formatBytes, hexAddr, hexByte } from '../format.ts';
import type { MachineView, VmSnapshotView } from '../../worker/inspect-types.ts';

const list = (ids: number[]) => (ids.length ? ids.join(', ') : '—');

function KV({ k, v, testId }: { k: string; v: string | number; testId?: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd data-testid={testId}>{v}</dd>
    </>
  );
}

function MemoryMap({ m }: { m: MachineView }) {
  return (
    <table className="map">
      <thead>
        <tr>
          <th>device</th>
          <th>base</th>
          <th>size</th>
          <th>irq</th>
        </tr>
      </thead>
      <tbody>
        {m.map.map((e) => (
          <tr key={e.name}>
            <td>{e.name}</td>
            <td>
              <code>{hexAddr(e.base)}</code>
            </td>
            <td>{formatBytes(e.size)}</td>
            <td>{e.irq ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DevicesPanel({ snap }: { snap: VmSnapshotView | undefined }) {
  const m = snap?.machine;
  if (!m) {
    return (
      <details className="panel" open>
        <summary>Devices</summary>
        <p className="empty">No machine yet.</p>
      </details>
    );
  }
  const { uart, plic, clint, disk } = m;
  return (
    <details className="panel" open>
      <summary>Devices</summary>
      <h3>UART 16550A @ {hexAddr(uart.base)} · irq {uart.irq}</h3>
      <dl className="kv">
        <KV k="IER" v={hexByte(uart.ier)} />
        <KV k="IIR" v={hexByte(uart.iir)} />
        <KV k="FCR" v={hexByte(uart.fcr)} />
        <KV k="LCR" v={hexByte(uart.lcr)} />
        <KV k="MCR" v={hexByte(uart.mcr)} />
        <KV k="LSR" v={hexByte(uart.lsr)} />
        <KV k="MSR" v={hexByte(uart.msr)} />
        <KV k="SCR" v={hexByte(uart.scr)} />
        <KV k="divisor" v={uart.divisor} />
        <KV k="RX FIFO" v={`${uart.rxFifoLevel} / ${uart.rxFifoSize}`} testId="uart-rx" />
        <KV k="host queue" v={uart.hostInputQueued} />
      </dl>
      <h3>PLIC @ {hexAddr(plic.base)}</h3>
      <dl className="kv">
        <KV k="pending" v={list(plic.pending)} />
        <KV k="claimed" v={list(plic.claimed)} />
        <KV k="asserted" v={list(plic.asserted)} />
        {plic.contexts.map((c) => (
          <KV key={c.name} k={c.name} v={`enabled ${list(c.enabled)} · threshold ${c.threshold}${c.irq ? ' · IRQ' : ''}`} />
        ))}
      </dl>
      <h3>CLINT @ {hexAddr(clint.base)}</h3>
      <dl className="kv">
        <KV k="mtime" v={clint.mtime} testId="mtime" />
        {clint.mtimecmp.map((c, h) => (
          <KV key={h} k={`mtimecmp[${h}]`} v={c} />
        ))}
        <KV k="msip" v={clint.msip.join(' ')} />
        <KV k="guest time" v={`${(m.guestTimeMs / 1000).toFixed(2)} s`} />
      </dl>
      <h3>virtio-mmio</h3>
      {m.virtio
        .filter((v) => v.deviceId !== 0)
        .map((v) => (
          <div key={v.name} className="virtio">
            <div>
              <strong>{v.name}</strong> {v.device} @ {hexAddr(v.base)} · irq {v.irq}
            </div>
            <div className="status-bits">status {hexByte(v.status)} {v.statusBits.join(' | ') || '(reset)'}</div>
            <table className="queues">
              <thead>
                <tr>
                  <th>queue</th>
                  <th>size</th>
                  <th>ready</th>
                  <th>avail idx</th>
                  <th>used idx</th>
                </tr>
              </thead>
              <tbody>
                {v.queues.map((q) => (
                  <tr key={q.index}>
                    <td>{q.index}</td>
                    <td>{q.size}</td>
                    <td>{q.ready ? 'yes' : 'no'}</td>
                    <td>{q.lastAvailIdx}</td>
                    <td>{q.usedIdx}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {disk && (
        <>
          <h3>Disk (virtio-blk)</h3>
          <dl className="kv" data-testid="disk">
            <KV k="reads" v={`${disk.reads} (${formatBytes(disk.bytesRead)})`} />
            <KV k="writes" v={`${disk.writes} (${formatBytes(disk.bytesWritten)})`} />
            <KV k="flushes" v={disk.flushes} />
            <KV k="errors" v={disk.errors} />
          </dl>
        </>
      )}
      <h3>Memory map</h3>
      <MemoryMap m={m} />
    </details>
  );
}
