/**
 * The one error type of the state-description layer. Loading state from outside (a snapshot
 * file, another tab) is untrusted input: every refusal is a `VmStateError` naming the device,
 * the field path and the absolute byte offset, so the caller can report it and discard the
 * half-loaded target. A plain JS throw from this layer means a bug (a malformed description,
 * state that breaks its own description on save).
 */
export type VmStateErrorReason =
  /** The input ended inside a field. */
  | 'truncated'
  /** The stream carries a version newer than this build's description. */
  | 'version-too-new'
  /** The stream carries a version older than the description's `minimumVersion`. */
  | 'version-too-old'
  /** A value that no valid save produces (a bool that is not 0/1, a u64n at or above 2^53). */
  | 'bad-value'
  /** A variable-length buffer or array longer than its declared maximum. */
  | 'over-bound'
  /** The end marker after a nested struct is missing. */
  | 'bad-marker'
  /** A subsection this description does not know. */
  | 'unknown-subsection'
  /** The same subsection twice. */
  | 'duplicate-subsection'
  /** The owner's `resize` callback did not produce the requested length. */
  | 'resize-failed'
  /** The description's `postLoad` refused the loaded state. */
  | 'post-load';

export class VmStateError extends Error {
  override readonly name = 'VmStateError';

  constructor(
    readonly reason: VmStateErrorReason,
    /** The description (device) being loaded, e.g. `uart16550`. */
    readonly device: string,
    /** The field path inside it, e.g. `harts[1].pc` or `uart16550/fifo.count`; '' for the whole description. */
    readonly field: string,
    /** Absolute byte offset in the input where the problem was found. */
    readonly offset: number,
    detail: string,
  ) {
    super(`${device}${field ? ` field ${field}` : ''} at byte ${offset}: ${reason}: ${detail}`);
  }
}

/** Thrown by `ByteReader` when a read would pass the end of its input. */
export class EndOfInput extends Error {
  override readonly name = 'EndOfInput';

  constructor(
    readonly offset: number,
    readonly wanted: number,
  ) {
    super(`input ends at byte ${offset}, ${wanted} more byte(s) wanted`);
  }
}
