/**
 * QEMU's JSON description of a saved stream ("vmdesc", written after EOF): what
 * scripts/analyze-migration.py reads to decode device sections. `size` is the byte size of
 * one element; `array_len` folds repeated elements; `index` marks one element of an array
 * written out element by element; `struct` nests a description. Only the fields and
 * subsections actually written appear.
 */
export type VmDescType =
  | 'bool'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'int32'
  | 'uint64'
  | 'int64'
  | 'float64'
  | 'buffer'
  | 'unused_buffer'
  | 'struct';

export interface VmDescField {
  name: string;
  index?: number;
  array_len?: number;
  type: VmDescType;
  struct?: VmDescStruct;
  size: number;
}

export interface VmDescStruct {
  vmsd_name: string;
  version: number;
  fields: VmDescField[];
  subsections?: VmDescStruct[];
}

export interface VmDescDevice extends VmDescStruct {
  name: string;
  instance_id: number;
}

export interface VmDesc {
  page_size: number;
  devices: VmDescDevice[];
}
