import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from "pg-logical-replication";
import type { Logger } from "../../shared/logging/logger.js";
import { noChangedKeys, recordRowChange, type ChangedKeys } from "./changed-keys.js";
import { formatLsn, parseLsn, type Lsn } from "./lsn.js";

/** One committed transaction of the followed tables, reduced to the keys it changed. */
export interface DecodedTransaction {
  /** Top-level transaction id (32 bits, as the server numbers it). */
  xid: number;
  /** Where the commit record ends: confirming this position means "everything up to here is applied". */
  commitEndLsn: Lsn;
  committedAt: Date;
  keys: ChangedKeys;
  changes: number;
  /** Changes no search document depends on a key of (ticket deletes). */
  unmapped: number;
}

export interface ReplicationStreamOptions {
  connectionString: string;
  slot: string;
  publication: string;
  logger: Logger;
  /** The confirmed position is re-sent this often, so the server never times the stream out. */
  statusIntervalMs?: number;
}

/** Counts decoded messages so that a keepalive can be placed in order among them. */
class CountingPgoutputPlugin extends PgoutputPlugin {
  decoded = 0;

  override parse(buffer: Buffer): Pgoutput.Message {
    this.decoded++;
    return super.parse(buffer);
  }
}

/**
 * Follows the slot with pgoutput, one message at a time (the socket pauses while a transaction
 * is applied), and confirms a position to the server only when the sink says everything up to
 * it is applied. A restart therefore resumes at the last applied transaction: nothing is lost,
 * and what is replayed is applied again harmlessly.
 */
export class ReplicationStream {
  private service: LogicalReplicationService | undefined;
  private confirmed: Lsn = 0n;
  private delivered: Lsn = 0n;
  private handled = 0;
  private open: Omit<DecodedTransaction, "commitEndLsn" | "committedAt"> | undefined;
  private idleCandidate: { lsn: Lsn; decoded: number } | undefined;
  private failure: unknown;
  private stopping = false;
  streaming = false;

  constructor(private readonly options: ReplicationStreamOptions) {}

  /** Streams until stop() (resolves) or until the connection fails (rejects). */
  async run(sink: (transaction: DecodedTransaction) => Promise<void>): Promise<void> {
    const { connectionString, slot, publication, statusIntervalMs = 10_000 } = this.options;
    const plugin = new CountingPgoutputPlugin({ protoVersion: 1, publicationNames: [publication] });
    const service = new LogicalReplicationService(
      { connectionString, keepAlive: true, application_name: "boxoffice-indexer" },
      { acknowledge: { auto: false, timeoutSeconds: 0 }, flowControl: { enabled: true } },
    );
    this.service = service;
    service.on("error", (error: Error) => void (this.failure ??= error));
    service.on("start", () => {
      this.streaming = true;
      this.options.logger.info({ slot }, "following the change stream");
    });
    service.on("heartbeat", (lsn: string, _at: number, shouldRespond: boolean) => {
      this.idleCandidate = { lsn: parseLsn(lsn), decoded: plugin.decoded };
      this.confirmIfIdle();
      if (shouldRespond) this.sendStatus();
    });
    service.on("data", async (_lsn: string, message: Pgoutput.Message) => {
      try {
        await this.handle(message, sink);
        this.handled++;
        this.confirmIfIdle();
      } catch (error) {
        // The library would carry on with the next message; a transaction must never be skipped.
        this.failure ??= error;
        await service.stop();
      }
    });
    const status = setInterval(() => this.sendStatus(), statusIntervalMs);
    try {
      // No start position: the server resumes from the slot's confirmed position.
      await service.subscribe(plugin, slot);
    } finally {
      clearInterval(status);
      this.streaming = false;
      await service.destroy();
    }
    if (this.failure) throw this.failure;
    if (!this.stopping) throw new Error("the replication connection ended");
  }

  /** The sink has applied every transaction up to this position. */
  confirm(lsn: Lsn): void {
    if (lsn > this.confirmed) {
      this.confirmed = lsn;
      this.sendStatus();
    }
    this.confirmIfIdle();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.service?.stop();
  }

  private async handle(message: Pgoutput.Message, sink: (transaction: DecodedTransaction) => Promise<void>) {
    switch (message.tag) {
      case "begin":
        this.open = { xid: message.xid >>> 0, keys: noChangedKeys(), changes: 0, unmapped: 0 };
        return;
      case "insert":
      case "update":
        return this.record(message.relation.name, message.new);
      case "delete":
        return this.record(message.relation.name, message.old ?? message.key ?? {});
      case "truncate":
        if (this.open) this.open.keys.everything = true;
        return;
      case "commit": {
        const open = this.open;
        this.open = undefined;
        if (!open) return;
        const commitEndLsn = parseLsn(message.commitEndLsn ?? "0/0");
        this.delivered = commitEndLsn;
        const micros = message.commitTime as unknown as bigint;
        await sink({ ...open, commitEndLsn, committedAt: new Date(Number(micros / 1000n)) });
        return;
      }
    }
  }

  private record(table: string, row: Record<string, unknown>) {
    if (!this.open) return;
    this.open.changes++;
    if (!recordRowChange(this.open.keys, { table, row })) this.open.unmapped++;
  }

  /**
   * While every received transaction is applied, the server's own position (from a keepalive)
   * can be confirmed too: otherwise a quiet catalog next to busy booking tables would pin WAL.
   */
  private confirmIfIdle() {
    const candidate = this.idleCandidate;
    if (!candidate || this.open || this.handled < candidate.decoded || this.confirmed < this.delivered) return;
    this.idleCandidate = undefined;
    if (candidate.lsn > this.confirmed) {
      this.confirmed = candidate.lsn;
      this.sendStatus();
    }
  }

  private sendStatus() {
    // The library reports lsn + 1 (the physical-replication convention); a logical position
    // is already one past what it covers, and one byte further could skip a commit starting there.
    if (this.confirmed > 0n) void this.service?.acknowledge(formatLsn(this.confirmed - 1n));
  }
}
