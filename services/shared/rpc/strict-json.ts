/**
 * Protobuf JSON read as its spec says: an unknown field or enum name is an error. connect-es
 * ignores both by default, so a misspelt filter ({"termm": "jazz"}) would answer unfiltered.
 */
export const STRICT_JSON = { ignoreUnknownFields: false } as const;
