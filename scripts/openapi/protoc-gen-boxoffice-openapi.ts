// A protoc plugin (buf.gen.yaml runs it beside protoc-gen-es): the edge's OpenAPI 3.1 document,
// gen/openapi/boxoffice.openapi.json, from the same descriptors as gen/, comments included.
// Through buf generate it is regenerated, and checked for freshness, exactly as gen/ is.
import { create, createFileRegistry, type DescService } from "@bufbuild/protobuf";
import {
  CodeGeneratorResponse_Feature,
  CodeGeneratorResponseSchema,
  Edition,
  FileDescriptorSetSchema,
  type CodeGeneratorRequest,
} from "@bufbuild/protobuf/wkt";
import { runNodeJs } from "@bufbuild/protoplugin";
import { accessOf } from "../../services/edge/gate/access-policy.js";
import { openApiDocument, openApiJson } from "./openapi-document.js";
import { REST_OPERATIONS } from "./rest-operations.js";

export const OPENAPI_FILE = "boxoffice.openapi.json";

/**
 * Our own contracts' services; grpc.health.v1 is the probes' business, not the API's, and an
 * `internal` package (booking's provider events) is the mesh's, never served by the edge.
 */
const API_PACKAGE = /^boxoffice\.(?!(?:\w+\.)*internal\.)/;

function run(request: CodeGeneratorRequest) {
  const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: request.protoFile }));
  const generated = new Set(request.fileToGenerate);
  const services = request.protoFile
    .filter((file) => generated.has(file.name) && API_PACKAGE.test(file.package))
    .flatMap((file) => file.service.map((service) => registry.getService(`${file.package}.${service.name}`)))
    .filter((service): service is DescService => service !== undefined);
  // buf asks once per input of buf.gen.yaml; only the one holding our contracts gets the document.
  const file = services.length === 0 ? [] : [{ name: OPENAPI_FILE, content: openApiJson(openApiDocument({ registry, services, restOperations: REST_OPERATIONS, accessOf })) }];
  return create(CodeGeneratorResponseSchema, {
    supportedFeatures: BigInt(CodeGeneratorResponse_Feature.PROTO3_OPTIONAL | CodeGeneratorResponse_Feature.SUPPORTS_EDITIONS),
    minimumEdition: Edition.EDITION_PROTO2,
    maximumEdition: Edition.EDITION_2024,
    file,
  });
}

runNodeJs({ name: "protoc-gen-boxoffice-openapi", version: "v1", run });
