#include "gateway/transcode/http_response.h"

#include "common/grpc_status.h"
#include "common/json_codec.h"
#include "gateway/transcode/json_printer.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"
#include "nlohmann/json.hpp"

namespace rectify::gateway {
namespace {

using nlohmann::json;

google::protobuf::util::JsonPrintOptions PrintOptions() {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;  // lowerCamelCase, as Envoy and grpc-gateway do
  return options;
}

}  // namespace

int HttpStatusOf(grpc::StatusCode code) {
  // google/rpc/code.proto's mapping.
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::UNKNOWN:
      return 500;
    case grpc::StatusCode::INVALID_ARGUMENT:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::FAILED_PRECONDITION:
      return 400;
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::INTERNAL:
      return 500;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::DATA_LOSS:
      return 500;
    default:
      return 500;
  }
}

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

std::string ErrorJson(const grpc::Status& status, int http_status) {
  json error = {{"code", http_status != 0 ? http_status : HttpStatusOf(status.error_code())},
                {"message", status.error_message()},
                {"status", CodeName(status.error_code())},
                {"details", json::array()}};
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    std::string text;
    if (google::protobuf::util::MessageToJsonString(details, &text, PrintOptions()).ok()) {
      json parsed = json::parse(text, nullptr, false);
      if (parsed.is_object() && parsed.contains("details")) error["details"] = parsed["details"];
    }
  }
  return Dump(json{{"error", std::move(error)}});
}

std::string ErrorJson(const absl::Status& status) { return ErrorJson(ToGrpcStatus(status)); }

absl::StatusOr<std::string> MessageJson(const google::protobuf::Message& message) {
  return PrintJson(message);
}

absl::StatusOr<std::string> ResponseJson(const Route& route,
                                         const google::protobuf::Message& response) {
  if (route.response_body.empty()) return PrintJson(response);
  return PrintFieldJson(response, FindFieldPath(response.GetDescriptor(), route.response_body));
}

std::string ResourceEtag(const google::protobuf::Message& response) {
  const auto* f = response.GetDescriptor()->FindFieldByName("etag");
  if (f == nullptr || f->type() != google::protobuf::FieldDescriptor::TYPE_STRING ||
      f->is_repeated()) {
    return "";
  }
  return response.GetReflection()->GetString(response, f);
}

}  // namespace rectify::gateway
