import { describeChannelInboxContract } from "./channel-inbox-contract.js";
import { describeChannelPairingContract } from "./channel-pairing-contract.js";
import { describeClusterContract } from "./cluster-contract.js";
import { describeDamageContract } from "./damage-contract.js";
import { describeIdempotencyContract } from "./idempotency-contract.js";
import { describeNodePairingContract } from "./node-pairing-contract.js";
import { describeRestartContract } from "./restart-contract.js";
import { describeRunLockContract } from "./run-lock-contract.js";
import type { StorageBackendUnderTest } from "./storage-under-test.js";
import { describeThreadBindingContract } from "./thread-binding-contract.js";
import { describeTranscriptContract } from "./transcript-contract.js";
import { describeUsageContract } from "./usage-contract.js";

export { type StorageFixture, useStorage } from "./storage-fixture.js";
export {
  type DamageKind,
  type StorageBackendUnderTest,
  type StorageDamage,
  type StoragePlace,
  TestClock,
  transcriptEntry,
  usageEntry,
} from "./storage-under-test.js";
export {
  describeChannelInboxContract,
  describeChannelPairingContract,
  describeClusterContract,
  describeDamageContract,
  describeIdempotencyContract,
  describeNodePairingContract,
  describeRestartContract,
  describeRunLockContract,
  describeThreadBindingContract,
  describeTranscriptContract,
  describeUsageContract,
};

/** Everything a storage backend must do: run it from the backend's own test file. */
export function describeStorageContract(backend: StorageBackendUnderTest): void {
  describeTranscriptContract(backend);
  describeUsageContract(backend);
  describeNodePairingContract(backend);
  describeRunLockContract(backend);
  describeIdempotencyContract(backend);
  describeChannelInboxContract(backend);
  describeChannelPairingContract(backend);
  describeThreadBindingContract(backend);
  describeClusterContract(backend);
  describeRestartContract(backend);
  describeDamageContract(backend);
}
