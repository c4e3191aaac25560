import { create, isMessage, type DescMessage } from "@bufbuild/protobuf";
import type { Interceptor } from "@connectrpc/connect";

/** connect-es interceptors around a call, outermost first, as connect-es's own transports apply them. */
export function applyInterceptors<F>(next: F, interceptors: readonly Interceptor[]): F {
  return interceptors.reduceRight((inner, interceptor) => interceptor(inner as never) as F, next);
}

/** A message of the schema as connect-es hands them on: kept if it is one, made from an init shape if not. */
export function normalize<T extends DescMessage>(schema: T, value: unknown) {
  return isMessage(value, schema) ? value : create(schema, value as never);
}
