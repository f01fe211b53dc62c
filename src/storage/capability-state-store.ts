/**
 * What capability tokens (canvas / A2UI URLs) need to be checked on any gateway of a cluster:
 * one signing key shared by all, and the revocations. A revocation says "every token for this
 * node (or session) issued at or before `issuedUpTo` is void"; it is kept until `keepUntil` (by
 * then every token it could void has expired anyway).
 */
export interface CapabilityRevocation {
  readonly scope: "node" | "session";
  readonly id: string;
  /** Epoch ms: tokens issued at or before it are refused. */
  readonly issuedUpTo: number;
  /** Epoch ms after which the record may be forgotten. */
  readonly keepUntil: number;
}

export interface CapabilityStateStore {
  /**
   * The cluster's signing key (32 random bytes), created by the first gateway that asks: every
   * other gets the same bytes. Never logged, never sent to agents.
   */
  signingKey(): Promise<Buffer>;
  /** Records a revocation; a later one for the same scope and id replaces an earlier. */
  revoke(revocation: CapabilityRevocation): Promise<void>;
  /** The revocations not yet forgotten (a gateway loads them at start, then follows events). */
  revocations(): Promise<CapabilityRevocation[]>;
}
