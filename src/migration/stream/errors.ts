/**
 * The loader's refusal: which section, which field, which byte. `cause` carries the
 * `VmStateError` when a device section's state was refused.
 */
import type { VmStateError } from '../../vmstate/index.ts';

export type StreamErrorReason =
  | 'truncated'
  | 'bad-magic'
  | 'bad-version'
  | 'bad-configuration'
  /** The host refused the configuration (it cannot build that machine). */
  | 'refused'
  | 'bad-section-type'
  | 'bad-section-order'
  | 'bad-footer'
  | 'unknown-section'
  | 'duplicate-section'
  | 'missing-section'
  | 'version-too-new'
  | 'ram-size'
  | 'ram-block'
  | 'ram-flags'
  | 'ram-offset'
  | 'ram-page-missing'
  /** A device section's state was refused; `cause` is the VmStateError. */
  | 'device-state'
  | 'integrity'
  | 'too-large'
  | 'trailing-bytes'
  | 'bad-vmdesc';

export class StreamError extends Error {
  override readonly name = 'StreamError';

  constructor(
    readonly reason: StreamErrorReason,
    /** Section name ("ram", "uart16550", "configuration", "header", ...). */
    readonly section: string,
    /** Field path inside the section, or ''. */
    readonly field: string,
    /** Absolute byte offset in the stream. */
    readonly offset: number,
    detail: string,
    override readonly cause?: VmStateError,
  ) {
    super(`${section}${field ? ` field ${field}` : ''} at byte ${offset}: ${reason}: ${detail}`);
  }
}
