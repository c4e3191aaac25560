import { create, type DescMessage, type Registry } from "@bufbuild/protobuf";
import { createValidator } from "@bufbuild/protovalidate";

/**
 * The fields a request cannot leave out. A proto3 field without presence that is missing from
 * the JSON reads as its zero value, and rules still apply to it; so a field is required in JSON
 * exactly when protovalidate refuses the zero value, which is asked of protovalidate itself on an
 * empty message rather than worked out again from the rules (CEL included).
 */
export function createZeroValueRefusals(registry: Registry) {
  const validator = createValidator({ registry });
  return (message: DescMessage): Set<string> => {
    const result = validator.validate(message, create(message));
    if (result.kind === "error") throw new Error(`protovalidate could not check an empty ${message.typeName}: ${result.error.message}`);
    const refused = new Set<string>();
    for (const violation of result.violations ?? []) {
      const [first] = violation.field;
      if (first?.kind === "field") refused.add(first.name);
    }
    return refused;
  };
}
