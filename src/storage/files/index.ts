export { PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH } from "../channel-pairing-code.js";
export { CHANNELS_DATABASE_PATH, ChannelDatabase, type ChannelDatabaseOptions } from "./channel-database.js";
export { SqliteChannelInboxStore } from "./channel-inbox-sqlite.js";
export { SqliteChannelPairingStore } from "./channel-pairing-sqlite.js";
export { FileNodePairingStore, type FileNodePairingStoreOptions } from "./file-node-pairing-store.js";
export { createFileStorage, type FileStorageOptions } from "./file-storage.js";
export {
  FileTranscriptRepository,
  type FileTranscriptRepositoryOptions,
} from "./file-transcript-repository.js";
export { FileUsageRepository, type FileUsageRepositoryOptions } from "./file-usage-repository.js";
export { NODES_FILE_NAME } from "./nodes-file.js";
export { sessionFileName } from "./transcript-file-names.js";
