#include "cli/rectctl/command.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"

namespace rectify::rectctl {
namespace {

constexpr char kHeader[] = R"(rectctl <command> [flags]

Human-readable tables by default; --json prints the API's JSON for scripts. Every flag can
also be set as RECTIFY_<FLAG> (RECTIFY_TOKEN, RECTIFY_ADDR, ...); --help lists the flags.

)";

bool Named(const Verb& verb) { return verb.name != nullptr && *verb.name != '\0'; }

// A noun that is a command by itself (`stats`): its only verb has no name.
bool Bare(const Noun& noun) { return noun.verbs.size() == 1 && !Named(noun.verbs[0]); }

const Verb* FindVerb(const Noun& noun, const std::string& name) {
  for (const auto& verb : noun.verbs) {
    if (Named(verb) && name == verb.name) return &verb;
  }
  return nullptr;
}

std::string Words(const char* first, const char* second) {
  if (second == nullptr || *second == '\0') return first;
  return absl::StrCat(first, " ", second);
}

}  // namespace

std::string Usage(const std::vector<const Noun*>& nouns) {
  // (command, help) pairs, laid out once the widest command is known.
  std::vector<std::pair<std::string, std::string>> lines;
  for (const Noun* noun : nouns) {
    if (Bare(*noun)) {
      lines.emplace_back(absl::StrCat("  ", Words(noun->name, noun->verbs[0].args)), noun->summary);
      continue;
    }
    std::string summary = noun->summary;
    if (noun->default_verb != nullptr) absl::StrAppend(&summary, "; no verb: ", noun->default_verb);
    lines.emplace_back(absl::StrCat("  ", noun->name), summary);
    for (const auto& verb : noun->verbs) {
      lines.emplace_back(absl::StrCat("    ", Words(verb.name, verb.args)), verb.help);
    }
  }
  size_t width = 0;
  for (const auto& [command, help] : lines) width = std::max(width, command.size());
  std::string out = kHeader;
  for (const auto& [command, help] : lines) {
    absl::StrAppend(&out, command, std::string(width + 2 - command.size(), ' '), help, "\n");
  }
  return out;
}

int Dispatch(const std::vector<const Noun*>& nouns, Session& session,
             const std::vector<std::string>& args) {
  if (args.size() < 2) {
    std::fputs(Usage(nouns).c_str(), stderr);
    return 2;
  }
  const std::string& name = args[1];
  auto it = std::find_if(nouns.begin(), nouns.end(),
                         [&](const Noun* noun) { return name == noun->name; });
  if (it == nouns.end()) {
    std::fprintf(stderr, "unknown command \"%s\"\n%s", name.c_str(), Usage(nouns).c_str());
    return 2;
  }
  const Noun& noun = **it;
  // A noun that is a command by itself ignores any further words, as it always has.
  if (Bare(noun)) {
    return noun.verbs[0].run(session, Args(args.begin() + 2, args.end()));
  }
  const Verb* verb = nullptr;
  if (args.size() > 2) {
    verb = FindVerb(noun, args[2]);
    if (verb == nullptr) {
      Fail(absl::StrCat("unknown ", noun.name, " command \"", args[2], "\"\n", Usage(nouns)));
    }
  }
  if (verb == nullptr && noun.default_verb != nullptr) verb = FindVerb(noun, noun.default_verb);
  if (verb == nullptr) {
    Fail(absl::StrCat(noun.name, " needs a command\n", Usage(nouns)));
  }
  Args rest(args.begin() + std::min<size_t>(args.size(), 3), args.end());
  return verb->run(session, rest);
}

}  // namespace rectify::rectctl
