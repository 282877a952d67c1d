// multipart/form-data (RFC 7578 over RFC 2046) read as it arrives, for uploads that are passed on
// to a service while the client is still sending them. Nothing holds a whole body or a whole
// file: a field without a filename is collected up to a small limit, and a file's content is
// handed on in pieces as soon as they cannot be part of the next delimiter.
//
// Refusals: a malformed body or Content-Type is INVALID_ARGUMENT. A body over one of the
// MultipartLimits is RESOURCE_EXHAUSTED, like the HTTP server's own body and header limits, and
// is best answered the same way (413), not with the 429 that google.rpc's mapping would give.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::gateway {

// The boundary of a `multipart/form-data; boundary=...` Content-Type (media type and parameter
// names in any case, the value a token or a quoted string of 1 to 70 of RFC 2046's characters).
// INVALID_ARGUMENT for any other media type, or a boundary missing, repeated or malformed.
absl::StatusOr<std::string> MultipartBoundary(absl::string_view content_type);

// The file name a Content-Disposition header (attachment, inline or form-data) gives: filename*
// (RFC 5987) when present, else filename; "" when it gives none. INVALID_ARGUMENT when the header
// does not parse or the name is not UTF-8 or holds CR, LF or NUL.
absl::StatusOr<std::string> DispositionFileName(absl::string_view content_disposition);

struct MultipartLimits {
  // The header block of one part, its line ends and the blank line that ends it included.
  size_t max_header_bytes = 8 * 1024;
  // Parts in the body, files and fields alike.
  int max_parts = 32;
  // The value of one field (a part without a filename); files have no limit here.
  size_t max_field_bytes = 64 * 1024;
};

// What a part's headers say about it.
struct MultipartPart {
  std::string name;
  // Present for a file, decoded: filename* (RFC 5987, UTF-8 or ISO-8859-1) when the part has one,
  // else filename. Valid UTF-8 without CR, LF or NUL. Browsers send an empty filename for a file
  // input left empty. Any directory in it is as the client sent it.
  std::optional<std::string> filename;
  // The part's Content-Type as sent (parameters included), "text/plain" when it has none.
  std::string content_type = "text/plain";

  bool is_file() const { return filename.has_value(); }
};

// Receives what a MultipartReader finds, synchronously within its Feed. A status other than OK
// stops the reader: Feed returns it, and so does every later Feed and Finish.
class MultipartHandler {
 public:
  virtual ~MultipartHandler() = default;

  // A part without a filename, whole.
  virtual absl::Status OnField(const MultipartPart& part, std::string value) = 0;
  // A file part begins; its content follows through OnFileData, then OnFileEnd.
  virtual absl::Status OnFileBegin(const MultipartPart& part) = 0;
  // The next piece of the current file's content, never empty. `piece` points into the data
  // given to Feed (or the reader's own copy of the delimiter) and is valid only during the call.
  virtual absl::Status OnFileData(absl::string_view piece) = 0;
  // The current file's content is complete. The body may still be refused after it (a later
  // part, a missing closing delimiter), so what was received is good only once Finish is OK.
  virtual absl::Status OnFileEnd() = 0;
};

// Reads one multipart/form-data body fed in pieces of any size, split anywhere. The preamble and
// the epilogue are ignored, as is transport padding (spaces and tabs) after a boundary. A line
// that starts with the delimiter but goes on with anything other than padding or "--" is refused
// rather than taken as content (RFC 2046 forbids it in content, and accepting it would mean
// holding back the padding for as long as it lasts). Part headers may be folded; headers other
// than Content-Disposition (form-data with a name) and Content-Type are ignored.
//
// Backpressure: every byte of file content Feed is given reaches the handler before Feed returns,
// except at most boundary + 3 bytes that may be the start of a delimiter (a field's value is held
// until the field ends, within max_field_bytes). A caller that reads no more from the socket
// until it has passed on what one Feed delivered holds at most one read's worth, a 60 MiB upload
// fed in 1 MiB reads included. Each Feed gives a file at most two pieces.
class MultipartReader {
 public:
  // `boundary` as MultipartBoundary returns it; INVALID_ARGUMENT when it is not one. `handler`
  // must outlive the reader.
  static absl::StatusOr<MultipartReader> Create(absl::string_view boundary,
                                                const MultipartLimits& limits,
                                                MultipartHandler* handler);

  MultipartReader(MultipartReader&&) = default;
  MultipartReader& operator=(MultipartReader&&) = default;

  // The next bytes of the body. After a refusal, the same refusal; after Finish,
  // FAILED_PRECONDITION.
  absl::Status Feed(absl::string_view data);
  // The body is complete: INVALID_ARGUMENT unless its closing delimiter has been read.
  absl::Status Finish();

 private:
  enum class State {
    kPreamble,       // before the first delimiter
    kAfterBoundary,  // just after a delimiter's boundary
    kPadding,        // spaces and tabs after a boundary
    kLineFeed,       // the CR that ends a delimiter line has been read
    kCloseDash,      // the first '-' of a closing delimiter has been read
    kHeaders,        // a part's header block
    kContent,        // a part's content
    kEpilogue,       // after the closing delimiter
  };

  MultipartReader(std::string boundary, const MultipartLimits& limits, MultipartHandler* handler);

  absl::Status Step(absl::string_view& data);
  absl::Status ScanContent(absl::string_view& data);
  absl::Status ReadDelimiterTail(char c);
  absl::Status ReadHeaders(absl::string_view& data);
  absl::Status BeginPart();
  absl::Status EndPart();
  absl::Status Deliver(absl::string_view content);
  std::string Where() const;

  MultipartLimits limits_;
  MultipartHandler* handler_;
  // CRLF "--" boundary: what ends a part's content.
  std::string delimiter_;
  State state_ = State::kPreamble;
  // How many bytes of delimiter_ the data read last ends with: held back, as they may be the
  // start of a delimiter. The preamble starts as if after a CRLF, so that the first delimiter may
  // open the body.
  size_t matched_ = 2;
  std::string header_block_;
  MultipartPart part_;
  std::string field_value_;
  int parts_ = 0;
  bool finished_ = false;
  absl::Status status_;
};

}  // namespace rectify::gateway
