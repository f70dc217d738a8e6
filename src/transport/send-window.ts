/**
 * The sender's side of the acknowledgement window: how many bytes of which DATA frames are in
 * flight. An ACK carries the count of DATA frames the peer has delivered (cumulative), so it
 * releases every frame with a smaller sequence number.
 */
export class SendWindow {
  /** Bytes of each frame in flight, oldest first, from `head`. */
  private sizes: number[] = [];
  private head = 0;
  /** Sequence number of the next DATA frame. */
  private nextSeq = 0;
  /** DATA frames acknowledged so far (the last ACK's sequence number). */
  private ackedCount = 0;
  private inFlight = 0;

  constructor(readonly windowBytes: number) {}

  /** Whether another frame may be posted now (it may overshoot the window by one frame). */
  get hasRoom(): boolean {
    return this.inFlight < this.windowBytes;
  }

  get bytesInFlight(): number {
    return this.inFlight;
  }

  /** Records a DATA frame of `bytes` (header included) and returns its sequence number. */
  take(bytes: number): number {
    this.sizes.push(bytes);
    this.inFlight += bytes;
    return this.nextSeq++;
  }

  /**
   * Applies an ACK for `count` delivered frames. Returns an error text for an impossible ACK
   * (fewer than before, or more than were sent); the caller closes the channel with it.
   */
  acknowledge(count: number): string | undefined {
    if (count < this.ackedCount) return `ACK went back from ${this.ackedCount} to ${count} messages`;
    if (count > this.nextSeq) return `ACK for ${count} messages but only ${this.nextSeq} were sent`;
    while (this.ackedCount < count) {
      this.inFlight -= this.sizes[this.head++]!;
      this.ackedCount++;
    }
    if (this.head > 1024 && this.head * 2 > this.sizes.length) {
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
    return undefined;
  }
}
