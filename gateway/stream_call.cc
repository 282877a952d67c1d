#include "gateway/stream_call.h"

#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/slice.h"

namespace rectify::gateway {

grpc::ByteBuffer ToByteBuffer(const google::protobuf::Message& message) {
  std::string bytes = message.SerializeAsString();
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

bool FromByteBuffer(grpc::ByteBuffer& buffer, google::protobuf::Message& message) {
  grpc::ProtoBufferReader reader(&buffer);
  return message.ParseFromZeroCopyStream(&reader);
}

}  // namespace rectify::gateway
