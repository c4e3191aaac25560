import { create, toBinary } from "@bufbuild/protobuf";
import { base64Encode } from "@bufbuild/protobuf/wire";
import { fileDesc, type GenFile } from "@bufbuild/protobuf/codegenv2";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";

/**
 * Stands in for buf/validate/validate.proto in the browser bundle (see vite.config.ts). The
 * generated files list it as a dependency by name; its rules travel as unknown option fields,
 * which decoding and encoding messages never read. StringRules and TimestampRules are named
 * because our predefined rules (proto/boxoffice/common/v1/rules.proto) extend them, and an
 * extension needs its extendee.
 */
export const file_buf_validate_validate: GenFile = fileDesc(
  base64Encode(
    toBinary(
      FileDescriptorProtoSchema,
      create(FileDescriptorProtoSchema, {
        name: "buf/validate/validate.proto",
        package: "buf.validate",
        messageType: ["StringRules", "TimestampRules"].map((name) => ({ name, extensionRange: [{ start: 1000, end: 536_870_912 }] })),
      }),
    ),
  ),
);
