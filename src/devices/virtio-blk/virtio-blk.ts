/**
 * virtio-blk (Virtio 1.2, 5.2): one request queue; IN, OUT, FLUSH and GET_ID over a
 * `BlockBackend` whose completions may arrive synchronously or later. A request is
 * header (16 readable bytes) + data + status byte (the last writable byte); with
 * VIRTIO_F_VERSION_1 the split across descriptors is arbitrary (2.7.4.3), so the device
 * reads and writes the chain as a byte stream.
 */
import type { AccessSize } from '../../core/bus/mmio.ts';
import { readConfigBytes, type VirtioDevice, type VirtioHost, type VirtioRequest } from '../virtio/device.ts';
import { featureBit, VirtioDeviceId } from '../virtio/regs.ts';
import { gather, scatter } from '../virtio/virtqueue.ts';
import type { BlockBackend } from './backend.ts';
import {
  BLK_MAX_REQUEST_BYTES,
  BLK_QUEUE_SIZE,
  BLK_SEG_MAX,
  BLK_SIZE_MAX,
  BlkConfig,
  BlkFeature,
  BlkReqHeader,
  BlkReqType,
  BlkStatus,
  SECTOR_SIZE,
  VIRTIO_BLK_ID_BYTES,
} from './regs.ts';
import type { VirtioBlkState } from './state.ts';

const REQUEST_QUEUE = 0;

export interface VirtioBlkOptions {
  /** Answer to GET_ID (ASCII, truncated to 20 bytes); Linux shows it as /sys/block/vda/serial. */
  readonly serial?: string;
}

export class VirtioBlk implements VirtioDevice {
  readonly deviceId = VirtioDeviceId.Block;
  readonly queueCount = 1;
  readonly queueSizeMax = BLK_QUEUE_SIZE;
  readonly features: bigint;
  /** Capacity in 512-byte sectors. */
  readonly capacity: number;
  private readonly config = new Uint8Array(BlkConfig.Size);
  private readonly serial = new Uint8Array(VIRTIO_BLK_ID_BYTES);
  private host!: VirtioHost;
  private pending = 0;

  constructor(
    readonly state: VirtioBlkState,
    private readonly backend: BlockBackend,
    options: VirtioBlkOptions = {},
  ) {
    this.capacity = Math.floor(backend.sizeBytes / SECTOR_SIZE);
    let f = featureBit(BlkFeature.SizeMax) | featureBit(BlkFeature.SegMax) | featureBit(BlkFeature.Flush);
    if (backend.readOnly) f |= featureBit(BlkFeature.Ro);
    this.features = f;
    const dv = new DataView(this.config.buffer);
    dv.setBigUint64(BlkConfig.Capacity, BigInt(this.capacity), true);
    dv.setUint32(BlkConfig.SizeMax, BLK_SIZE_MAX, true);
    dv.setUint32(BlkConfig.SegMax, BLK_SEG_MAX, true);
    const id = options.serial ?? '';
    for (let i = 0; i < Math.min(id.length, VIRTIO_BLK_ID_BYTES); i++) this.serial[i] = id.charCodeAt(i) & 0x7f;
  }

  /** Backend operations started and not yet completed (migration drains this to 0 first). */
  inFlight(): number {
    return this.pending;
  }

  attach(host: VirtioHost): void {
    this.host = host;
  }

  readConfig(offset: number, size: AccessSize): number {
    return readConfigBytes(this.config, offset, size);
  }

  writeConfig(): void {} // nothing writable without CONFIG_WCE

  reset(): void {} // completions of old requests are dropped by the transport

  notify(q: number): void {
    if (q !== REQUEST_QUEUE) return;
    for (let req = this.host.pop(q); req; req = this.host.pop(q)) this.handle(req);
  }

  private handle(req: VirtioRequest): void {
    const mem = this.host.mem;
    if (req.readableBytes < BlkReqHeader.Size || req.writableBytes < 1) {
      this.host.fail('virtio-blk request without header or status byte');
      return;
    }
    const hdr = new Uint8Array(BlkReqHeader.Size);
    gather(mem, req.readable, 0, hdr);
    const dv = new DataView(hdr.buffer);
    const type = dv.getUint32(BlkReqHeader.Type, true);
    const sector = dv.getUint32(BlkReqHeader.Sector + 4, true) * 0x1_0000_0000 + dv.getUint32(BlkReqHeader.Sector, true);
    const inLen = req.writableBytes - 1;
    const outLen = req.readableBytes - BlkReqHeader.Size;
    switch (type) {
      case BlkReqType.In: {
        if (!this.inRange(sector, inLen)) return this.complete(req, BlkStatus.IoErr, 0);
        const buf = new Uint8Array(inLen);
        this.start();
        this.backend.read(sector * SECTOR_SIZE, buf, (ok) => {
          this.pending--;
          if (!this.host.current(req)) return;
          if (!ok) return this.complete(req, BlkStatus.IoErr, 0);
          scatter(mem, req.writable, 0, buf);
          this.state.reads++;
          this.state.bytesRead += inLen;
          this.complete(req, BlkStatus.Ok, inLen);
        });
        return;
      }
      case BlkReqType.Out: {
        if (this.backend.readOnly || !this.inRange(sector, outLen)) return this.complete(req, BlkStatus.IoErr, 0);
        const buf = new Uint8Array(outLen);
        gather(mem, req.readable, BlkReqHeader.Size, buf);
        this.start();
        this.backend.write(sector * SECTOR_SIZE, buf, (ok) => {
          this.pending--;
          if (!this.host.current(req)) return;
          if (!ok) return this.complete(req, BlkStatus.IoErr, 0);
          this.state.writes++;
          this.state.bytesWritten += outLen;
          this.complete(req, BlkStatus.Ok, 0);
        });
        return;
      }
      case BlkReqType.Flush:
        this.start();
        this.backend.flush((ok) => {
          this.pending--;
          if (!this.host.current(req)) return;
          if (ok) this.state.flushes++;
          this.complete(req, ok ? BlkStatus.Ok : BlkStatus.IoErr, 0);
        });
        return;
      case BlkReqType.GetId: {
        const n = scatter(mem, req.writable, 0, this.serial.subarray(0, Math.min(VIRTIO_BLK_ID_BYTES, inLen)));
        return this.complete(req, BlkStatus.Ok, n);
      }
      default:
        return this.complete(req, BlkStatus.Unsupp, 0);
    }
  }

  /** A transfer of `len` bytes at `sector`: whole sectors, bounded, inside the disk. */
  private inRange(sector: number, len: number): boolean {
    return len % SECTOR_SIZE === 0 && len <= BLK_MAX_REQUEST_BYTES && sector + len / SECTOR_SIZE <= this.capacity;
  }

  private start(): void {
    this.pending++;
  }

  /** Writes the status byte (the chain's last writable byte) and returns the chain. */
  private complete(req: VirtioRequest, status: BlkStatus, dataBytes: number): void {
    if (status !== BlkStatus.Ok) this.state.errors++;
    scatter(this.host.mem, req.writable, req.writableBytes - 1, Uint8Array.of(status));
    this.host.push(req, dataBytes + 1);
  }
}
