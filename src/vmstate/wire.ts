/**
 * Bytes of the state encoding that are not field data. The subsection marker is QEMU's
 * (`QEMU_VM_SUBSECTION`, migration/savevm.c); the struct end marker is ours: after every
 * nested struct (after its subsections) so the loader never mistakes the struct's last data
 * byte, or the parent's next field, for the start of a subsection. The JSON description
 * declares it as a `uint8` field named "<struct>/end" so analyze-migration.py reads it.
 */
export const VM_SUBSECTION = 0x05;
export const STRUCT_END_MARKER = 0x7f;
/** Name suffix of the JSON field that declares the struct end marker. */
export const STRUCT_END_SUFFIX = '/end';
/** Name suffix of the JSON field that carries the length of a variable-length field. */
export const LENGTH_SUFFIX = '/len';
