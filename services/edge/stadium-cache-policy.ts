import type { DescMethod } from "@bufbuild/protobuf";
import { CatalogService, type GetEventLayoutRequest } from "../../gen/boxoffice/catalog/v1/catalog_pb.js";
import { AVAILABILITY_CACHE_CONTROL, CURRENT_LAYOUT_CACHE_CONTROL, IMMUTABLE_CACHE_CONTROL } from "./http-caching.js";

/** The stadium view's reads, answered with HTTP caching on their Connect GET form too. */
export const STADIUM_VIEW_METHODS: readonly DescMethod[] = [CatalogService.method.getEventLayout, CatalogService.method.getEventAvailability];

/**
 * How long browsers and CDNs may keep a stadium-view answer: a layout named by its version for
 * good, the current one briefly, seat states a second. Undefined for every other method.
 */
export function stadiumCacheControl(method: DescMethod, request: unknown): string | undefined {
  if (method === CatalogService.method.getEventLayout) {
    return (request as GetEventLayoutRequest).version === "" ? CURRENT_LAYOUT_CACHE_CONTROL : IMMUTABLE_CACHE_CONTROL;
  }
  if (method === CatalogService.method.getEventAvailability) return AVAILABILITY_CACHE_CONTROL;
  return undefined;
}
