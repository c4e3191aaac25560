import { describe, expect, it } from "vitest";
import { file_boxoffice_common_v1_rules } from "../../gen/boxoffice/common/v1/rules_pb.js";
import { file_buf_validate_validate } from "../../web/src/api/validate-descriptor-stub.js";

describe("the browser bundle's stand-in for buf/validate/validate.proto", () => {
  // Without its extendee a predefined rule's file fails to load, and with it the whole web app.
  it("names every protovalidate message our predefined rules extend", () => {
    const extendees = new Set(file_boxoffice_common_v1_rules.extensions.map((extension) => extension.extendee.typeName));
    const stubbed = new Set(file_buf_validate_validate.messages.map((message) => message.typeName));
    expect(extendees.size).toBeGreaterThan(1);
    expect([...extendees].filter((name) => !stubbed.has(name))).toEqual([]);
  });
});
