import { toBinary, type DescFile, type DescService } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { ReflectionService } from "@grpc/reflection";
import type * as grpc from "@grpc/grpc-js";

/**
 * gRPC server reflection (grpc.reflection.v1 and v1alpha) for the services a server hosts, so
 * grpcurl, grpcui, Postman and Kreya list, describe and call them without the .proto files.
 * @grpc/reflection answers from FileDescriptorProtos: here the ones protobuf-es generated the
 * services from, each service's file and every file it imports.
 */
export function addServerReflection(server: Pick<grpc.Server, "addService">, services: readonly DescService[]): void {
  const files = new Map<string, DescFile>();
  const add = (file: DescFile) => {
    if (files.has(file.name)) return;
    files.set(file.name, file);
    file.dependencies.forEach(add);
  };
  for (const service of services) add(service.file);
  // The shape of a proto-loader package definition that the reflection service reads: any key,
  // each holding the encoded files it may need.
  const fileDescriptorProtos = [...files.values()].map((file) => Buffer.from(toBinary(FileDescriptorProtoSchema, file.proto)));
  const definition = { reflected: { fileDescriptorProtos } };
  new ReflectionService(definition as unknown as ConstructorParameters<typeof ReflectionService>[0], {
    services: services.map((service) => service.typeName),
  }).addToServer(server);
}
