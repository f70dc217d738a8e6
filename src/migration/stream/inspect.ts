/**
 * A human-readable dump of a stream, like QEMU's scripts/analyze-migration.py: the header,
 * the configuration, RAM sections summarised (pages, zero pages), and every device section's
 * fields decoded through the stream's own JSON description. Never throws on bad input: the
 * dump ends with an `error:` line where it stopped.
 */
import { asciiString, ByteReader, type VmDesc, type VmDescField, type VmDescStruct } from '../../vmstate/index.ts';
import { QEMU_VM_FILE_MAGIC, RAM_FLAGS_MASK, RAM_SECTION_NAME, RamFlag, Section, TARGET_PAGE_SIZE } from './format.ts';
import { utf8Decode } from './utf8.ts';

const MAX_SHOWN_BYTES = 32;
const TWO_32 = 2 ** 32;

class Inspector {
  readonly out: string[] = [];
  private readonly devices = new Map<string, VmDescStruct>();

  constructor(
    readonly r: ByteReader,
    desc: VmDesc | undefined,
  ) {
    for (const d of desc?.devices ?? []) this.devices.set(`${d.name}\u0000${d.instance_id}`, d);
  }

  hex(v: number, bytes: number): string {
    return `0x${v.toString(16).padStart(bytes * 2, '0')}`;
  }

  run(): void {
    const r = this.r;
    const magic = r.u32();
    const version = r.u32();
    this.out.push(`header: magic ${this.hex(magic, 4)}${magic === QEMU_VM_FILE_MAGIC ? ' (QEVM)' : ' (bad)'}, version ${version}`);
    let current = -1;
    for (;;) {
      const at = r.offset;
      const type = r.u8();
      if (type === Section.EOF) {
        this.out.push(`@${at} EOF`);
        break;
      }
      if (type === Section.CONFIGURATION) {
        const len = r.u32();
        this.out.push(`@${at} CONFIGURATION (${len} bytes): ${utf8Decode(r.bytesView(len)) ?? '(not UTF-8)'}`);
      } else if (type === Section.START || type === Section.FULL) {
        current = r.u32();
        const name = asciiString(r.str8()) ?? '?';
        const instance = r.u32();
        const v = r.u32();
        const kind = type === Section.START ? 'START' : 'FULL';
        this.out.push(`@${at} ${kind} section ${current} "${name}" instance ${instance} version ${v}`);
        if (name === RAM_SECTION_NAME && instance === 0) this.ram();
        else {
          const d = this.devices.get(`${name}\u0000${instance}`);
          if (d === undefined) throw new Error(`no JSON description for ${name} instance ${instance}`);
          this.struct(d, '  ');
        }
      } else if (type === Section.PART || type === Section.END) {
        current = r.u32();
        this.out.push(`@${at} ${type === Section.PART ? 'PART' : 'END'} section ${current}`);
        this.ram();
      } else if (type === Section.FOOTER) {
        const id = r.u32();
        if (id !== current) this.out.push(`@${at} footer for section ${id}, expected ${current}`);
      } else throw new Error(`unknown section type ${type} at byte ${at}`);
    }
    const at = r.offset;
    if (r.u8() !== Section.VMDESCRIPTION) throw new Error(`no VMDESCRIPTION after EOF at byte ${at}`);
    const len = r.u32();
    r.skip(len);
    this.out.push(`@${at} VMDESCRIPTION (${len} bytes of JSON)`);
    if (r.remaining > 0) this.out.push(`${r.remaining} trailing bytes`);
  }

  ram(): void {
    const r = this.r;
    let normal = 0;
    let zero = 0;
    for (;;) {
      const [hi, lo] = r.u64Halves();
      const flags = lo & RAM_FLAGS_MASK;
      const addr = hi * TWO_32 + (lo - flags);
      if (flags & RamFlag.MEM_SIZE) {
        this.out.push(`  MEM_SIZE ${this.hex(addr, 8)}`);
        const name = asciiString(r.str8()) ?? '?';
        const [bh, bl] = r.u64Halves();
        this.out.push(`  block "${name}" ${this.hex(bh * TWO_32 + bl, 8)}`);
      }
      if (flags & (RamFlag.ZERO | RamFlag.PAGE)) {
        if (!(flags & RamFlag.CONTINUE)) r.str8();
        if (flags & RamFlag.ZERO) {
          r.u8();
          zero++;
        } else {
          r.skip(TARGET_PAGE_SIZE);
          normal++;
        }
      }
      if (flags & RamFlag.EOS) break;
      if (flags & ~(RamFlag.MEM_SIZE | RamFlag.ZERO | RamFlag.PAGE | RamFlag.CONTINUE))
        throw new Error(`unknown RAM flags 0x${flags.toString(16)}`);
    }
    if (normal + zero > 0) this.out.push(`  ${normal} pages, ${zero} zero pages`);
  }

  struct(d: VmDescStruct, indent: string): void {
    for (const f of d.fields) {
      const n = f.array_len ?? 1;
      for (let i = 0; i < n; i++) {
        const label = f.array_len !== undefined ? `${f.name}[${i}]` : f.index !== undefined ? `${f.name}[${f.index}]` : f.name;
        this.field(f, label, indent);
      }
    }
    for (const s of d.subsections ?? []) {
      const at = this.r.offset;
      if (this.r.u8() !== Section.SUBSECTION) throw new Error(`subsection ${s.vmsd_name} not found at byte ${at}`);
      const name = asciiString(this.r.str8()) ?? '?';
      const v = this.r.u32();
      this.out.push(`${indent}subsection "${name}" version ${v}`);
      this.struct(s, indent + '  ');
    }
  }

  field(f: VmDescField, label: string, indent: string): void {
    const r = this.r;
    if (f.type === 'struct') {
      if (f.struct === undefined) throw new Error(`struct field ${f.name} without a description`);
      this.out.push(`${indent}${label}: struct ${f.struct.vmsd_name} version ${f.struct.version}`);
      this.struct(f.struct, indent + '  ');
      return;
    }
    const bytes = r.bytesView(f.size);
    let text: string;
    if (f.type === 'bool') text = bytes[0] === 0 ? 'false' : 'true';
    else if (/^u?int(8|16|32|64)$/.test(f.type)) {
      let v = 0n;
      for (const b of bytes) v = (v << 8n) | BigInt(b);
      text = `0x${v.toString(16).padStart(f.size * 2, '0')}`;
      if (f.type.startsWith('int') && f.size > 0) {
        const s = BigInt.asIntN(f.size * 8, v);
        if (s < 0n) text += ` (${s})`;
      }
    } else if (f.type === 'float64' && f.size === 8) {
      text = String(new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0));
    } else {
      const shown = Array.from(bytes.subarray(0, MAX_SHOWN_BYTES), (b) => b.toString(16).padStart(2, '0')).join(' ');
      text = bytes.length > MAX_SHOWN_BYTES ? `${shown} ... (${bytes.length} bytes)` : shown;
    }
    this.out.push(`${indent}${label} (${f.type}): ${text}`);
  }
}

/** Locates the JSON description: `0x06, be32 len, JSON` ending exactly at the end of the stream. */
function findVmDesc(bytes: Uint8Array): VmDesc | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = bytes.length - 6; p >= 0; p--) {
    if (bytes[p] !== Section.VMDESCRIPTION || bytes[p + 5] !== 0x7b) continue;
    if (view.getUint32(p + 1) !== bytes.length - p - 5) continue;
    const text = utf8Decode(bytes.subarray(p + 5));
    try {
      return text === undefined ? undefined : (JSON.parse(text) as VmDesc);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function inspectStream(bytes: Uint8Array): string {
  const desc = findVmDesc(bytes);
  const ins = new Inspector(new ByteReader(bytes), desc);
  ins.out.push(`${bytes.length} bytes${desc === undefined ? ', no JSON description found' : ''}`);
  try {
    ins.run();
  } catch (e) {
    ins.out.push(`error: ${e instanceof Error ? e.message : String(e)}`);
  }
  return ins.out.join('\n');
}
