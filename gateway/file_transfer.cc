#include "gateway/file_transfer.h"

#include <atomic>
#include <deque>
#include <mutex>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status.h"
#include "gateway/transcode/http_response.h"
#include "gateway/transcode/multipart.h"
#include "gateway/transcode/request_transcoder.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/client_callback.h"

namespace rectify::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

const FieldDescriptor* FieldOfType(const Descriptor* d, const char* name,
                                   FieldDescriptor::Type type) {
  const FieldDescriptor* f = d->FindFieldByName(name);
  return f != nullptr && f->type() == type && !f->is_repeated() ? f : nullptr;
}

const FieldDescriptor* DataField(const Descriptor* d) {
  return FieldOfType(d, "data", FieldDescriptor::TYPE_BYTES);
}

// What the first answer of a download says about the file: in the answer itself or in a message
// field of it (an EvidenceChunk's `evidence`).
struct FileFacts {
  std::string file_name, media_type, sha256;
  std::optional<int64_t> size;
};

void ReadFacts(const Message& m, FileFacts& facts, bool nested = true) {
  const Descriptor* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  auto text = [&](const char* name, std::string& out) {
    if (const auto* f = FieldOfType(d, name, FieldDescriptor::TYPE_STRING); f && out.empty()) {
      out = r->GetString(m, f);
    }
  };
  text("file_name", facts.file_name);
  text("media_type", facts.media_type);
  text("sha256", facts.sha256);
  if (const auto* f = FieldOfType(d, "size_bytes", FieldDescriptor::TYPE_INT64); f && !facts.size) {
    facts.size = r->GetInt64(m, f);
  }
  if (!nested) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->type() == FieldDescriptor::TYPE_MESSAGE && !f->is_repeated() && r->HasField(m, f)) {
      ReadFacts(r->GetMessage(m, f), facts, false);
    }
  }
}

// A printable media type for the Content-Type header.
std::string SafeMediaType(const std::string& type) {
  if (type.empty() || type.size() > 200) return "application/octet-stream";
  for (char c : type) {
    if (c < 0x20 || c > 0x7e) return "application/octet-stream";
  }
  return type;
}

unsigned HttpStatus(grpc::StatusCode code) { return static_cast<unsigned>(HttpStatusOf(code)); }

// ---- Downloads ----

class FileDownload final : public PacedStreamReader,
                           public std::enable_shared_from_this<FileDownload> {
 public:
  FileDownload(StreamCall call, std::shared_ptr<Exchange> exchange, GatewayMetrics& metrics)
      : call_(std::move(call)), exchange_(std::move(exchange)), metrics_(metrics) {}

  // The connection goes before the ticket, the ticket before the context (see gateway.cc's Call).
  ~FileDownload() override {
    exchange_.reset();
    ticket_.reset();
  }

  void Start(grpc::GenericStub& stub) {
    self_ = shared_from_this();
    if (call_.in_flight != nullptr) ticket_ = call_.in_flight->Enter(&context_);
    call_.Prepare(context_);
    request_ = ToByteBuffer(*call_.request);
    stub.PrepareBidiStreamingCall(&context_, call_.route->grpc_path, grpc::StubOptions(), this);
    StartWriteLast(&request_, grpc::WriteOptions());
    StartRead(&response_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // the stream ended: OnDone follows
    std::unique_ptr<Message> chunk(google::protobuf::MessageFactory::generated_factory()
                                       ->GetPrototype(call_.route->method->output_type())
                                       ->New());
    if (!FromByteBuffer(response_, *chunk)) {
      context_.TryCancel();
      return;
    }
    if (!started_.load()) Open(*chunk);
    std::string data =
        chunk->GetReflection()->GetString(*chunk, DataField(call_.route->method->output_type()));
    if (data.empty()) return StartRead(&response_);
    exchange_->Send(std::move(data), ReadNextWhenWritten());
  }

  void OnWriteDone(bool) override {}

  void OnDone(const grpc::Status& status) override {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
    if (!started_.load()) {
      unsigned http_status = status.ok() ? 200 : HttpStatus(status.error_code());
      metrics_.RecordRequest(call_.Label(), http_status, seconds);
      if (status.ok()) {
        // No answer at all: an empty file.
        exchange_->Respond(HttpResponse{
            200, "application/octet-stream", {{"X-Request-Id", call_.request_id}}, ""});
      } else {
        exchange_->Respond(HttpResponse{http_status,
                                        "application/json",
                                        {{"X-Request-Id", call_.request_id}},
                                        ErrorJson(status)});
      }
    } else if (status.ok()) {
      exchange_->Finish();
    } else {
      exchange_->Abort();
    }
    self_.reset();  // may delete this
  }

 private:
  void Open(const Message& first) {
    started_ = true;
    FileFacts facts;
    ReadFacts(first, facts);
    HttpResponse head{200, SafeMediaType(facts.media_type), {}, ""};
    head.headers.emplace_back("X-Request-Id", call_.request_id);
    head.headers.emplace_back("Cache-Control", "no-store");
    head.headers.emplace_back("X-Content-Type-Options", "nosniff");
    head.headers.emplace_back(
        "Content-Disposition",
        ContentDisposition(facts.file_name.empty() ? "download" : facts.file_name));
    if (facts.size && *facts.size >= 0) {
      head.headers.emplace_back("Content-Length", absl::StrCat(*facts.size));
    }
    std::string digest;
    if (facts.sha256.size() == 64 &&
        facts.sha256.find_first_not_of("0123456789abcdef") == std::string::npos) {
      digest = absl::HexStringToBytes(facts.sha256);
      head.headers.emplace_back("Repr-Digest",
                                absl::StrCat("sha-256=:", absl::Base64Escape(digest), ":"));
    }
    metrics_.RecordRequest(call_.Label(), 200, absl::ToDoubleSeconds(absl::Now() - start_));
    std::weak_ptr<FileDownload> weak = weak_from_this();
    exchange_->StartStream(std::move(head), "", [weak] {
      // The client went away (or the answer is over): stop the call if it still runs.
      if (auto self = weak.lock()) {
        std::lock_guard lock(self->mu_);
        if (!self->done_) self->context_.TryCancel();
      }
    });
  }

  StreamCall call_;
  std::shared_ptr<Exchange> exchange_;
  GatewayMetrics& metrics_;
  absl::Time start_ = absl::Now();
  std::shared_ptr<FileDownload> self_;
  std::atomic<bool> started_{false};
  std::mutex mu_;
  bool done_ = false;
  std::unique_ptr<InFlight::Ticket> ticket_;
};

// ---- Uploads ----

// The message field that a route's upload body shares a oneof with: where the file's name and
// type go (UploadEvidenceRequest.metadata).
const FieldDescriptor* MetadataField(const Route& route) {
  const FieldDescriptor* body = FindFieldPath(route.method->input_type(), route.body);
  const auto* oneof = body == nullptr ? nullptr : body->containing_oneof();
  if (oneof == nullptr) return nullptr;
  for (int i = 0; i < oneof->field_count(); ++i) {
    const FieldDescriptor* f = oneof->field(i);
    if (f != body && f->type() == FieldDescriptor::TYPE_MESSAGE) return f;
  }
  return nullptr;
}

class FileUpload final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>,
                         public MultipartHandler,
                         public std::enable_shared_from_this<FileUpload> {
 public:
  FileUpload(grpc::GenericStub& stub, StreamCall call, UploadRequest upload,
             std::shared_ptr<Exchange> exchange, GatewayMetrics& metrics)
      : stub_(stub),
        call_(std::move(call)),
        upload_(std::move(upload)),
        exchange_(std::move(exchange)),
        metrics_(metrics),
        body_field_(FindFieldPath(call_.route->method->input_type(), call_.route->body)) {}

  ~FileUpload() override {
    exchange_.reset();
    ticket_.reset();
  }

  void Start() {
    self_ = shared_from_this();
    if (call_.in_flight != nullptr) ticket_ = call_.in_flight->Enter(&context_);
    absl::string_view type = upload_.content_type;
    if (absl::StartsWithIgnoreCase(type, "multipart/")) {
      auto boundary = MultipartBoundary(type);
      if (!boundary.ok()) return Refuse(boundary.status());
      auto reader = MultipartReader::Create(*boundary, MultipartLimits(), this);
      if (!reader.ok()) return Refuse(reader.status());
      form_.emplace(*std::move(reader));
      return ReadNext();
    }
    // A raw body: everything about the file is in the request's head.
    auto name = FileNameOf(upload_.content_disposition);
    if (!name.ok()) return Refuse(name.status());
    auto first = Metadata({}, *name, std::string(type));
    if (!first.ok()) return Refuse(first.status());
    Begin(**first);
    ReadNext();
  }

  // ---- MultipartHandler: the form, as it arrives ----
  absl::Status OnField(const MultipartPart& part, std::string value) override {
    if (began_) {
      return InvalidField(part.name, "comes after the file: send the fields before it");
    }
    fields_.emplace_back(part.name, std::move(value));
    return absl::OkStatus();
  }
  absl::Status OnFileBegin(const MultipartPart& part) override {
    if (began_) return InvalidField(part.name, "a second file: one file per upload");
    auto first = Metadata(fields_, part.filename.value_or(""), part.content_type);
    if (!first.ok()) return first.status();
    Begin(**first);
    return absl::OkStatus();
  }
  absl::Status OnFileData(absl::string_view piece) override {
    Append(piece);
    return absl::OkStatus();
  }
  absl::Status OnFileEnd() override {
    file_ended_ = true;
    return absl::OkStatus();
  }

  // ---- The call ----
  void OnWriteDone(bool ok) override {
    std::unique_lock lock(mu_);
    writing_ = false;
    if (!ok) {
      // The service ended the call (its answer is on the way to OnDone): read no more.
      failed_ = true;
      return Release(lock);
    }
    WriteNext(lock);
  }

  void OnReadDone(bool) override {}

  void OnDone(const grpc::Status& status) override {
    double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
    if (answered_.exchange(true)) {
      self_.reset();
      return;
    }
    if (!status.ok()) {
      // A file over the service's limit is 413 (Content Too Large), not google.rpc's 429.
      unsigned http = status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED
                          ? 413
                          : HttpStatus(status.error_code());
      metrics_.RecordRequest(call_.Label(), http, seconds);
      exchange_->Respond(HttpResponse{
          http, "application/json", {{"X-Request-Id", call_.request_id}}, ErrorJson(status, http)});
      self_.reset();
      return;
    }
    std::unique_ptr<Message> response(google::protobuf::MessageFactory::generated_factory()
                                          ->GetPrototype(call_.route->method->output_type())
                                          ->New());
    absl::StatusOr<std::string> json = absl::InternalError("the service's answer did not parse");
    if (FromByteBuffer(response_, *response)) json = ResponseJson(*call_.route, *response);
    if (!json.ok()) {
      metrics_.RecordRequest(call_.Label(), 500, seconds);
      exchange_->Respond(HttpResponse{
          500, "application/json", {{"X-Request-Id", call_.request_id}}, ErrorJson(json.status())});
    } else {
      metrics_.RecordRequest(call_.Label(), 200, seconds);
      HttpResponse r{200, "application/json", {{"X-Request-Id", call_.request_id}}, *json};
      if (std::string etag = ResourceEtag(*response); !etag.empty()) {
        r.headers.emplace_back("ETag", EntityTag(etag));
      }
      exchange_->Respond(std::move(r));
    }
    self_.reset();  // may delete this
  }

 private:
  // The first message: the path's variables, the query and the form's fields, with the file's
  // name and type where the request gave none.
  absl::StatusOr<std::unique_ptr<Message>> Metadata(
      std::vector<std::pair<std::string, std::string>> fields, const std::string& file_name,
      const std::string& media_type) {
    const Descriptor* input = call_.route->method->input_type();
    if (const FieldDescriptor* meta = MetadataField(*call_.route); meta != nullptr) {
      std::vector<std::pair<std::string, std::string>> given;
      if (!ParseQuery(upload_.query, given)) return InvalidField("query", "a malformed %-escape");
      given.insert(given.end(), fields.begin(), fields.end());
      auto add_unless_given = [&](const char* field, const std::string& value) {
        if (value.empty() || meta->message_type()->FindFieldByName(field) == nullptr) return;
        const FieldDescriptor* target =
            FindFieldPath(input, absl::StrCat(meta->name(), ".", field));
        for (const auto& [name, v] : given) {
          if (FindFieldPath(input, name) == target) return;
        }
        fields.emplace_back(absl::StrCat(meta->name(), ".", field), value);
      };
      add_unless_given("file_name", file_name);
      add_unless_given("request_id", upload_.idempotency_key);
      // The type without its parameters; the service decides from the content anyway, and
      // application/octet-stream (what clients send for a type they do not know) declares none.
      std::string declared(absl::StripAsciiWhitespace(
          absl::string_view(media_type).substr(0, media_type.find(';'))));
      if (!absl::EqualsIgnoreCase(declared, "application/octet-stream")) {
        add_unless_given("media_type", declared);
      }
    }
    HttpRequestParts parts;
    parts.query = upload_.query;
    parts.body_streamed = true;
    parts.fields = std::move(fields);
    auto message = RequestTranscoder::Build(upload_.match, parts);
    if (message.ok() && !upload_.request_id_scope.empty()) {
      ScopeRequestIds(**message, upload_.request_id_scope);
    }
    return message;
  }

  // The call starts with its first message; the hold stands for the body still to come.
  void Begin(const Message& first) {
    began_ = true;
    call_.Prepare(context_);
    stub_.PrepareBidiStreamingCall(&context_, call_.route->grpc_path, grpc::StubOptions(), this);
    AddHold();
    StartRead(&response_);
    StartCall();
    std::unique_lock lock(mu_);
    queue_.push_back(ToByteBuffer(first));
    WriteNext(lock);
  }

  void Append(absl::string_view data) {
    const size_t kPiece = size_t{1} << 20;
    while (!data.empty()) {
      size_t n = std::min(kPiece - pending_.size(), data.size());
      pending_.append(data.data(), n);
      data.remove_prefix(n);
      if (pending_.size() == kPiece) Flush();
    }
  }

  void Flush() {
    if (pending_.empty()) return;
    std::unique_ptr<Message> m(google::protobuf::MessageFactory::generated_factory()
                                   ->GetPrototype(call_.route->method->input_type())
                                   ->New());
    m->GetReflection()->SetString(m.get(), body_field_, std::move(pending_));
    pending_.clear();
    std::unique_lock lock(mu_);
    queue_.push_back(ToByteBuffer(*m));
  }

  // The next piece of the body, once what the last one gave has been written.
  void ReadNext() {
    {
      std::lock_guard lock(mu_);
      if (reading_) return;
      reading_ = true;
    }
    exchange_->ReadBody([self = self_](absl::Status status, std::string piece, bool last) {
      self->OnPiece(std::move(status), std::move(piece), last);
    });
  }

  // One piece of the body. The next is asked for only once this one is handled: `reading_` stays
  // set until then, so that a write completing meanwhile (OnWriteDone → WriteNext) neither starts
  // a second read nor takes the queue for complete before its last message is in it.
  void OnPiece(absl::Status status, std::string piece, bool last) {
    {
      std::lock_guard lock(mu_);
      if (failed_) return;
    }
    if (!status.ok()) return Refuse(status);
    if (form_) {
      status = form_->Feed(piece);
      if (status.ok() && last) status = form_->Finish();
      if (status.ok() && last && !began_) status = InvalidField("body", "has no file part");
      if (!status.ok()) return Refuse(status);
    } else {
      Append(piece);
    }
    if (last || pending_.size() >= (size_t{1} << 20)) Flush();
    std::unique_lock lock(mu_);
    reading_ = false;
    last_ = last_ || last;
    if (failed_) return;
    WriteNext(lock);
  }

  // Writes the queue one message at a time; when it is empty, reads on or ends the writes.
  void WriteNext(std::unique_lock<std::mutex>& lock) {
    if (writing_ || failed_) return;
    if (!queue_.empty()) {
      writing_ = true;
      current_ = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      StartWrite(&current_);
      return;
    }
    if (last_) {
      if (!writes_done_) {
        writes_done_ = true;
        lock.unlock();
        StartWritesDone();
        RemoveHold();
      }
      return;
    }
    lock.unlock();
    ReadNext();
  }

  void Release(std::unique_lock<std::mutex>& lock) {
    if (writes_done_ || !began_) return;
    writes_done_ = true;
    lock.unlock();
    RemoveHold();
  }

  // The gateway refuses the upload (bad form, too large, client gone): its answer, and the call
  // (if it began) is cancelled.
  void Refuse(const absl::Status& status) {
    unsigned http = absl::IsResourceExhausted(status)
                        ? 413
                        : HttpStatus(static_cast<grpc::StatusCode>(status.code()));
    if (!answered_.exchange(true)) {
      metrics_.RecordRequest(call_.Label(), http, absl::ToDoubleSeconds(absl::Now() - start_));
      grpc::Status s(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
      exchange_->Respond(HttpResponse{
          http, "application/json", {{"X-Request-Id", call_.request_id}}, ErrorJson(s, http)});
    }
    if (!began_) {
      self_.reset();  // no call: nothing else holds this
      return;
    }
    context_.TryCancel();
    std::unique_lock lock(mu_);
    failed_ = true;
    Release(lock);
  }

  grpc::GenericStub& stub_;
  StreamCall call_;
  UploadRequest upload_;
  std::shared_ptr<Exchange> exchange_;
  GatewayMetrics& metrics_;
  const FieldDescriptor* body_field_;
  absl::Time start_ = absl::Now();
  grpc::ClientContext context_;
  std::shared_ptr<FileUpload> self_;
  std::atomic<bool> answered_{false};

  // Touched only while a body piece is handled (one at a time).
  std::optional<MultipartReader> form_;
  std::vector<std::pair<std::string, std::string>> fields_;
  std::string pending_;  // file content not yet in a message
  bool began_ = false, file_ended_ = false;

  std::mutex mu_;
  std::deque<grpc::ByteBuffer> queue_;
  grpc::ByteBuffer current_, response_;
  bool writing_ = false, reading_ = false, writes_done_ = false, failed_ = false;
  bool last_ = false;  // the body's last piece is handled (its messages are queued)
  std::unique_ptr<InFlight::Ticket> ticket_;
};

}  // namespace

bool IsFileDownload(const Route& route) {
  return route.server_streaming() && DataField(route.method->output_type()) != nullptr;
}

bool IsFileUpload(const Route& route) {
  if (!route.method->client_streaming() || route.body.empty() || route.body == "*") return false;
  const FieldDescriptor* f = FindFieldPath(route.method->input_type(), route.body);
  return f != nullptr && f->type() == FieldDescriptor::TYPE_BYTES && !f->is_repeated();
}

void StartFileDownload(grpc::GenericStub& stub, StreamCall call, std::shared_ptr<Exchange> exchange,
                       GatewayMetrics& metrics) {
  auto download = std::make_shared<FileDownload>(std::move(call), std::move(exchange), metrics);
  download->Start(stub);
}

void StartFileUpload(grpc::GenericStub& stub, StreamCall call, UploadRequest upload,
                     std::shared_ptr<Exchange> exchange, GatewayMetrics& metrics) {
  auto file = std::make_shared<FileUpload>(stub, std::move(call), std::move(upload),
                                           std::move(exchange), metrics);
  file->Start();
}

std::string ContentDisposition(absl::string_view file_name) {
  std::string ascii, encoded;
  for (unsigned char c : file_name) {
    bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    ascii.push_back(plain ? static_cast<char>(c) : '_');
    // RFC 5987 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" /
    // "`" / "|" / "~"; everything else percent-encoded.
    if (absl::ascii_isalnum(c) ||
        absl::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != absl::string_view::npos) {
      encoded.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&encoded, "%",
                      absl::AsciiStrToUpper(absl::BytesToHexString(
                          absl::string_view(reinterpret_cast<char*>(&c), 1))));
    }
  }
  return absl::StrCat("attachment; filename=\"", ascii, "\"; filename*=UTF-8''", encoded);
}

absl::StatusOr<std::string> FileNameOf(absl::string_view content_disposition) {
  if (content_disposition.empty()) return std::string();
  return DispositionFileName(content_disposition);
}

}  // namespace rectify::gateway
