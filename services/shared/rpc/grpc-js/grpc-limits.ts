/**
 * Largest message either side of the internal hop accepts. grpc-js's default receive limit
 * (4 MiB) is below a full stadium GetEvent; 64 MiB still refuses a runaway message.
 */
export const GRPC_MESSAGE_LIMIT_BYTES = 64 * 1024 * 1024;
