// Files over HTTP, streamed both ways without holding a whole file.
//
// Downloads: a server-streaming method whose answers carry a `bytes data` field (DownloadEvidence,
// ExportLedger). The first answer's metadata — `file_name`, `media_type`, `size_bytes`, `sha256`,
// in the answer itself or a message field of it — becomes the head: Content-Type,
// Content-Disposition with the UTF-8 name (RFC 6266 / 5987), Content-Length when the size is known
// and Repr-Digest (RFC 9530) when the digest is. The next answer is read only once the last piece
// is written to the client. A service that fails before its first answer gets an ordinary HTTP
// error; one that fails midway cuts the answer short, so that no client takes a truncated file
// for a whole one.
//
// Uploads: a client-streaming method whose route's `body` is a bytes field (UploadEvidence, `body:
// "chunk"`). The first message is the metadata — the route's path variables and query parameters,
// the file's name and type from the request — and the body follows in messages of at most one
// piece (1 MiB) each, read from the client only as fast as the service takes them. The body is
// the raw file (its name in Content-Disposition's filename, its type in Content-Type), or
// multipart/form-data with fields (named as query parameters are) before one file part.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gateway/gateway_metrics.h"
#include "gateway/http/http_server.h"
#include "gateway/stream_call.h"
#include "grpcpp/generic/generic_stub.h"

namespace rectify::gateway {

// Whether a route's answers are a file / its body is a file.
bool IsFileDownload(const Route& route);
bool IsFileUpload(const Route& route);

void StartFileDownload(grpc::GenericStub& stub, StreamCall call, std::shared_ptr<Exchange> exchange,
                       GatewayMetrics& metrics);

struct UploadRequest {
  RouteMatch match;
  std::string query;  // still encoded
  std::string idempotency_key;
  std::string content_type;         // of the body
  std::string content_disposition;  // a raw body's file name
  // For a caller without a token: the scope its request ids are rewritten into (its address).
  std::string request_id_scope;
};

// `call.request` is unused: the first message is built from `upload` once the fields are known
// (for a form, at its file part).
void StartFileUpload(grpc::GenericStub& stub, StreamCall call, UploadRequest upload,
                     std::shared_ptr<Exchange> exchange, GatewayMetrics& metrics);

// `attachment; filename="..."; filename*=UTF-8''...`: the name as ASCII for old clients (other
// characters as '_') and whole as UTF-8, percent-encoded.
std::string ContentDisposition(absl::string_view file_name);
// The file name a Content-Disposition header gives (filename* preferred), or "".
absl::StatusOr<std::string> FileNameOf(absl::string_view content_disposition);

}  // namespace rectify::gateway
