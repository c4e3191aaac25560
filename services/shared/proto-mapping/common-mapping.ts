import { create } from "@bufbuild/protobuf";
import { timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { EventType as ProtoEventType } from "../../../gen/boxoffice/common/v1/event_pb.js";
import { MoneySchema, type Money } from "../../../gen/boxoffice/common/v1/money_pb.js";

/** Wire ↔ domain mappings that more than one service needs. */

export type EventTypeName = "concert" | "sports" | "theater" | "comedy" | "festival" | "family" | "conference";

const eventTypes: Record<EventTypeName, ProtoEventType> = {
  concert: ProtoEventType.CONCERT,
  sports: ProtoEventType.SPORTS,
  theater: ProtoEventType.THEATER,
  comedy: ProtoEventType.COMEDY,
  festival: ProtoEventType.FESTIVAL,
  family: ProtoEventType.FAMILY,
  conference: ProtoEventType.CONFERENCE,
};

export function eventTypeToProto(type: EventTypeName): ProtoEventType {
  return eventTypes[type];
}

/** undefined for UNSPECIFIED, which means "any" in a filter. */
export function eventTypeFromProto(type: ProtoEventType): EventTypeName | undefined {
  const entry = Object.entries(eventTypes).find(([, value]) => value === type);
  return entry?.[0] as EventTypeName | undefined;
}

export function money(amountMinor: number, currency: string): Money {
  return create(MoneySchema, { amountMinor: BigInt(amountMinor), currency: currency.trim() });
}

export function timestamp(date: Date): Timestamp;
export function timestamp(date: Date | null): Timestamp | undefined;
export function timestamp(date: Date | null): Timestamp | undefined {
  return date ? timestampFromDate(date) : undefined;
}
