/**
 * A lease on one key (a session) held by one runner at a time, with an expiry so that a holder
 * that dies (a gateway killed mid-turn) cannot keep it for ever. The shape follows Vercel Chat
 * SDK's StateAdapter locks: acquiring does not wait, it answers null when the key is held.
 *
 * Expiry is judged by the lock's clock (a store shared by several gateways uses one clock for
 * all of them), so a holder should extend well before `expiresAt` rather than at it.
 */
export interface RunLease {
  readonly key: string;
  /** Proves ownership to release and extend: another holder's token never matches. */
  readonly token: string;
  /** Epoch milliseconds after which the lease is void unless extended. */
  readonly expiresAt: number;
}

export interface RunLock {
  /** Takes the key for `ttlMs`, or answers null when someone else holds it (and it is unexpired). */
  acquire(key: string, ttlMs: number): Promise<RunLease | null>;
  /**
   * Pushes the expiry to now + `ttlMs`; false when the lease was lost (expired and taken, or
   * released). A lease that expired but that nobody took since is still its holder's.
   */
  extend(lease: RunLease, ttlMs: number): Promise<boolean>;
  /** Gives the key back; releasing a lost lease is a no-op (it never frees another's lease). */
  release(lease: RunLease): Promise<void>;
}
