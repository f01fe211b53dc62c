export type ChannelLogLevel = "debug" | "info" | "warn" | "error";

/** Where a channel account logs; `details` are structured fields, and never carry a secret. */
export type ChannelLog = (level: ChannelLogLevel, message: string, details?: Record<string, unknown>) => void;
