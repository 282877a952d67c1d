// rectctl's commands as tables: each noun (issues, cases, ...) lists its verbs, and one
// dispatcher finds the verb and prints the usage built from the same tables.
#pragma once

#include <string>
#include <vector>

#include "cli/rectctl/session.h"

namespace rectify::rectctl {

struct Verb {
  // The word after the noun; empty for a noun that is a command by itself (`stats`).
  const char* name;
  // Its positional arguments in the usage ("ID"); the help names the flags it reads.
  const char* args;
  // Shown after the verb in the usage; a nameless verb's line shows the noun's summary.
  const char* help;
  int (*run)(Session& session, const Args& args);
};

struct Noun {
  const char* name;
  const char* summary;
  std::vector<Verb> verbs;
  // Run when no verb is given; nullptr when the noun has only its nameless verb.
  const char* default_verb = nullptr;
};

// The usage text: a prose header, then one line per noun and per verb.
std::string Usage(const std::vector<const Noun*>& nouns);

// Runs the command that args (argv without its flags) names; returns the exit code. Prints
// the usage and returns 2 without a command or with an unknown noun; exits with 1 on an
// unknown verb.
int Dispatch(const std::vector<const Noun*>& nouns, Session& session,
             const std::vector<std::string>& args);

// The nouns, one file each.
const Noun& TokenNoun();
const Noun& HealthNoun();
const Noun& RegionsNoun();
const Noun& OrgsNoun();
const Noun& InspectionsNoun();
const Noun& IssuesNoun();
const Noun& StatsNoun();
const Noun& SupervisionNoun();
const Noun& CasesNoun();
const Noun& ExportNoun();
const Noun& WatchNoun();

}  // namespace rectify::rectctl
